"""The home page remembered per state (core.home_page): for every pair of kinds of
reader, and after each kind of change, the page served from remembered pieces equals
the page rendered afresh."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.communities import actions
from patientvoice.communities.models import Thread
from patientvoice.communities.tests.conftest import logged_in
from patientvoice.communities.tests.factories import (
    PHONE_BODY,
    CommunityFactory,
    OrganizationFactory,
    PostFactory,
    ThreadFactory,
)
from patientvoice.core.home_page import HOME_SECTIONS, HOME_SHELLS
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.notifications import actions as notification_actions
from patientvoice.organizations import actions as organization_actions
from patientvoice.organizations.tests.sponsor_factories import (
    sponsor,
    sponsorship_of,
    staff_of,
    with_second_factor,
)

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(client: Client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200
    return _TOKEN.sub('name="csrfmiddlewaretoken" value=""', response.text)


def _forget() -> None:
    HOME_SECTIONS.clear()
    HOME_SHELLS.clear()


@pytest.fixture
def world(django_capture_on_commit_callbacks: Any) -> dict[str, Any]:
    """Member A of a hosted public community and a members-only one, with read, unread,
    new and held threads; member B of other communities (one private); a community
    moderator; site staff; the hosting organisation's staff; a visitor."""
    a, b, moderator = (UserFactory.create(handle=h) for h in ("Member_A", "Member_B", "Mod_1"))
    organization = OrganizationFactory.create()
    hosted = CommunityFactory.create(organization=organization, members=[a, moderator])
    members_only = CommunityFactory.create(members_only=True, members=[a])
    CommunityFactory.create(private=True, organization=organization, members=[b])
    CommunityFactory.create(members=[b])
    actions.make_moderator(actor=None, community=hosted, user=with_second_factor(moderator))
    read = ThreadFactory.create(community=hosted, author=moderator)
    ThreadFactory.create(community=hosted, author=moderator)  # new for A
    ThreadFactory.create(community=members_only, author=a)  # A's own
    ThreadFactory.create(community=hosted, author=a, body=PHONE_BODY)  # held: A's only
    clients: dict[str, Client] = {"visitor": Client(), "a": logged_in(a), "b": logged_in(b)}
    for name, person in (
        ("moderator", moderator),
        ("staff", StaffFactory.create()),
        ("host", staff_of(organization)),
    ):
        clients[name] = Client()
        log_in_with_mfa(clients[name], person)
    clients["a"].get(read.get_absolute_url())
    notification_actions.follow_thread(user=a, thread=read)
    with django_capture_on_commit_callbacks(execute=True):
        PostFactory.create(thread=read, author=moderator)  # unread for A, and notified
    return {
        "a": a,
        "b": b,
        "moderator": moderator,
        "read": read,
        "hosted": hosted,
        "organization": organization,
        "clients": clients,
    }


def test_a_remembered_home_page_is_the_page_each_reader_would_get_afresh(world):
    clients: dict[str, Client] = world["clients"]
    for language in ("sv", "en"):
        address = f"/{language}/"
        for first, first_client in clients.items():
            for second, second_client in clients.items():
                _forget()
                _page(first_client, address)
                served = _page(second_client, address)
                _forget()
                fresh = _page(second_client, address)
                assert served == fresh, f"{second} after {first} ({language})"
    # The memos were in use.
    assert len(HOME_SECTIONS) > 0
    assert len(HOME_SHELLS) > 0


def test_the_member_sees_the_same_page_from_the_memo_as_afresh(world):
    client = world["clients"]["a"]

    remembered = _page(client, "/en/")
    again = _page(client, "/en/")

    assert again == remembered
    assert "Welcome back, Member_A" in again
    assert "badge-unread" in again  # the thread new to A
    assert f'/unread/">{Thread.objects.filter(post_count=2).get().title}' in again


def _new_thread(w: dict[str, Any]) -> None:
    ThreadFactory.create(community=w["hosted"], author=w["b"])


def _reply(w: dict[str, Any]) -> None:
    PostFactory.create(thread=Thread.objects.filter(community=w["hosted"]).first(), author=w["a"])


def _notified(w: dict[str, Any]) -> None:
    PostFactory.create(thread=w["read"], author=w["moderator"])  # A follows it


def _rename(w: dict[str, Any]) -> None:
    actions.update_community_settings(
        actor=None, community=w["hosted"], fields={"name": "Renamed together"}
    )


def _verify(w: dict[str, Any]) -> None:
    organization_actions.verify_organization(
        actor=StaffFactory.create(), organization=w["organization"]
    )


def _join(w: dict[str, Any]) -> None:
    actions.join_community(user=w["b"], community=w["hosted"])


def _leave(w: dict[str, Any]) -> None:
    actions.leave_community(user=w["a"], community=w["hosted"])


def _new_handle(w: dict[str, Any]) -> None:
    account_actions.change_handle(user=w["a"], handle="Member_A2")


def _sponsorship(w: dict[str, Any]) -> None:
    sponsorship_of(sponsor())


def _read_all(w: dict[str, Any]) -> None:
    for thread in Thread.objects.filter(community=w["hosted"]):
        w["clients"]["a"].get(thread.get_absolute_url())


CHANGES: dict[str, Callable[[dict[str, Any]], None]] = {
    "new thread": _new_thread,
    "reply": _reply,
    "notified": _notified,
    "renamed community": _rename,
    "verified host": _verify,
    "new member": _join,
    "member left": _leave,
    "new handle": _new_handle,
    "site sponsorship": _sponsorship,
    "threads read": _read_all,
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_remembered_home_page_follows_each_change(
    world, change, django_capture_on_commit_callbacks
):
    clients: dict[str, Client] = world["clients"]
    address = reverse("home")
    before = {name: _page(client, address) for name, client in clients.items()}
    with django_capture_on_commit_callbacks(execute=True):
        CHANGES[change](world)

    served = {name: _page(client, address) for name, client in clients.items()}
    _forget()
    fresh = {name: _page(client, address) for name, client in clients.items()}

    for name in clients:
        assert served[name] == fresh[name], f"{name} after {change}"
    assert any(before[name] != fresh[name] for name in clients), f"{change} changed nothing"
