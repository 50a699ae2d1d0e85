"""API authentication: session or personal access token, and what each may do."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.api.actions import create_token, hash_token
from patientvoice.api.models import PersonalAccessToken
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in_with_password

from .conftest import assert_error

pytestmark = pytest.mark.django_db

Bearer = Callable[..., dict[str, Any]]


def _patch_me(client: Client, data: Any, **headers: Any) -> Any:
    return client.patch(
        "/api/v1/me", data=json.dumps(data), content_type="application/json", **headers
    )


def test_me_answers_401_in_the_error_shape_for_a_visitor(client: Client) -> None:
    response = client.get("/api/v1/me")

    assert_error(response, 401, "unauthenticated")


def test_me_works_with_the_browser_session(client: Client, member: User) -> None:
    client.force_login(member)

    response = client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["handle"] == "Anna_R"
    assert response.json()["email"] == "anna@example.org"


def test_me_works_with_a_personal_access_token(
    client: Client, member: User, bearer: Bearer
) -> None:
    response = client.get("/api/v1/me", **bearer(member))

    assert response.status_code == 200
    assert response.json()["handle"] == "Anna_R"


def test_token_records_when_it_was_last_used(client: Client, member: User, bearer: Bearer) -> None:
    headers = bearer(member)

    client.get("/api/v1/me", **headers)

    assert PersonalAccessToken.objects.get(user=member).last_used_at is not None


def test_read_token_cannot_change_the_profile(client: Client, member: User, bearer: Bearer) -> None:
    response = _patch_me(client, {"bio": "changed"}, **bearer(member, scope="read"))

    assert_error(response, 403, "insufficient_scope")
    member.refresh_from_db()
    assert member.bio == ""


def test_read_write_token_can_change_the_profile(
    client: Client, member: User, bearer: Bearer
) -> None:
    response = _patch_me(client, {"bio": "Hej!"}, **bearer(member, scope="read_write"))

    member.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["bio"] == "Hej!"
    assert member.bio == "Hej!"


def test_revoked_token_answers_401(client: Client, member: User, bearer: Bearer) -> None:
    headers = bearer(member)
    token = PersonalAccessToken.objects.get(user=member)
    client.force_login(member)
    client.delete(f"/api/v1/me/tokens/{token.public_id}")
    client.logout()

    response = client.get("/api/v1/me", **headers)

    assert_error(response, 401, "unauthenticated")


def test_expired_token_answers_401(client: Client, member: User, bearer: Bearer) -> None:
    headers = bearer(member, lifetime_days=1)
    PersonalAccessToken.objects.filter(user=member).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    response = client.get("/api/v1/me", **headers)

    assert_error(response, 401, "unauthenticated")


def test_unknown_token_answers_401(client: Client) -> None:
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer pv_not-a-real-token")

    assert_error(response, 401, "unauthenticated")


def test_token_of_a_deactivated_account_answers_401(
    client: Client, member: User, bearer: Bearer
) -> None:
    headers = bearer(member)
    User.objects.filter(pk=member.pk).update(is_active=False)

    assert_error(client.get("/api/v1/me", **headers), 401, "unauthenticated")


def test_token_stops_working_once_erasure_is_requested(
    client: Client, member: User, bearer: Bearer
) -> None:
    headers = bearer(member)

    account_actions.request_erasure(user=member, mode="anonymise")

    assert_error(client.get("/api/v1/me", **headers), 401, "unauthenticated")


def test_session_stops_working_once_erasure_is_requested(client: Client, member: User) -> None:
    client.force_login(member)

    account_actions.request_erasure(user=member, mode="anonymise")

    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")


def test_token_is_created_with_the_session_and_shown_once(client: Client, member: User) -> None:
    log_in_with_password(client, member)

    response = client.post(
        "/api/v1/me/tokens",
        data=json.dumps({"name": "My diary app", "scope": "read_write"}),
        content_type="application/json",
    )

    body = response.json()
    assert response.status_code == 201
    assert body["token"].startswith("pv_")
    assert body["prefix"] == body["token"][:10]
    assert (body["name"], body["scope"]) == ("My diary app", "read_write")
    listed = client.get("/api/v1/me/tokens").json()
    assert [t["name"] for t in listed] == ["My diary app"]
    assert "token" not in listed[0]


def test_token_cannot_create_more_tokens(client: Client, member: User, bearer: Bearer) -> None:
    headers = bearer(member, scope="read_write")

    response = client.post(
        "/api/v1/me/tokens",
        data=json.dumps({"name": "minted"}),
        content_type="application/json",
        **headers,
    )

    assert_error(response, 401, "unauthenticated")
    assert PersonalAccessToken.objects.filter(user=member).count() == 1


def test_token_cannot_list_or_revoke_tokens(client: Client, member: User, bearer: Bearer) -> None:
    headers = bearer(member, scope="read_write")
    token = PersonalAccessToken.objects.get(user=member)

    listing = client.get("/api/v1/me/tokens", **headers)
    revoking = client.delete(f"/api/v1/me/tokens/{token.public_id}", **headers)

    assert_error(listing, 401, "unauthenticated")
    assert_error(revoking, 401, "unauthenticated")
    assert PersonalAccessToken.objects.get(pk=token.pk).revoked_at is None


def test_nobody_can_revoke_someone_elses_token(client: Client, member: User) -> None:
    client.force_login(UserFactory.create())
    their_token, _ = create_token(user=member, name="theirs", scope="read")

    response = client.delete(f"/api/v1/me/tokens/{their_token.public_id}")

    assert_error(response, 404, "not_found")
    assert PersonalAccessToken.objects.get(pk=their_token.pk).revoked_at is None


def test_tokens_are_stored_only_as_a_hash(client: Client, member: User) -> None:
    log_in_with_password(client, member)

    raw = client.post(
        "/api/v1/me/tokens", data=json.dumps({"name": "app"}), content_type="application/json"
    ).json()["token"]

    stored = PersonalAccessToken.objects.values().get(user=member)
    assert stored["token_hash"] == hash_token(raw)
    assert raw not in json.dumps(stored, default=str)
    assert raw not in json.dumps(list(AuditEntry.objects.values()), default=str)


def test_session_writes_need_the_csrf_token(member: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = _patch_me(client, {"bio": "forged"})

    assert_error(response, 403, "forbidden")
    member.refresh_from_db()
    assert member.bio == ""


def test_token_writes_need_no_csrf_token(member: User, bearer: Bearer) -> None:
    client = Client(enforce_csrf_checks=True)

    response = _patch_me(client, {"bio": "from my app"}, **bearer(member, scope="read_write"))

    assert response.status_code == 200


def test_person_without_current_consent_can_still_see_who_they_are(
    client: Client, bearer: Bearer
) -> None:
    user = UserFactory.create(consented=False)

    response = client.get("/api/v1/me", **bearer(user))

    assert response.status_code == 200


def test_person_without_current_consent_is_asked_for_it_first(client: Client) -> None:
    client.force_login(UserFactory.create(consented=False))

    response = client.get("/api/v1/me/tokens")

    assert_error(response, 403, "consent_required")


def test_giving_consent_through_the_api_opens_the_rest_of_it(
    client: Client, bearer: Bearer
) -> None:
    user = UserFactory.create(consented=False)
    headers = bearer(user, scope="read_write")
    assert_error(client.get("/api/v1/communities", **headers), 403, "consent_required")

    client.put(
        "/api/v1/me/consents",
        data=json.dumps({"granted": ["health_data"]}),
        content_type="application/json",
        **headers,
    )

    assert client.get("/api/v1/communities", **headers).status_code == 200


def test_token_creation_with_an_old_login_asks_to_confirm_the_password(
    client: Client, member: User
) -> None:
    client.force_login(member)  # a session with no recent authentication record

    response = client.post(
        "/api/v1/me/tokens", {"name": "diary", "scope": "read"}, content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "reauthentication_required"


def test_token_page_with_an_old_login_asks_for_the_password_first(
    client: Client, member: User
) -> None:
    client.force_login(member)

    response = client.get(reverse("api_tokens"))

    assert response.status_code == 302
    assert "reauthenticate" in response["Location"]


def test_changing_the_password_revokes_every_token(client: Client, member: User) -> None:
    from allauth.account import signals

    from patientvoice.api.actions import create_token

    token, raw = create_token(user=member, name="diary", scope="read")

    signals.password_changed.send(sender=User, request=None, user=member)

    token.refresh_from_db()
    assert token.revoked_at is not None
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 401


def test_a_staff_members_token_carries_no_staff_powers(client: Client) -> None:
    from patientvoice.accounts.tests.factories import StaffFactory
    from patientvoice.api.actions import create_token
    from patientvoice.communities.tests.factories import CommunityFactory, ThreadFactory

    community = CommunityFactory.create(private=True)
    ThreadFactory.create(community=community)
    staff = StaffFactory.create()
    _, raw = create_token(user=staff, name="script", scope="read")

    response = client.get(
        f"/api/v1/communities/{community.slug}/threads", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )

    assert response.status_code == 404
