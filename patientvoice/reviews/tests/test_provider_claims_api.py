"""Staff's claims through the API: the queue by filter, deciding and revoking with the
pages' rules and refusals in the API's error shape; a token never carries staff powers;
a reply says whether it still speaks for the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from patientvoice.api import actions as api_actions
from patientvoice.core.testing.sessions import log_in
from patientvoice.reviews import provider_actions
from patientvoice.reviews.models import ClaimStatus, NoticeKind, ProviderClaim, ReviewNotice

from .factories import StaffFactory, UserFactory, acting_staff, clinic, review
from .provider_factories import approved_claim, reply

pytestmark = pytest.mark.django_db
JSON = "application/json"
QUEUE = "/api/v1/provider-claims/queue"


def _staff_session() -> Client:
    client = Client()
    log_in(client, acting_staff())
    return client


def _bearer(user: Any) -> dict[str, Any]:
    _, raw = api_actions.create_token(user=user, name="test", scope="read_write", lifetime_days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def _pending() -> ProviderClaim:
    return provider_actions.request_claim(
        user=UserFactory.create(), entry=clinic(), role="Chef", evidence="Ring växeln."
    )


def test_staff_list_pending_approved_and_decided_claims_with_the_evidence():
    waiting = _pending()
    speaking = approved_claim(clinic())
    client = _staff_session()

    pending = client.get(f"{QUEUE}?show=pending").json()
    approved = client.get(f"{QUEUE}?show=approved").json()
    decided = client.get(f"{QUEUE}?show=decided").json()

    assert [item["public_id"] for item in pending["items"]] == [str(waiting.public_id)]
    assert pending["items"][0]["evidence"] == "Ring växeln."
    assert pending["items"][0]["claimant"] == waiting.user.handle
    assert [item["public_id"] for item in approved["items"]] == [str(speaking.public_id)]
    assert decided == {"items": [], "count": 0}


def test_an_unknown_filter_is_422():
    response = _staff_session().get(f"{QUEUE}?show=everything")

    _error(response, 422, "invalid")


def test_staff_revoke_through_the_api_and_the_member_is_told():
    claim = approved_claim(clinic())

    response = _staff_session().post(
        f"/api/v1/provider-claims/{claim.public_id}/revocation",
        {"reason": "Slutat på kliniken."},
        content_type=JSON,
    )

    assert response.status_code == 200
    assert response.json()["status"] == ClaimStatus.REVOKED
    assert response.json()["reason"] == "Slutat på kliniken."
    assert ReviewNotice.objects.filter(recipient=claim.user, kind=NoticeKind.CLAIM_REVOKED).exists()


def test_revoking_a_pending_claim_is_409_and_without_a_reason_422():
    waiting = _pending()
    speaking = approved_claim(clinic())
    client = _staff_session()

    not_approved = client.post(
        f"/api/v1/provider-claims/{waiting.public_id}/revocation",
        {"reason": "Slutat."},
        content_type=JSON,
    )
    no_reason = client.post(
        f"/api/v1/provider-claims/{speaking.public_id}/revocation",
        {"reason": "   "},
        content_type=JSON,
    )
    empty = client.post(
        f"/api/v1/provider-claims/{speaking.public_id}/revocation",
        {"reason": ""},
        content_type=JSON,
    )

    _error(not_approved, 409, "claim_not_approved")
    _error(no_reason, 422, "invalid")
    _error(empty, 422, "invalid")
    speaking.refresh_from_db()
    assert speaking.status == ClaimStatus.APPROVED


def test_staff_decide_through_the_api_once():
    waiting = _pending()
    client = _staff_session()
    url = f"/api/v1/provider-claims/{waiting.public_id}/decision"

    first = client.post(url, {"decision": "approve", "reason": "Ringt."}, content_type=JSON)
    second = client.post(url, {"decision": "reject", "reason": "Oj."}, content_type=JSON)

    assert first.status_code == 200
    assert first.json()["status"] == ClaimStatus.APPROVED
    assert first.json()["decided_by"]
    _error(second, 409, "claim_decided")


def test_an_unknown_claim_is_404_for_staff():
    response = _staff_session().post(
        "/api/v1/provider-claims/00000000-0000-4000-8000-000000000000/revocation",
        {"reason": "Slutat."},
        content_type=JSON,
    )

    _error(response, 404, "not_found")


@pytest.mark.parametrize("who", ["visitor", "member", "claimant", "staff_token", "staff_no_mfa"])
def test_only_staff_in_a_session_with_two_step_verification_list_decide_and_revoke(who):
    claim = approved_claim(clinic())
    client, headers = Client(), dict[str, Any]()
    if who == "member":
        headers = _bearer(UserFactory.create())
    elif who == "claimant":
        headers = _bearer(claim.user)
    elif who == "staff_token":
        headers = _bearer(acting_staff())
    elif who == "staff_no_mfa":
        client.force_login(StaffFactory.create())

    listed = client.get(f"{QUEUE}?show=approved", **headers)
    revoked = client.post(
        f"/api/v1/provider-claims/{claim.public_id}/revocation",
        {"reason": "Slutat."},
        content_type=JSON,
        **headers,
    )

    expected = 401 if who == "visitor" else 403
    assert listed.status_code == expected
    assert revoked.status_code == expected
    assert str(claim.public_id) not in listed.content.decode()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED


def test_a_reply_says_whether_it_still_speaks_for_the_page():
    place = clinic()
    claim = approved_claim(place)
    rated = review(place)
    reply(rated, claim)
    url = f"/api/v1/reviews/{rated.public_id}/reply"
    before = Client().get(url).json()

    provider_actions.revoke_claim(staff=acting_staff(), claim=claim, reason="Slutat.")
    after = Client().get(url).json()

    assert before["speaks_for_entry"] is True
    assert after["speaks_for_entry"] is False
    assert after["status"] == "published"


def test_the_staff_queue_has_a_fixed_query_count(django_assert_num_queries):
    staff = acting_staff()
    for _ in range(30):
        claim = _pending()
        provider_actions.decide_claim(staff=staff, claim=claim, approve=True, reason="Ja.")
    client = Client()
    log_in(client, staff)
    client.get(f"{QUEUE}?show=approved")

    # session, user, the second factor, consent is on the user row; count, page
    with django_assert_num_queries(5):
        response = client.get(f"{QUEUE}?show=approved&limit=100")

    assert response.json()["count"] == 30
