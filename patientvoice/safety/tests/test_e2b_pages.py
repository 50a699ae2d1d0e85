"""The export pages (decisions/0039): the case page's E2B(R3) XML, the cases list's
batch and CSV of the selected or all open cases, for safety officers only, each export
audited, and a case that is not ready refused with what is missing and no file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.core.models import AuditEntry
from patientvoice.directory.models import Medicine
from patientvoice.moderation.tests.factories import community_moderator, with_second_factor
from patientvoice.safety import actions

from .factories import StaffFactory, UserFactory, case_for, client_for, officer, signal

pytestmark = pytest.mark.django_db

NS = {"hl7": "urn:hl7-org:v3"}
DAY_ZERO = timezone.now() - timedelta(days=2)
READY = {
    "identifiable_reporter": True,
    "identifiable_patient": True,
    "suspect_medicine_known": True,
    "reaction_known": True,
    "reaction": "headache",
    "narrative": "Svår huvudvärk sedan start med sertralin.",
}


def ready_case(person, **fields):
    values = {**READY, "suspect_medicine": Medicine.objects.get(slug="sertraline"), **fields}
    return case_for(signal(day_zero=DAY_ZERO), person, **values)


def messages_in(response) -> int:
    root = ET.fromstring(response.content)  # noqa: S314 - our own output, in a test
    return len(root.findall("hl7:PORR_IN049016UV", NS))


def exports():
    return AuditEntry.objects.filter(action="safety.cases_exported")


# --- who may export -----------------------------------------------------------------------


def people():
    return {
        "visitor": None,
        "member": UserFactory.create(),
        "moderator": community_moderator(CommunityFactory.create()),
        "staff": with_second_factor(StaffFactory.create()),
        "officer_without_mfa": officer(),
        "officer": officer(),
    }


EXPECTED = {
    # role: (one case as XML, batch of the selected, CSV of all open)
    "visitor": (302, 302, 302),
    "member": (403, 403, 403),
    "moderator": (403, 403, 403),
    "staff": (403, 403, 403),
    "officer_without_mfa": (403, 403, 403),
    "officer": (200, 200, 200),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_only_safety_officers_with_two_step_verification_export(role):
    everyone = people()
    the_case = ready_case(everyone["officer"])
    client = client_for(everyone[role], mfa=role != "officer_without_mfa")

    answers = (
        client.get(f"/sv/safety/cases/{the_case.public_id}/e2b/").status_code,
        client.post(
            "/sv/safety/cases/export/", {"action": "e2b-selected", "case": [the_case.public_id]}
        ).status_code,
        client.post("/sv/safety/cases/export/", {"action": "csv-all"}).status_code,
    )

    assert answers == EXPECTED[role]
    assert exports().count() == (3 if role == "officer" else 0)


# --- one case -----------------------------------------------------------------------------


def test_the_case_page_offers_the_export_and_it_downloads_a_named_xml_file():
    person = officer()
    the_case = ready_case(person)
    client = client_for(person)

    with translation.override("en"):
        page = client.get(f"/en/safety/cases/{the_case.public_id}/").content.decode()
        response = client.get(f"/en/safety/cases/{the_case.public_id}/e2b/")

    assert "Export E2B(R3) XML" in page
    assert f"/en/safety/cases/{the_case.public_id}/e2b/" in page
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    day = f"{timezone.localtime():%Y-%m-%d}"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{the_case.reference}_e2b_{day}.xml"'
    )
    assert messages_in(response) == 1


def test_exporting_a_case_is_audited_with_who_which_case_and_format():
    person = officer()
    the_case = ready_case(person)

    client_for(person).get(f"/sv/safety/cases/{the_case.public_id}/e2b/")

    entry = exports().get()
    assert entry.actor == person
    assert entry.target_id == str(the_case.public_id)
    assert entry.data["format"] == "e2b"
    assert entry.data["cases"] == [str(the_case.public_id)]
    assert entry.data["references"] == [the_case.reference]
    assert entry.data["batch"]


def test_a_case_missing_a_criterion_answers_400_with_what_is_missing_and_no_file():
    person = officer()
    the_case = ready_case(person, identifiable_patient=False, narrative="")

    with translation.override("en"):
        response = client_for(person).get(f"/en/safety/cases/{the_case.public_id}/e2b/")
    page = response.content.decode()

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    assert "Not exported" in page
    assert the_case.reference in page
    assert "identifiable patient" in page
    assert "the narrative (H.1)" in page
    assert not exports().exists()


def test_another_officers_case_is_exported_but_an_unknown_one_is_404():
    the_case = ready_case(officer())

    client = client_for(officer())

    assert client.get(f"/sv/safety/cases/{the_case.public_id}/e2b/").status_code == 200
    unknown = "00000000-0000-4000-8000-000000000000"
    assert client.get(f"/sv/safety/cases/{unknown}/e2b/").status_code == 404


# --- the cases list -----------------------------------------------------------------------


def test_the_cases_list_offers_selection_and_the_exports():
    person = officer()
    the_case = ready_case(person)

    with translation.override("en"):
        page = client_for(person).get("/en/safety/cases/").content.decode()

    assert f'name="case" value="{the_case.public_id}"' in page
    assert "Export selected as E2B batch" in page
    assert "Export all open as E2B batch" in page
    assert "Export all open as CSV" in page


def test_a_batch_of_three_selected_cases_is_one_file_with_three_messages():
    person = officer()
    chosen = [ready_case(person) for _ in range(3)]
    ready_case(person)  # not ticked

    response = client_for(person).post(
        "/sv/safety/cases/export/",
        {"action": "e2b-selected", "case": [c.public_id for c in chosen], "status": "open"},
    )

    assert response.status_code == 200
    assert messages_in(response) == 3
    references = sorted(c.reference for c in chosen)
    filename = response["Content-Disposition"]
    assert all(reference in filename for reference in references)
    entry = exports().get()
    assert sorted(entry.data["references"]) == references
    assert entry.target_id == ""


def test_all_open_cases_are_refused_as_a_batch_while_one_is_not_valid():
    person = officer()
    ready_case(person)
    not_valid = ready_case(person, reaction_known=False)

    with translation.override("en"):
        response = client_for(person).post(
            "/en/safety/cases/export/", {"action": "e2b-all", "status": "open"}
        )

    assert response.status_code == 400
    page = response.content.decode()
    assert not_valid.reference in page
    assert "suspected reaction" in page
    assert not exports().exists()


def test_csv_of_all_open_cases_lists_every_open_case_valid_or_not():
    person = officer()
    cases = [ready_case(person), ready_case(person, identifiable_patient=False)]
    closed = ready_case(person)
    actions.close_case(officer=person, case=closed, reason="Rapporterad.")

    response = client_for(person).post(
        "/sv/safety/cases/export/", {"action": "csv-all", "status": "open"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    assert all(c.reference in text for c in cases)
    assert closed.reference not in text
    assert exports().get().data["format"] == "csv"


def test_nothing_selected_is_refused_with_a_message():
    person = officer()
    ready_case(person)

    with translation.override("en"):
        response = client_for(person).post("/en/safety/cases/export/", {"action": "csv-selected"})

    assert response.status_code == 400
    assert "Choose at least one case" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "pdf"},
        {"action": "csv-selected", "case": ["not-a-uuid"]},
        {},
    ],
)
def test_a_malformed_export_request_is_400_with_a_message(data):
    with translation.override("en"):
        response = client_for(officer()).post("/en/safety/cases/export/", data)

    assert response.status_code == 400
    assert "Choose the cases and the format" in response.content.decode()


def test_export_pages_need_the_right_method():
    person = officer()
    the_case = ready_case(person)
    client = client_for(person)

    assert client.post(f"/sv/safety/cases/{the_case.public_id}/e2b/").status_code == 405
    assert client.get("/sv/safety/cases/export/").status_code == 405
