"""The safety API (decisions/0036, 0039): signals, triage decisions, cases and their
exports, for safety officers in a session with two-step verification only (never a
token), with the pages' audit trail, the API's one error shape, and query counts that
do not grow with the lists."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from patientvoice.api import actions as api_actions
from patientvoice.api.tests.conftest import assert_error
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.core.models import AuditEntry
from patientvoice.directory.models import Medicine
from patientvoice.moderation.tests.factories import community_moderator, with_second_factor
from patientvoice.safety.models import FollowUpAttempt, SafetyCase, SafetySignal

from .factories import StaffFactory, UserFactory, case_for, client_for, officer, post_saying, signal

pytestmark = pytest.mark.django_db

API = "/api/v1/safety"
NS = {"hl7": "urn:hl7-org:v3"}
ROWS = 12  # enough that one query per row would show
DAY_ZERO = timezone.now() - timedelta(days=2)
READY = {
    "identifiable_reporter": True,
    "identifiable_patient": True,
    "suspect_medicine_known": True,
    "reaction_known": True,
    "reaction": "headache",
    "narrative": "Severe headaches since starting sertraline.",
}


def ready_case(person, **fields) -> SafetyCase:
    values = {**READY, "suspect_medicine": Medicine.objects.get(slug="sertraline"), **fields}
    return case_for(signal(day_zero=DAY_ZERO), person, **values)


def send(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def with_token(user, scope: str = "read_write") -> Client:
    _token, raw = api_actions.create_token(user=user, name="test", scope=scope)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def client_as(role: str, everyone: dict[str, Any]) -> Client:
    if role == "visitor":
        return Client()
    if role == "officer_token":
        return with_token(everyone["officer"])
    if role == "officer_without_mfa":
        return client_for(everyone["officer"], mfa=False)
    return client_for(everyone[role])


def people() -> dict[str, Any]:
    return {
        "member": UserFactory.create(),
        "moderator": community_moderator(CommunityFactory.create()),
        "staff": with_second_factor(StaffFactory.create()),
        "officer": officer(),
    }


# --- role x endpoint ----------------------------------------------------------------------

ROLES = [
    # role, status for every endpoint
    ("visitor", 401),
    ("member", 403),
    ("moderator", 403),
    ("staff", 403),
    ("officer_without_mfa", 403),
    ("officer_token", 403),
    ("officer", 200),
]


def endpoints(found: SafetySignal, the_case: SafetyCase) -> list[tuple[str, str, Any]]:
    return [
        ("get", f"{API}/signals", None),
        ("get", f"{API}/signals/{found.public_id}", None),
        ("post", f"{API}/signals/{found.public_id}/decision",
         {"decision": "not_a_case", "reason": "Inte om läkemedlet."}),
        ("get", f"{API}/cases", None),
        ("get", f"{API}/cases/{the_case.public_id}", None),
        ("get", f"{API}/cases/{the_case.public_id}/e2b", None),
        ("post", f"{API}/exports/e2b", {"cases": [str(the_case.public_id)]}),
        ("post", f"{API}/exports/csv", {}),
    ]  # fmt: skip


@pytest.mark.parametrize(("role", "status"), ROLES)
def test_only_safety_officers_in_a_two_step_session_reach_each_endpoint(role, status):
    everyone = people()
    the_case = ready_case(everyone["officer"])
    found = signal(day_zero=DAY_ZERO, reaction="nausea")
    client = client_as(role, everyone)

    for method, url, body in endpoints(found, the_case):
        response = send(client, url, body) if method == "post" else client.get(url)

        assert response.status_code == status, (url, response.content)
        if status != 200:
            assert set(response.json()) == {"error"}
    found.refresh_from_db()
    assert (found.status == "not_a_case") == (role == "officer")


def test_a_token_is_told_that_it_never_carries_the_role():
    person = officer()

    with translation.override("en"):
        response = with_token(person).get(f"{API}/signals", HTTP_ACCEPT_LANGUAGE="en")

    body = assert_error(response, 403, "forbidden")
    assert "token" in body["error"]["message"]


# --- signals ------------------------------------------------------------------------------


def test_signals_are_listed_oldest_first_by_status_and_paginated():
    person = officer()
    newest = signal(day_zero=timezone.now() - timedelta(hours=1), reaction="nausea")
    oldest = signal(day_zero=timezone.now() - timedelta(days=4))
    decided = signal(day_zero=DAY_ZERO, reaction="dizziness", status="not_a_case")
    client = client_for(person)

    first = client.get(f"{API}/signals", {"limit": 1}).json()
    second = client.get(f"{API}/signals", {"limit": 1, "offset": 1}).json()
    not_cases = client.get(f"{API}/signals", {"status": "not_a_case"}).json()

    assert first["count"] == 2
    assert [s["public_id"] for s in first["items"]] == [str(oldest.public_id)]
    assert [s["public_id"] for s in second["items"]] == [str(newest.public_id)]
    assert [s["public_id"] for s in not_cases["items"]] == [str(decided.public_id)]
    assert first["items"][0]["excerpt"] == oldest.excerpt
    assert first["items"][0]["medicine"] == "sertraline"


def test_a_bad_status_filter_is_422():
    response = client_for(officer()).get(f"{API}/signals", {"status": "everything"})

    assert_error(response, 422, "invalid")


def test_the_signal_list_costs_the_same_number_of_queries_however_long(
    django_assert_num_queries,
):
    person = officer()
    client = client_for(person)
    for i in range(3):
        signal(day_zero=DAY_ZERO, reaction=f"r{i}")
    client.get(f"{API}/signals")  # warm the session

    # session, user, the group, the second factor, count, page, the audit entry
    with django_assert_num_queries(7):
        client.get(f"{API}/signals", {"limit": 100})
    for i in range(ROWS):
        signal(day_zero=DAY_ZERO, reaction=f"s{i}")
    with django_assert_num_queries(7):
        response = client.get(f"{API}/signals", {"limit": 100})

    assert response.json()["count"] == ROWS + 3


def test_listing_and_reading_signals_is_audited_and_starts_the_clock_of_held_content():
    person = officer()
    held = signal(day_zero=None, content_status="held")
    client = client_for(person)

    client.get(f"{API}/signals")
    client.get(f"{API}/signals/{held.public_id}")

    held.refresh_from_db()
    assert held.day_zero is not None
    assert held.day_zero_basis == "seen"
    listed = AuditEntry.objects.get(action="safety.queue_viewed", actor=person)
    assert listed.data["signals"] == [str(held.public_id)]
    assert AuditEntry.objects.filter(
        action="safety.signal_viewed", target_id=str(held.public_id)
    ).exists()


def test_an_unknown_signal_is_404():
    response = client_for(officer()).get(f"{API}/signals/00000000-0000-4000-8000-000000000000")

    assert_error(response, 404, "not_found")


# --- decisions ----------------------------------------------------------------------------


def test_not_a_case_needs_a_reason():
    found = signal(day_zero=DAY_ZERO)

    with translation.override("en"):
        response = send(
            client_for(officer()),
            f"{API}/signals/{found.public_id}/decision",
            {"decision": "not_a_case", "reason": " "},
        )

    body = assert_error(response, 422, "invalid")
    assert body["error"]["details"] == [{"loc": ["body", "reason"]}]
    found.refresh_from_db()
    assert found.status == "new"


def test_a_case_decision_opens_the_case_with_its_answers():
    person = officer()
    found = signal(day_zero=DAY_ZERO)

    response = send(
        client_for(person),
        f"{API}/signals/{found.public_id}/decision",
        {
            "decision": "case",
            "case": {**READY, "origin": "spontaneous", "suspect_medicine": "sertraline",
                     "death": True},
        },
    )  # fmt: skip

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["signal"]["status"] == "case"
    opened = SafetyCase.objects.get(public_id=body["case"])
    assert opened.is_valid
    assert opened.is_serious
    assert opened.suspect_medicine is not None
    assert opened.suspect_medicine.slug == "sertraline"
    assert opened.due_at == opened.day_zero + timedelta(days=15)


def test_a_case_decision_without_answers_or_with_an_unknown_medicine_is_422():
    client = client_for(officer())
    found = signal(day_zero=DAY_ZERO)
    url = f"{API}/signals/{found.public_id}/decision"

    without = send(client, url, {"decision": "case"})
    unknown = send(
        client,
        url,
        {"decision": "case", "case": {"origin": "spontaneous", "suspect_medicine": "no-such"}},
    )
    bad_reaction = send(
        client, url, {"decision": "case", "case": {"origin": "spontaneous", "reaction": "zzz"}}
    )

    assert_error(without, 422, "invalid")
    assert_error(unknown, 422, "invalid")
    assert_error(bad_reaction, 422, "invalid")
    assert not SafetyCase.objects.exists()


def test_a_signal_that_is_a_case_already_answers_409():
    person = officer()
    the_case = ready_case(person)

    response = send(
        client_for(person),
        f"{API}/signals/{the_case.signal.public_id}/decision",
        {"decision": "case", "case": {"origin": "spontaneous"}},
    )

    assert_error(response, 409, "conflict")


def test_a_follow_up_decision_sends_the_author_a_message_and_logs_the_attempt():
    person = officer()
    post = post_saying("Jag fick huvudvärk av Sertralin.")
    found = signal(post=post, day_zero=DAY_ZERO)

    response = send(
        client_for(person),
        f"{API}/signals/{found.public_id}/decision",
        {"decision": "follow_up", "asked_for": ["patient", "outcome"], "note": ""},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["signal"]["status"] == "follow_up"
    assert body["follow_up_outcome"] == "sent"
    attempt = FollowUpAttempt.objects.get(public_id=body["follow_up"])
    assert attempt.asked_for == ["patient", "outcome"]
    assert post.author is not None
    assert post.author.safety_messages.count() == 1


# --- cases --------------------------------------------------------------------------------


def test_the_case_list_costs_the_same_number_of_queries_however_long(
    django_assert_num_queries,
):
    person = officer()
    client = client_for(person)
    ready_case(person)
    client.get(f"{API}/cases")

    # session, user, the group, the second factor, count, page with signal and medicine
    with django_assert_num_queries(6):
        client.get(f"{API}/cases", {"limit": 100})
    for _ in range(ROWS):
        ready_case(person)
    with django_assert_num_queries(6):
        response = client.get(f"{API}/cases", {"limit": 100})

    body = response.json()
    assert body["count"] == ROWS + 1
    assert body["items"][0]["suspect_medicine"] == "sertraline"
    assert body["items"][0]["valid"] is True


def test_closed_cases_are_listed_apart():
    person = officer()
    open_case = ready_case(person)
    closed = ready_case(person)
    from patientvoice.safety import actions

    actions.close_case(officer=person, case=closed, reason="Rapporterad.")
    client = client_for(person)

    shown_open = client.get(f"{API}/cases").json()["items"]
    shown_closed = client.get(f"{API}/cases", {"status": "closed"}).json()["items"]

    assert [c["public_id"] for c in shown_open] == [str(open_case.public_id)]
    assert [c["public_id"] for c in shown_closed] == [str(closed.public_id)]


def test_reading_a_case_shows_its_answers_and_is_audited():
    person = officer()
    the_case = ready_case(person, identifiable_patient=False)

    body = client_for(person).get(f"{API}/cases/{the_case.public_id}").json()

    assert body["reference"] == the_case.reference
    assert body["narrative"] == READY["narrative"]
    assert body["valid"] is False
    assert body["missing_criteria"] == ["identifiable_patient"]
    assert AuditEntry.objects.filter(
        action="safety.case_viewed", target_id=str(the_case.public_id), actor=person
    ).exists()


# --- exports ------------------------------------------------------------------------------


def test_a_case_exports_as_e2b_xml_and_is_audited_as_from_the_api():
    person = officer()
    the_case = ready_case(person)

    response = client_for(person).get(f"{API}/cases/{the_case.public_id}/e2b")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert the_case.reference in response["Content-Disposition"]
    root = ET.fromstring(response.content)  # noqa: S314 - our own output, in a test
    assert root.tag == "{urn:hl7-org:v3}MCCI_IN200100UV01"
    entry = AuditEntry.objects.get(action="safety.cases_exported")
    assert entry.data["via"] == "api"
    assert entry.data["cases"] == [str(the_case.public_id)]


def test_a_case_that_is_not_ready_answers_400_with_what_is_missing_per_case():
    person = officer()
    the_case = ready_case(person, narrative="", identifiable_reporter=False)

    with translation.override("en"):
        response = client_for(person).get(
            f"{API}/cases/{the_case.public_id}/e2b", HTTP_ACCEPT_LANGUAGE="en"
        )

    body = assert_error(response, 400, "not_exportable")
    detail = body["error"]["details"][0]
    assert detail["case"] == the_case.reference
    assert set(detail["missing"]) >= {"identifiable reporter", "the narrative (H.1)"}
    assert the_case.reference in body["error"]["message"]
    assert not AuditEntry.objects.filter(action="safety.cases_exported").exists()


def test_a_batch_of_three_cases_is_one_file_with_three_messages():
    person = officer()
    cases = [ready_case(person) for _ in range(3)]

    response = send(
        client_for(person), f"{API}/exports/e2b", {"cases": [str(c.public_id) for c in cases]}
    )

    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own output, in a test
    assert len(root.findall("hl7:PORR_IN049016UV", NS)) == 3
    entry = AuditEntry.objects.get(action="safety.cases_exported")
    assert sorted(entry.data["references"]) == sorted(c.reference for c in cases)
    assert entry.data["format"] == "e2b"


def test_a_batch_naming_an_unknown_case_is_404():
    person = officer()
    the_case = ready_case(person)

    response = send(
        client_for(person),
        f"{API}/exports/e2b",
        {"cases": [str(the_case.public_id), "00000000-0000-4000-8000-000000000000"]},
    )

    assert_error(response, 404, "not_found")


def test_the_batch_of_all_open_cases_is_refused_while_one_is_not_valid():
    person = officer()
    ready_case(person)
    not_valid = ready_case(person, reaction_known=False)

    response = send(client_for(person), f"{API}/exports/e2b", {"status": "open"})

    body = assert_error(response, 400, "not_exportable")
    assert [d["case"] for d in body["error"]["details"]] == [not_valid.reference]


def test_csv_lists_the_cases_with_formula_cells_defused():
    person = officer()
    the_case = ready_case(person, narrative="@SUM(1+1)*cmd|' /C calc'!A0")

    response = send(client_for(person), f"{API}/exports/csv", {"cases": [str(the_case.public_id)]})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    assert the_case.reference in text
    assert "'@SUM(1+1)" in text
    assert AuditEntry.objects.get(action="safety.cases_exported").data["format"] == "csv"


def test_an_export_with_no_cases_is_400_and_a_bad_body_is_422():
    client = client_for(officer())

    empty = send(client, f"{API}/exports/csv", {"cases": []})
    bad = send(client, f"{API}/exports/csv", {"cases": ["not-a-uuid"]})

    assert_error(empty, 400, "not_exportable")
    assert_error(bad, 422, "invalid")
