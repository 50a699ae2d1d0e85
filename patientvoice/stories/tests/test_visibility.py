"""The visibility rule for stories and comments on every surface (pages, lists, the
feed, the API), and a role × action matrix of what each kind of person may do."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.communities.models import Community
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see
from patientvoice.moderation.tests.factories import organization_staff
from patientvoice.organizations.models import Organization

from .factories import (
    PHONE_BODY,
    CommentFactory,
    CommunityFactory,
    GuestCommentFactory,
    OrganizationFactory,
    StaffFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_public_story_is_seen_by_everyone(story, reader):
    assert_can_see(None, story)
    assert_can_see(reader, story)


def test_a_private_communitys_story_is_hidden_from_visitors_and_outsiders(private_story, reader):
    assert_cannot_see(None, private_story)
    assert_cannot_see(UserFactory.create(), private_story)
    assert_can_see(reader, private_story)


def test_a_members_only_communitys_story_is_for_its_members(author, reader):
    community = CommunityFactory.create(members_only=True, members=[reader])
    story = StoryFactory.create(author=author, community=community)

    assert_cannot_see(None, story)
    assert_cannot_see(UserFactory.create(), story)
    assert_can_see(reader, story)


def test_the_hosting_organisations_staff_read_a_private_communitys_story(
    private_story, org_moderator
):
    client = Client()
    log_in_with_mfa(client, org_moderator)

    assert_can_see(client, private_story)


def test_a_held_story_is_seen_by_its_author_only(author, reader):
    held = StoryFactory.create(author=author, body=PHONE_BODY)

    assert_can_see(author, held)
    assert_cannot_see(reader, held)
    assert_cannot_see(None, held)


def test_a_held_guest_comment_is_hidden_from_everyone_but_staff(story, author, staff):
    comment = GuestCommentFactory.create(story=story)

    assert_cannot_see(None, comment)
    assert_cannot_see(author, comment)
    client = Client()
    log_in_with_mfa(client, staff)
    assert_can_see(client, comment)


def test_a_comment_on_a_private_story_is_hidden_from_outsiders(private_story, reader):
    comment = CommentFactory.create(story=private_story, author=reader)

    assert_cannot_see(None, comment)
    assert_cannot_see(UserFactory.create(), comment)
    assert_can_see(reader, comment)


def test_a_members_held_comment_is_seen_by_its_author(story, reader):
    comment = CommentFactory.create(story=story, author=reader, body=PHONE_BODY)

    assert_can_see(reader, comment)
    assert_cannot_see(None, comment)


# --- role × action ---------------------------------------------------------------------

ROLES = ("visitor", "author", "member", "non_member", "org_moderator", "staff")


@pytest.fixture
def world() -> dict[str, Any]:
    organization: Organization = OrganizationFactory.create()
    author = UserFactory.create()
    member = UserFactory.create()
    community: Community = CommunityFactory.create(
        private=True, organization=organization, members=[member]
    )
    people = {
        "author": author,
        "member": member,
        "non_member": UserFactory.create(),
        "org_moderator": organization_staff(organization),
        "staff": StaffFactory.create(),
    }
    return {
        "people": people,
        "organization": organization,
        "public": StoryFactory.create(author=author),
        "private": StoryFactory.create(author=author, community=community),
    }


def _client(world: dict[str, Any], role: str) -> Client:
    client = Client()
    person = world["people"].get(role)
    if person is not None:
        if role == "org_moderator":
            log_in_with_mfa(client, person)
        else:
            log_in(client, person)
    return client


def _feature(world: dict[str, Any], which: str) -> tuple[str, dict[str, str]]:
    story = world[which]
    return (
        reverse("stories:feature", kwargs={"public_id": story.public_id}),
        {"organization": world["organization"].slug, "feature": "on"},
    )


# (what, method, url and data, expected status per role in ROLES order)
MATRIX = [
    ("read public", "get", lambda w: (w["public"].get_absolute_url(), {}),
     (200, 200, 200, 200, 200, 200)),
    ("read private", "get", lambda w: (w["private"].get_absolute_url(), {}),
     (404, 200, 200, 404, 200, 200)),
    ("edit public", "get", lambda w: (reverse("stories:edit", args=[w["public"].public_id]), {}),
     (302, 200, 404, 404, 404, 404)),
    ("delete public", "post",
     lambda w: (reverse("stories:delete", args=[w["public"].public_id]), {}),
     (302, 302, 404, 404, 404, 404)),
    ("comment public", "post",
     lambda w: (reverse("stories:comment", args=[w["public"].public_id]), {"body": "Hej hej"}),
     (400, 302, 302, 302, 302, 302)),
    ("comment private", "post",
     lambda w: (reverse("stories:comment", args=[w["private"].public_id]), {"body": "Hej hej"}),
     (404, 302, 302, 404, 403, 403)),
    ("feature public", "post", lambda w: _feature(w, "public"),
     (302, 403, 403, 403, 302, 403)),
    ("feature private", "post", lambda w: _feature(w, "private"),
     (302, 403, 403, 404, 302, 403)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("what", "method", "request_of", "statuses"), MATRIX, ids=[m[0] for m in MATRIX]
)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_answer_the_rules_give(world, role, what, method, request_of, statuses):
    url, data = request_of(world)
    client = _client(world, role)

    response = getattr(client, method)(url, data)

    assert response.status_code == statuses[ROLES.index(role)], (role, what)
