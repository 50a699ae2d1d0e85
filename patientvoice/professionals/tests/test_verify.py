"""Verifiers: who may see the queue and the evidence, deciding with a reason, and what
an approval or a rejection does."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.mfa import has_privileged_role
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.professionals import actions
from patientvoice.professionals.errors import ApplicantWithoutMfa, RequestDecided
from patientvoice.professionals.models import (
    Credential,
    NoticeKind,
    ProfessionalNotice,
    RequestStatus,
)
from patientvoice.professionals.permissions import PROFESSIONAL_GROUP

from . import factories
from .factories import pdf_bytes

pytestmark = pytest.mark.django_db


def _mfa_client(user: Any) -> Client:
    client = Client()
    log_in_with_mfa(client, user)
    return client


def _plain_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _urls(request: Any) -> dict[str, tuple[str, str]]:
    return {
        "queue": ("get", reverse("professionals:queue")),
        "credentials": ("get", reverse("professionals:credentials")),
        "detail": ("get", reverse("professionals:request_detail", args=[request.public_id])),
        "evidence": ("get", reverse("professionals:evidence", args=[request.public_id])),
        "decide": ("post", reverse("professionals:decide", args=[request.public_id])),
        "recheck": ("post", reverse("professionals:recheck", args=[request.public_id])),
    }


# Role x action: who reaches the verifiers' pages.
ROLES = {
    "member": (lambda: _plain_client(UserFactory.create()), 403),
    "member with MFA": (lambda: _mfa_client(UserFactory.create()), 403),
    "verifier without a two-step session": (lambda: _plain_client(factories.verifier()), 403),
    "staff without a two-step session": (lambda: _plain_client(factories.staff()), 403),
    "verifier": (lambda: _mfa_client(factories.verifier()), 200),
    "staff": (lambda: _mfa_client(factories.staff()), 200),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("page", ["queue", "credentials", "detail", "evidence"])
def test_role_matrix_for_the_verifiers_pages(role, page):
    request = factories.submitted()
    make_client, expected = ROLES[role]
    method, url = _urls(request)[page]

    response = getattr(make_client(), method)(url)

    assert response.status_code == expected
    if expected == 403:
        assert "SSK-123456" not in response.content.decode(errors="replace")


@pytest.mark.parametrize("role", ["member", "verifier without a two-step session"])
@pytest.mark.parametrize("page", ["decide", "recheck"])
def test_only_verifiers_post_decisions(role, page):
    request = factories.submitted()
    make_client, _ = ROLES[role]
    _, url = _urls(request)[page]

    response = make_client().post(url, {"decision": "approve", "reason": "ok"})

    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_a_visitor_is_sent_to_log_in():
    assert Client().get(reverse("professionals:queue")).status_code == 302


def test_a_verifier_without_a_second_factor_is_told_why():
    response = _plain_client(factories.verifier()).get(reverse("professionals:queue"))

    assert response.status_code == 403
    assert response.context["reason"]


def test_the_queue_lists_waiting_requests_oldest_first():
    first = factories.submitted()
    second = factories.submitted()
    decided = factories.submitted()
    actions.withdraw_request(applicant=decided.applicant, request=decided)

    page = _mfa_client(factories.verifier()).get(reverse("professionals:queue")).text

    assert page.index(str(first.public_id)) < page.index(str(second.public_id))
    assert str(decided.public_id) not in page


def test_the_queue_asks_the_same_number_of_queries_for_many_requests(django_assert_max_num_queries):
    verifier = factories.verifier()
    client = _mfa_client(verifier)
    factories.submitted()
    client.get(reverse("professionals:queue"))  # warm the session
    for _ in range(12):
        factories.submitted()

    with django_assert_max_num_queries(9):
        response = client.get(reverse("professionals:queue"))

    assert response.content.count(b'id="request-') == 13


def test_the_evidence_is_a_download_with_nosniff_and_is_audited():
    request = factories.submitted()

    response = _mfa_client(factories.verifier()).get(
        reverse("professionals:evidence", args=[request.public_id])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response.getvalue() == pdf_bytes()
    assert AuditEntry.objects.filter(action="professionals.evidence_viewed").count() == 1


def test_the_detail_page_shows_the_application_and_the_evidence_link():
    request = factories.submitted(
        industry_ties="Föreläsning för Novo Nordisk 2024", no_industry_ties=False
    )

    page = (
        _mfa_client(factories.verifier())
        .get(reverse("professionals:request_detail", args=[request.public_id]))
        .text
    )

    assert "SSK-123456" in page
    assert "Anna Svensson" in page
    assert "Novo Nordisk" in page
    assert reverse("professionals:evidence", args=[request.public_id]) in page


def test_the_detail_page_warns_of_personal_data_in_the_public_declaration():
    request = factories.submitted(employer="Ring mig på 070-123 45 67")

    response = _mfa_client(factories.verifier()).get(
        reverse("professionals:request_detail", args=[request.public_id])
    )

    assert response.context["findings"]


def test_approval_makes_a_credential_tells_the_applicant_and_deletes_the_evidence(
    settings, django_capture_on_commit_callbacks
):
    request = factories.submitted()
    stored = settings.PV_PRIVATE_ROOT / request.evidence_name
    verifier = factories.verifier()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = _mfa_client(verifier).post(
            reverse("professionals:decide", args=[request.public_id]),
            {"decision": "approve", "reason": "Kontrollerad i HOSP"},
        )

    assert response.status_code == 302
    request.refresh_from_db()
    credential = Credential.objects.get(request=request)
    assert request.status == RequestStatus.APPROVED
    assert request.decided_by == verifier
    assert credential.is_active()
    assert (credential.expires_at - credential.verified_at).days in range(365, 367)
    assert credential.user.groups.filter(name=PROFESSIONAL_GROUP).exists()
    assert has_privileged_role(credential.user)
    assert not stored.exists()
    assert request.evidence_name == ""
    assert request.evidence_sha256
    assert AuditEntry.objects.filter(action="professionals.request_approved").count() == 1
    notice = ProfessionalNotice.objects.get(recipient=request.applicant)
    assert (notice.kind, notice.text) == (NoticeKind.APPROVED, "Kontrollerad i HOSP")
    assert [m.to for m in mail.outbox] == [[request.applicant.email]]


def test_the_policy_can_keep_the_evidence(settings, django_capture_on_commit_callbacks):
    settings.PV_KEEP_VERIFICATION_EVIDENCE = True
    request = factories.submitted()
    stored = settings.PV_PRIVATE_ROOT / request.evidence_name

    with django_capture_on_commit_callbacks(execute=True):
        actions.decide_request(verifier=factories.verifier(), request=request, approve=True)

    request.refresh_from_db()
    assert stored.exists()
    assert request.evidence_name


def test_the_credential_lasts_the_configured_months(settings):
    settings.PV_CREDENTIAL_MONTHS = 3

    credential = factories.approved()

    assert 88 <= (credential.expires_at - credential.verified_at).days <= 92


def test_a_rejection_without_a_reason_comes_back_with_the_decision_kept():
    request = factories.submitted()

    response = _mfa_client(factories.verifier()).post(
        reverse("professionals:decide", args=[request.public_id]),
        {"decision": "reject", "reason": " "},
    )

    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert response.context["form"]["decision"].value() == "reject"
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_the_applicant_reads_the_reason_for_a_rejection():
    request = factories.submitted()
    actions.decide_request(
        verifier=factories.verifier(),
        request=request,
        approve=False,
        reason="Legitimationsnumret finns inte i HOSP.",
    )

    page = _plain_client(request.applicant).get(reverse("professionals:status")).text

    assert "Legitimationsnumret finns inte i HOSP." in page
    assert not Credential.objects.filter(user=request.applicant).exists()
    assert AuditEntry.objects.get(action="professionals.request_rejected").reason == (
        "Legitimationsnumret finns inte i HOSP."
    )


def test_a_request_is_decided_once():
    request = factories.submitted()
    verifier = factories.verifier()
    actions.decide_request(verifier=verifier, request=request, approve=False, reason="Nej")

    with pytest.raises(RequestDecided):
        actions.decide_request(verifier=verifier, request=request, approve=True)

    response = _mfa_client(verifier).post(
        reverse("professionals:decide", args=[request.public_id]), {"decision": "approve"}
    )
    assert response.status_code == 409


def test_a_verifier_cannot_decide_their_own_request():
    verifier = factories.verifier()
    request = factories.submitted(verifier)

    response = _mfa_client(verifier).post(
        reverse("professionals:decide", args=[request.public_id]), {"decision": "approve"}
    )

    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_an_applicant_who_turned_off_two_step_verification_is_not_approved():
    from allauth.mfa.models import Authenticator

    request = factories.submitted()
    Authenticator.objects.filter(user=request.applicant).delete()

    with pytest.raises(ApplicantWithoutMfa) as refused:
        actions.decide_request(verifier=factories.verifier(), request=request, approve=True)

    assert refused.value.status == 409


def test_re_approval_supersedes_the_earlier_credential():
    first = factories.approved()

    second = factories.approved(first.user, specialty="Hjärtsjukvård")

    first.refresh_from_db()
    assert first.superseded_at is not None
    assert second.is_active()
    assert Credential.objects.filter(user=first.user, superseded_at__isnull=True).count() == 1


def test_the_group_exists_after_migrations():
    assert Group.objects.filter(name="verifier").exists()


def test_the_pdf_is_downloaded_not_rendered_even_as_a_picture():
    request = factories.submitted(data=factories.png_bytes())

    response = _mfa_client(factories.verifier()).get(
        reverse("professionals:evidence", args=[request.public_id])
    )

    assert response["Content-Type"] == "image/webp"
    assert response["Content-Disposition"].startswith("attachment;")
