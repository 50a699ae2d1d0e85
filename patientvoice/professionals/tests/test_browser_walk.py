"""What a browser walk from apply to verify found (issue 6): two-step verification asked
for before the form, the way to the queue and the verification page from the account
page, no "asking the registers" without a register, error summaries that name their
fields, and a refused decision that stays on an address the language switch can
follow."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.professionals.models import RequestStatus, VerificationRequest
from patientvoice.professionals.queries import account_links

from . import factories

pytestmark = pytest.mark.django_db
HERE = "patientvoice.professionals.tests.test_browser_walk"


def _en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _verifier_client() -> Client:
    client = Client()
    log_in_with_mfa(client, factories.verifier())
    return client


def _marked(page: str, field: str) -> bool:
    """The input of ``field`` says it is invalid and points at its own message."""
    tag = re.search(rf'<(?:input|select|textarea)[^>]*name="{field}"[^>]*>', page)
    assert tag is not None, field
    return (
        'aria-invalid="true"' in tag.group(0)
        and f"id_{field}_error" in tag.group(0)
        and f'id="id_{field}_error"' in page
    )


# --- two-step verification before the form ------------------------------------------------


def test_without_two_step_verification_the_apply_page_asks_for_it_before_the_form():
    response = _signed_in(UserFactory.create()).get(_en("professionals:apply"))

    page = response.text
    assert response.status_code == 200
    assert "First, turn on two-step verification" in page
    assert f"{_en('mfa_activate_totp')}?next={_en('professionals:apply')}" in page
    assert 'name="licence_number"' not in page


def test_with_two_step_verification_the_apply_page_shows_the_form():
    page = _signed_in(factories.applicant()).get(_en("professionals:apply")).text

    assert 'name="licence_number"' in page
    assert "First, turn on two-step verification" not in page


# --- the account page ---------------------------------------------------------------------


def test_a_member_who_never_applied_is_invited_to_become_a_verified_professional():
    page = _signed_in(UserFactory.create()).get(_en("accounts:settings")).text

    assert "Become a verified professional" in page
    assert f'href="{_en("professionals:status")}"' in page
    assert _en("professionals:queue") not in page


def test_an_applicant_finds_their_verification_on_the_account_page():
    request = factories.submitted()

    page = _signed_in(request.applicant).get(_en("accounts:settings")).text

    assert "Your verification" in page
    assert "Become a verified professional" not in page


@pytest.mark.parametrize("make", [factories.verifier, factories.staff])
def test_verifiers_and_staff_find_the_verification_queue_on_the_account_page(make):
    page = _signed_in(make()).get(_en("accounts:settings")).text

    assert "Verification queue" in page
    assert f'href="{_en("professionals:queue")}"' in page


def test_the_account_page_links_cost_one_query(django_assert_num_queries):
    person = factories.verifier()

    with django_assert_num_queries(1):
        links = account_links(person)

    assert links.is_verifier
    assert not links.has_applied


# --- registers ----------------------------------------------------------------------------


class NorwegianOnly:
    """A register that answers only for licences from Norway."""

    name = "Helsepersonellregisteret (test)"

    def covers(self, request: VerificationRequest) -> bool:
        return request.country == "NO"

    def check(self, request: VerificationRequest) -> None:
        return None


def test_without_a_register_the_verifier_is_told_to_check_by_hand_and_not_offered_to_ask():
    request = factories.submitted()

    page = _verifier_client().get(_en("professionals:request_detail", request.public_id)).text

    assert "No register can be asked automatically for this country and profession" in page
    assert _en("professionals:recheck", request.public_id) not in page


def test_a_register_for_another_country_is_not_offered_either(settings):
    settings.PV_PROFESSIONAL_REGISTRIES = [f"{HERE}.NorwegianOnly"]
    swedish = factories.submitted()
    norwegian = factories.submitted(
        profession="outside_sweden", country="NO", profession_text="Sykepleier"
    )
    client = _verifier_client()

    swedish_page = client.get(_en("professionals:request_detail", swedish.public_id)).text
    norwegian_page = client.get(_en("professionals:request_detail", norwegian.public_id)).text

    assert _en("professionals:recheck", swedish.public_id) not in swedish_page
    assert _en("professionals:recheck", norwegian.public_id) in norwegian_page


def test_asking_the_registers_without_one_says_so_and_asks_nobody():
    request = factories.submitted()
    client = _verifier_client()

    response = client.post(_en("professionals:recheck", request.public_id))

    shown = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302
    assert response["Location"] == _en("professionals:request_detail", request.public_id)
    assert shown == [
        (
            messages.ERROR,
            "No register can be asked automatically for this country and profession. "
            "Check the licence by hand.",
        )
    ]
    assert not any("being asked" in text for _, text in shown)


# --- error messages -----------------------------------------------------------------------


def test_the_error_summary_names_each_missing_field_and_each_field_is_marked():
    response = _signed_in(factories.applicant()).post(
        _en("professionals:apply"),
        {"profession": "nurse", "shows_real_name": "real_name", "no_industry_ties": "on"},
    )

    page = response.text
    summary = page[page.index("error-summary") : page.index("</div>", page.index("error-summary"))]
    assert response.status_code == 400
    assert "Licence or registration number: this field is required." in summary
    assert "Workplace: this field is required." in summary
    assert "Your name as on your licence: this field is required." in summary
    assert "Evidence of your licence: " in summary
    assert "Confirmation: tick the box" in summary
    assert 'href="#id_licence_number"' in summary
    for field in ("licence_number", "workplace", "real_name", "evidence", "confirm"):
        assert _marked(page, field), field


def test_re_confirming_marks_the_field_that_is_wrong_and_keeps_the_answers():
    credential = factories.approved()

    response = _signed_in(credential.user).post(
        _en("professionals:apply"),
        {
            **factories.ANSWERS,
            "licence_number": "<script>",
            "shows_real_name": "real_name",
            "no_industry_ties": "on",
            "confirm": "on",
        },
    )

    page = response.text
    assert response.status_code == 400
    assert "You are verified. Send this to re-confirm" in page
    assert "Licence or registration number: use only letters" in page
    assert _marked(page, "licence_number")
    assert not _marked(page, "workplace")
    assert 'value="Vårdcentralen Norrby"' in page


def test_a_refused_decision_names_and_marks_the_reason_and_stays_on_the_request_address():
    request = factories.submitted()
    client = _verifier_client()
    detail = _en("professionals:request_detail", request.public_id)

    response = client.post(detail, {"decision": "reject", "reason": ""})

    page = response.text
    assert response.status_code == 400
    assert f'action="{detail}"' in page
    assert "Reason: say why you reject it" in page
    assert _marked(page, "reason")
    with translation.override("sv"):
        swedish = reverse("professionals:request_detail", args=[request.public_id])
    assert f'href="{swedish}"' in page  # the language switch
    assert client.get(swedish).status_code == 200


def test_a_verifier_decides_on_the_request_address():
    request = factories.submitted()

    response = _verifier_client().post(
        _en("professionals:request_detail", request.public_id),
        {"decision": "approve", "reason": "Kontrollerad i HOSP"},
    )

    request.refresh_from_db()
    assert response.status_code == 302
    assert request.status == RequestStatus.APPROVED


def test_the_revoke_page_names_and_marks_the_missing_reason():
    credential = factories.approved()
    client = Client()
    log_in_with_mfa(client, factories.staff())

    response = client.post(_en("professionals:revoke", credential.public_id), {"reason": ""})

    assert response.status_code == 400
    assert "Reason: this field is required." in response.text
    assert _marked(response.text, "reason")
