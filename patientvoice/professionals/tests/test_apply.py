"""Applying: the form keeps everything on error (400), needs two-step verification
(403), one request at a time (409), in Swedish and English URLs."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.models import AuditEntry
from patientvoice.professionals import actions
from patientvoice.professionals.errors import ApplicationPending, InvalidApplication
from patientvoice.professionals.models import RequestStatus, VerificationRequest

from . import factories
from .factories import ANSWERS, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db
APPLY = "/sv/professionals/apply/"


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        **ANSWERS,
        "shows_real_name": "real_name",
        "no_industry_ties": "on",
        "confirm": "on",
        "evidence": SimpleUploadedFile("licence.pdf", pdf_bytes(), content_type="application/pdf"),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_visitor_is_sent_to_log_in():
    response = Client().get(APPLY)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("prefix", ["sv", "en"])
def test_the_form_is_reachable_in_both_languages(prefix):
    response = _client(factories.applicant()).get(f"/{prefix}/professionals/apply/")

    assert response.status_code == 200
    assert 'name="licence_number"' in response.text
    assert 'enctype="multipart/form-data"' in response.text


def test_a_member_applies_and_the_request_waits_for_a_verifier(settings):
    person = factories.applicant()

    response = _client(person).post(APPLY, _form())

    assert response.status_code == 302
    assert response["Location"] == reverse("professionals:status")
    request = VerificationRequest.objects.get(applicant=person)
    assert request.status == RequestStatus.PENDING
    assert request.profession == "nurse"
    assert request.shows_real_name is True
    assert request.industry_ties == ""
    assert (settings.PV_PRIVATE_ROOT / request.evidence_name).exists()
    assert AuditEntry.objects.filter(action="professionals.request_submitted").count() == 1


def test_a_text_file_named_pdf_is_refused_and_every_answer_is_kept():
    person = factories.applicant()
    bad = SimpleUploadedFile("licence.pdf", b"not a pdf at all", content_type="application/pdf")

    response = _client(person).post(APPLY, _form(evidence=bad, specialty="Hjärtsjukvård"))

    assert response.status_code == 400
    assert "PDF" in response.text
    assert 'value="SSK-123456"' in response.text
    assert 'value="Hjärtsjukvård"' in response.text
    assert 'value="Anna Svensson"' in response.text
    assert not VerificationRequest.objects.exists()


def test_a_picture_renamed_pdf_is_accepted():
    person = factories.applicant()
    renamed = SimpleUploadedFile("licence.pdf", png_bytes(), content_type="application/pdf")

    response = _client(person).post(APPLY, _form(evidence=renamed))

    assert response.status_code == 302
    assert VerificationRequest.objects.get(applicant=person).evidence_kind == "image"


def test_missing_required_answers_come_back_with_the_rest_kept():
    response = _client(factories.applicant()).post(
        APPLY, _form(licence_number="", workplace="", evidence=None)
    )

    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"licence_number", "workplace", "evidence"}
    assert 'value="Anna Svensson"' in response.text


def test_ties_must_be_described_or_declared_none():
    response = _client(factories.applicant()).post(APPLY, _form(no_industry_ties=None))

    assert response.status_code == 400
    assert "industry_ties" in response.context["form"].errors


def test_a_licence_outside_sweden_needs_a_country_code():
    response = _client(factories.applicant()).post(
        APPLY, _form(profession="outside_sweden", country="Norway", profession_text="Sykepleier")
    )

    assert response.status_code == 400
    assert "country" in response.context["form"].errors
    assert 'value="Sykepleier"' in response.text


def test_a_licence_outside_sweden_is_kept_with_country_and_profession():
    person = factories.applicant()

    response = _client(person).post(
        APPLY, _form(profession="outside_sweden", country="no", profession_text="Sykepleier")
    )

    assert response.status_code == 302
    request = VerificationRequest.objects.get(applicant=person)
    assert (request.country, request.profession_text) == ("NO", "Sykepleier")
    assert request.profession_label() == "Sykepleier (NO)"


def test_without_two_step_verification_the_request_is_refused_with_403_and_kept():
    person = UserFactory.create()

    response = _client(person).post(APPLY, _form())

    assert response.status_code == 403
    assert "two-step" in response.text.lower() or "tvåstegs" in response.text.lower()
    assert 'value="SSK-123456"' in response.text
    assert not VerificationRequest.objects.exists()


def test_a_second_request_while_one_waits_is_refused():
    request = factories.submitted()

    with pytest.raises(ApplicationPending) as refused:
        factories.submitted(request.applicant)

    assert refused.value.status == 409
    page = _client(request.applicant).get(APPLY)
    assert page.status_code == 302
    assert page["Location"] == reverse("professionals:status")


def test_the_action_refuses_what_the_form_would():
    with pytest.raises(InvalidApplication) as refused:
        factories.submitted(licence_number="<script>")

    assert refused.value.field == "licence_number"


def test_the_applicant_withdraws_and_the_evidence_is_deleted(
    settings, django_capture_on_commit_callbacks
):
    request = factories.submitted()
    stored = settings.PV_PRIVATE_ROOT / request.evidence_name

    with django_capture_on_commit_callbacks(execute=True):
        response = _client(request.applicant).post(
            reverse("professionals:withdraw", args=[request.public_id])
        )

    request.refresh_from_db()
    assert response.status_code == 302
    assert request.status == RequestStatus.WITHDRAWN
    assert request.evidence_name == ""
    assert request.evidence_sha256
    assert not stored.exists()


def test_someone_else_cannot_withdraw_a_request():
    request = factories.submitted()

    response = _client(factories.applicant()).post(
        reverse("professionals:withdraw", args=[request.public_id])
    )

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_the_status_page_shows_the_waiting_request():
    request = factories.submitted()

    response = _client(request.applicant).get(reverse("professionals:status"))

    assert response.status_code == 200
    assert reverse("professionals:withdraw", args=[request.public_id]) in response.text


def test_the_english_page_speaks_english():
    person = factories.applicant()
    with translation.override("en"):
        url = reverse("professionals:apply")

    response = _client(person).get(url)

    assert url.startswith("/en/")
    assert "Licence or registration number" in response.text


def test_sanctioned_members_cannot_apply(monkeypatch):
    from patientvoice.moderation.errors import MemberSanctioned

    def refuse(user: Any, community: Any) -> None:
        raise MemberSanctioned

    monkeypatch.setattr(actions, "check_may_post", refuse)

    response = _client(factories.applicant()).post(APPLY, _form())

    assert response.status_code == 403


def test_a_request_is_hidden_from_other_members_and_visitors_on_every_surface():
    from patientvoice.core.testing.visibility import assert_cannot_see

    request = factories.submitted(licence_number="SSK-777001")

    assert_cannot_see(factories.applicant(), request)
    assert_cannot_see(None, request)
    assert_cannot_see(factories.verifier(), request)  # the role without a two-step session
