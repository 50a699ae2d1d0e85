"""The access-token page: create a token (shown once), list and revoke them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.api import actions
from patientvoice.api.models import PersonalAccessToken
from patientvoice.core.testing.sessions import log_in_with_password

pytestmark = pytest.mark.django_db

ROWS = 30


def test_created_token_is_shown_once_on_the_page(client: Client, member: User) -> None:
    log_in_with_password(client, member)

    created = client.post(
        reverse("api_tokens"),
        {"name": "Diary app", "scope": "read", "lifetime_days": "30"},
        follow=True,
    )
    again = client.get(reverse("api_tokens"))

    token = PersonalAccessToken.objects.get(user=member)
    raw = created.context["new_token"]
    assert created.redirect_chain == [(reverse("api_tokens"), 302)]
    assert raw.startswith(token.prefix)
    assert raw in created.content.decode()
    assert raw not in again.content.decode()
    assert "Diary app" in again.content.decode()


def test_reloading_the_page_after_creating_a_token_creates_no_second_one(
    client: Client, member: User
) -> None:
    log_in_with_password(client, member)
    client.post(reverse("api_tokens"), {"name": "Diary", "scope": "read", "lifetime_days": "30"})

    client.get(reverse("api_tokens"))
    client.get(reverse("api_tokens"))

    assert PersonalAccessToken.objects.filter(user=member).count() == 1


def test_token_form_with_an_unknown_lifetime_creates_nothing(client: Client, member: User) -> None:
    log_in_with_password(client, member)

    response = client.post(
        reverse("api_tokens"), {"name": "Forever", "scope": "read", "lifetime_days": "99999"}
    )

    assert response.status_code == 400
    assert not PersonalAccessToken.objects.exists()


@pytest.mark.usefixtures("db_sessions")
def test_token_page_has_a_fixed_query_count(
    client: Client, member: User, django_assert_num_queries: Any
) -> None:
    for n in range(ROWS):
        actions.create_token(user=member, name=f"app {n}", scope="read")
    log_in_with_password(client, member)
    client.get(reverse("api_tokens"))

    # session, user, four for allauth's password-confirmation check, tokens
    with django_assert_num_queries(7):
        response = client.get(reverse("api_tokens"))

    assert response.content.decode().count('/revoke/"') == ROWS


def test_revoked_token_leaves_the_page_and_stops_working(client: Client, member: User) -> None:
    token, raw = actions.create_token(user=member, name="old app", scope="read")
    log_in_with_password(client, member)

    response = client.post(reverse("api_token_revoke", kwargs={"public_id": token.public_id}))

    client.logout()
    assert response["Location"] == reverse("api_tokens")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_nobody_can_revoke_someone_elses_token_from_the_page(client: Client, member: User) -> None:
    token, _ = actions.create_token(user=UserFactory.create(), name="theirs", scope="read")
    log_in_with_password(client, member)

    response = client.post(reverse("api_token_revoke", kwargs={"public_id": token.public_id}))

    assert response.status_code == 404
    assert PersonalAccessToken.objects.get(pk=token.pk).revoked_at is None
