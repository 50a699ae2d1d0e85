"""Role × action matrix for the thread tools and reading pages of issue 3 (items 4, 5
and 9): pin, lock, move, best answer, permalinks, "first unread", "latest", replies
to a locked thread, and their API endpoints. One row per (action, visibility); every
role gets the status in the row.

Roles: a visitor; a member of the community (not the thread's author); a signed-in
non-member; the moderator of a community of another organisation; a moderator of
the organisation that hosts the community (not a member of it); site staff. The
moderators and staff log in with a second factor, so their powers are active.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import Community, Post, Thread, Visibility
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.organizations import actions as org_actions
from patientvoice.organizations.models import StaffRole

from .factories import (
    CommunityFactory,
    OrganizationFactory,
    PostFactory,
    StaffFactory,
    ThreadFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

VISITOR, MEMBER, NON_MEMBER, OTHER_MODERATOR, ORG_MODERATOR, STAFF = (
    "visitor",
    "member",
    "non_member",
    "moderator_of_another_community",
    "organisation_moderator",
    "site_staff",
)
ROLES = (VISITOR, MEMBER, NON_MEMBER, OTHER_MODERATOR, ORG_MODERATOR, STAFF)
LOGIN = "login"  # a redirect to the login page


@dataclass
class World:
    community: Community
    sibling: Community  # same organisation: a place to move threads to
    thread: Thread
    reply: Post
    people: dict[str, User | None]


def make_world(visibility: str) -> World:
    organization = OrganizationFactory.create()
    author, member = UserFactory.create(), UserFactory.create()
    community = CommunityFactory.create(
        visibility=visibility, organization=organization, members=[author, member]
    )
    sibling = CommunityFactory.create(organization=organization)
    elsewhere = CommunityFactory.create(organization=OrganizationFactory.create())
    thread = ThreadFactory.create(community=community, author=author)
    reply = PostFactory.create(thread=thread, author=member)
    other_moderator, org_moderator = UserFactory.create(), UserFactory.create()
    log_in_with_mfa(Client(), other_moderator)
    actions.make_moderator(actor=None, community=elsewhere, user=other_moderator)
    log_in_with_mfa(Client(), org_moderator)
    org_actions.add_staff(
        actor=None, organization=organization, user=org_moderator, role=StaffRole.MODERATOR
    )
    people: dict[str, User | None] = {
        VISITOR: None,
        MEMBER: member,
        NON_MEMBER: UserFactory.create(),
        OTHER_MODERATOR: other_moderator,
        ORG_MODERATOR: org_moderator,
        STAFF: StaffFactory.create(),
    }
    return World(community, sibling, thread, reply, people)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is None:
        return client
    moderates = (
        user.memberships.filter(role="moderator").exists() or user.organization_roles.exists()
    )
    if user.is_staff or moderates:
        log_in_with_mfa(client, user)
    else:
        log_in(client, user)
    return client


def _thread_args(w: World) -> list[Any]:
    return [w.community.slug, w.thread.public_id]


def _api(w: World, tail: str = "") -> str:
    return f"/api/v1/communities/{w.community.slug}/threads/{w.thread.public_id}{tail}"


Request = Callable[[Client, World], Any]


def pin(c: Client, w: World) -> Any:
    return c.post(reverse("communities:moderate", args=_thread_args(w)), {"action": "pin"})


def lock(c: Client, w: World) -> Any:
    return c.post(reverse("communities:moderate", args=_thread_args(w)), {"action": "lock"})


def move_form(c: Client, w: World) -> Any:
    return c.get(reverse("communities:move", args=_thread_args(w)))


def move(c: Client, w: World) -> Any:
    return c.post(reverse("communities:move", args=_thread_args(w)), {"community": w.sibling.slug})


def mark_best(c: Client, w: World) -> Any:
    url = reverse("communities:best_answer", args=_thread_args(w))
    return c.post(url, {"post": str(w.reply.public_id)})


def permalink(c: Client, w: World) -> Any:
    return c.get(reverse("communities:post", args=[*_thread_args(w), w.reply.public_id]))


def first_unread(c: Client, w: World) -> Any:
    return c.get(reverse("communities:first_unread", args=_thread_args(w)))


def latest(c: Client, w: World) -> Any:
    return c.get(reverse("communities:latest"))


def quote(c: Client, w: World) -> Any:
    return c.get(w.thread.get_absolute_url() + f"?quote={w.reply.public_id}")


def api_pin(c: Client, w: World) -> Any:
    return c.patch(_api(w), json.dumps({"is_pinned": True}), content_type="application/json")


def api_move(c: Client, w: World) -> Any:
    body = json.dumps({"community": w.sibling.slug})
    return c.patch(_api(w), body, content_type="application/json")


def api_best(c: Client, w: World) -> Any:
    body = json.dumps({"post": str(w.reply.public_id)})
    return c.put(_api(w, "/best-answer"), body, content_type="application/json")


def api_reply(c: Client, w: World) -> Any:
    body = json.dumps({"body": "From the API", "reply_to": str(w.reply.public_id)})
    return c.post(_api(w, "/posts"), body, content_type="application/json")


def api_react(c: Client, w: World) -> Any:
    return c.put(_api(w, f"/posts/{w.reply.public_id}/reactions/hug"))


def api_posts(c: Client, w: World) -> Any:
    return c.get(_api(w, "/posts"))


def api_join(c: Client, w: World) -> Any:
    return c.post(f"/api/v1/communities/{w.community.slug}/membership")


def expect(default: Any, **overrides: Any) -> dict[str, Any]:
    return {role: overrides.get(role, default) for role in ROLES}


MODERATORS_ONLY = {ORG_MODERATOR: 302, STAFF: 302}
PUBLIC, MEMBERS, PRIVATE = Visibility.PUBLIC, Visibility.MEMBERS, Visibility.PRIVATE
# Outsiders of a members-only or private community must not learn its threads exist:
# 404. The hosting organisation's moderators are not among them: with their powers
# active they read and moderate its communities without joining (decisions/0026).
HIDDEN = {NON_MEMBER: 404, OTHER_MODERATOR: 404}

ROWS: list[tuple[str, str, Request, dict[str, Any]]] = [
    ("pin", PUBLIC, pin, expect(403, visitor=LOGIN, **MODERATORS_ONLY)),
    ("pin", MEMBERS, pin, expect(403, visitor=LOGIN, **HIDDEN, **MODERATORS_ONLY)),
    ("pin", PRIVATE, pin, expect(403, visitor=LOGIN, **HIDDEN, **MODERATORS_ONLY)),
    ("lock", PUBLIC, lock, expect(403, visitor=LOGIN, **MODERATORS_ONLY)),
    ("lock", MEMBERS, lock, expect(403, visitor=LOGIN, **HIDDEN, **MODERATORS_ONLY)),
    ("move form", PUBLIC, move_form, expect(403, visitor=LOGIN, organisation_moderator=200,
                                            site_staff=200)),
    ("move", PUBLIC, move, expect(403, visitor=LOGIN, **MODERATORS_ONLY)),
    ("move", MEMBERS, move, expect(403, visitor=LOGIN, **HIDDEN, **MODERATORS_ONLY)),
    ("best answer", PUBLIC, mark_best, expect(403, visitor=LOGIN, **MODERATORS_ONLY)),
    ("best answer", MEMBERS, mark_best, expect(403, visitor=LOGIN, **HIDDEN,
                                               **MODERATORS_ONLY)),
    ("permalink", PUBLIC, permalink, expect(302)),
    ("permalink", MEMBERS, permalink, expect(302, visitor=404, **HIDDEN)),
    ("permalink", PRIVATE, permalink, expect(302, visitor=404, **HIDDEN)),
    ("first unread", PUBLIC, first_unread, expect(302)),
    ("first unread", MEMBERS, first_unread, expect(302, visitor=404, **HIDDEN)),
    ("quote", PUBLIC, quote, expect(200)),
    ("quote", MEMBERS, quote, expect(200, visitor=404, **HIDDEN)),
    ("latest", PUBLIC, latest, expect(200, visitor=LOGIN)),
    ("api pin", PUBLIC, api_pin, expect(403, visitor=401, organisation_moderator=200,
                                        site_staff=200)),
    ("api pin", MEMBERS, api_pin, expect(403, visitor=401, **HIDDEN, organisation_moderator=200,
                                         site_staff=200)),
    ("api move", PUBLIC, api_move, expect(403, visitor=401, organisation_moderator=200,
                                          site_staff=200)),
    ("api best answer", PUBLIC, api_best, expect(403, visitor=401, organisation_moderator=200,
                                                 site_staff=200)),
    ("api best answer", MEMBERS, api_best, expect(403, visitor=401, **HIDDEN,
                                                  organisation_moderator=200, site_staff=200)),
    # Writing takes membership: moderators and staff who did not join are refused.
    ("api reply", PUBLIC, api_reply, expect(403, visitor=401, member=201)),
    ("api reply", MEMBERS, api_reply, expect(403, visitor=401, member=201, **HIDDEN)),
    ("api react", PUBLIC, api_react, expect(204, visitor=401)),
    ("api react", MEMBERS, api_react, expect(204, visitor=401, **HIDDEN)),
    ("api posts", MEMBERS, api_posts, expect(200, visitor=404, **HIDDEN)),
    ("api posts", PRIVATE, api_posts, expect(200, visitor=404, **HIDDEN)),
    ("api join", MEMBERS, api_join, expect(201, visitor=401, member=200)),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("action", "visibility", "request_", "statuses"),
    ROWS,
    ids=[f"{action}-{visibility}" for action, visibility, _r, _s in ROWS],
)
def test_each_role_gets_the_expected_answer(
    action: str, visibility: str, request_: Request, statuses: dict[str, Any], role: str
) -> None:
    world = make_world(visibility)
    client = client_for(world.people[role])

    response = request_(client, world)

    expected = statuses[role]
    if expected == LOGIN:
        assert response.status_code == 302
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == expected, (action, visibility, role, response.content[:300])
