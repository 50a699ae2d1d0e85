"""The professionals' API: the person's own, the verifiers' (a session that passed
two-step verification, never a token) and anyone's public credential by handle."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from patientvoice.accounts.models import Audience
from patientvoice.api.tests.conftest import assert_error
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.professionals.models import RequestStatus, VerificationRequest

from . import factories
from .factories import ANSWERS, pdf_bytes

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def bearer() -> Any:
    from patientvoice.api import actions

    def make(user: Any, scope: str = "read") -> dict[str, Any]:
        _, raw = actions.create_token(user=user, name="test", scope=scope, lifetime_days=30)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


def _verifier_session() -> Client:
    client = Client()
    log_in_with_mfa(client, factories.verifier())
    return client


def test_a_member_applies_through_the_api_with_a_file(bearer):
    person = factories.applicant()
    data = {**ANSWERS, "no_industry_ties": "true"}
    data["evidence"] = SimpleUploadedFile(
        "licence.pdf", pdf_bytes(), content_type="application/pdf"
    )

    response = Client().post(
        "/api/v1/professionals/me/requests", data, **bearer(person, "read_write")
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert VerificationRequest.objects.filter(applicant=person).exists()


def test_a_text_file_as_evidence_is_422_on_the_evidence_field(bearer):
    person = factories.applicant()
    data = {**ANSWERS, "no_industry_ties": "true"}
    data["evidence"] = SimpleUploadedFile(
        "licence.pdf", b"plain text", content_type="application/pdf"
    )

    response = Client().post(
        "/api/v1/professionals/me/requests", data, **bearer(person, "read_write")
    )

    body = assert_error(response, 422, "invalid")
    assert body["error"]["details"][0]["loc"] == ["body", "evidence"]


def test_applying_without_two_step_verification_is_403_mfa_required(bearer):
    from patientvoice.accounts.tests.factories import UserFactory

    data = {**ANSWERS, "no_industry_ties": "true"}
    data["evidence"] = SimpleUploadedFile("licence.pdf", pdf_bytes())

    response = Client().post(
        "/api/v1/professionals/me/requests", data, **bearer(UserFactory.create(), "read_write")
    )

    assert_error(response, 403, "mfa_required")


def test_own_requests_and_credential(bearer, django_assert_max_num_queries):
    credential = factories.approved()
    headers = bearer(credential.user)

    with django_assert_max_num_queries(8):
        listed = Client().get("/api/v1/professionals/me/requests", **headers)
    mine = Client().get("/api/v1/professionals/me/credential", **headers)

    assert listed.json()["count"] == 1
    assert listed.json()["items"][0]["status"] == "approved"
    assert mine.json()["active"] is True
    assert mine.json()["real_name"] == "Anna Svensson"


def test_no_credential_is_404(bearer):
    response = Client().get("/api/v1/professionals/me/credential", **bearer(factories.applicant()))

    assert_error(response, 404, "not_found")


def test_a_token_never_carries_the_verifier_role(bearer):
    response = Client().get(
        "/api/v1/professionals/verification-requests", **bearer(factories.verifier())
    )

    assert_error(response, 403, "forbidden")


def test_a_verifier_lists_and_decides_in_a_two_step_session(django_assert_max_num_queries):
    request = factories.submitted()
    for _ in range(5):
        factories.submitted()
    client = _verifier_session()
    client.get("/api/v1/professionals/verification-requests")

    with django_assert_max_num_queries(9):
        listed = client.get("/api/v1/professionals/verification-requests")
    missing_reason = client.post(
        f"/api/v1/professionals/verification-requests/{request.public_id}/decision",
        {"decision": "reject"},
        content_type=JSON,
    )
    decided = client.post(
        f"/api/v1/professionals/verification-requests/{request.public_id}/decision",
        {"decision": "reject", "reason": "Numret finns inte i registret."},
        content_type=JSON,
    )
    again = client.post(
        f"/api/v1/professionals/verification-requests/{request.public_id}/decision",
        {"decision": "approve"},
        content_type=JSON,
    )

    assert listed.json()["count"] == 6
    assert listed.json()["items"][0]["public_id"] == str(request.public_id)
    assert_error(missing_reason, 422, "reason_required")
    assert decided.status_code == 200
    assert decided.json()["status"] == RequestStatus.REJECTED
    assert_error(again, 409, "request_decided")


def test_a_member_cannot_see_someone_elses_request_in_the_verifier_api(bearer):
    request = factories.submitted()
    client = Client()
    client.force_login(factories.applicant())

    response = client.get(f"/api/v1/professionals/verification-requests/{request.public_id}")

    assert_error(response, 403, "forbidden")


def test_the_public_credential_by_handle():
    credential = factories.approved(shows_real_name=False)
    credential.user.profile_audience = Audience.EVERYONE
    credential.user.save(update_fields=["profile_audience"])

    response = Client().get(f"/api/v1/profiles/{credential.user.handle}/credential")

    assert response.status_code == 200
    body = response.json()
    assert body["profession"] == "nurse"
    assert body["real_name"] is None
    assert "licence_number" not in body
    assert "workplace" not in body


def test_no_public_credential_for_a_hidden_profile_or_a_member_without_one():
    hidden = factories.approved()
    hidden.user.profile_audience = Audience.NOBODY
    hidden.user.save(update_fields=["profile_audience"])
    plain = factories.applicant()

    assert_error(
        Client().get(f"/api/v1/profiles/{hidden.user.handle}/credential"), 404, "not_found"
    )
    assert_error(Client().get(f"/api/v1/profiles/{plain.handle}/credential"), 404, "not_found")


def test_staff_revoke_through_the_api():
    credential = factories.approved()
    client = Client()
    log_in_with_mfa(client, factories.staff())

    response = client.post(
        f"/api/v1/professionals/credentials/{credential.public_id}/revoke",
        {"reason": "Återkallad"},
        content_type=JSON,
    )

    assert response.status_code == 200
    assert response.json()["active"] is False
