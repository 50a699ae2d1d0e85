"""Profiles: the handle is public, the e-mail address never is; the audience is respected."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.core.testing.sessions import log_in

from .factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _profile_url(user: User) -> str:
    return reverse("accounts:profile", kwargs={"handle": user.handle})


def test_email_never_appears_on_another_persons_profile_page(client: Client) -> None:
    profile = UserFactory.create(
        email="secret.person@example.org", bio="Har RA sedan 2010.", profile_audience="everyone"
    )
    client.force_login(UserFactory.create())

    response = client.get(_profile_url(profile))

    html = response.content.decode()
    assert response.status_code == 200
    assert profile.handle in html
    assert "Har RA sedan 2010." in html
    assert "secret.person" not in html


def test_profile_is_found_by_a_look_alike_of_the_handle(client: Client) -> None:
    UserFactory.create(handle="Anna_1", profile_audience="everyone")

    response = client.get(reverse("accounts:profile", kwargs={"handle": "anna_l"}))

    assert response.status_code == 200
    assert "Anna_1" in response.content.decode()


@pytest.mark.parametrize(
    ("audience", "viewer", "status"),
    [
        ("everyone", "visitor", 200),
        ("everyone", "member", 200),
        ("members", "visitor", 404),
        ("members", "member", 200),
        ("nobody", "visitor", 404),
        ("nobody", "member", 404),
        ("nobody", "staff", 200),
        ("nobody", "self", 200),
    ],
)
def test_profile_page_respects_who_may_see_it(
    client: Client, audience: str, viewer: str, status: int
) -> None:
    profile = UserFactory.create(profile_audience=audience)
    if viewer == "member":
        client.force_login(UserFactory.create())
    elif viewer == "staff":
        log_in(client, StaffFactory.create())
    elif viewer == "self":
        client.force_login(profile)

    assert client.get(_profile_url(profile)).status_code == status


def test_profile_with_a_nul_in_the_address_is_not_found(client: Client) -> None:
    assert client.get("/sv/account/u/a%00b/").status_code == 404


def test_inactive_persons_profile_is_not_found(client: Client) -> None:
    profile = UserFactory.create(profile_audience="everyone", is_active=False)

    assert client.get(_profile_url(profile)).status_code == 404


def test_profile_page_saves_the_changes(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "bio": "  Caregiver for my dad.  ",
            "presence": "caregiver",
            "preferred_language": "en",
            "profile_audience": "nobody",
        },
    )

    user.refresh_from_db()
    assert response.status_code == 302
    assert (user.bio, user.presence, user.preferred_language, user.profile_audience) == (
        "Caregiver for my dad.",
        "caregiver",
        "en",
        "nobody",
    )


def test_profile_page_refuses_an_unknown_audience(client: Client) -> None:
    user = UserFactory.create(profile_audience="members")
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile_edit"),
        {"bio": "", "presence": "patient", "preferred_language": "sv", "profile_audience": "all"},
    )

    user.refresh_from_db()
    assert response.status_code == 400
    assert user.profile_audience == "members"


def test_settings_page_needs_a_signed_in_person(client: Client) -> None:
    response = client.get(reverse("accounts:settings"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
