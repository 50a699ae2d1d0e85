"""Who may do what in public, members-only and private communities: one row per
(visibility, role, action), checked through the pages a person would use."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.communities.models import Community, Membership, Post, Thread, Visibility
from patientvoice.core.testing.sessions import log_in

from .factories import (
    PHONE_BODY,
    CommunityFactory,
    PostFactory,
    StaffFactory,
    ThreadFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

VISITOR, MEMBER, NON_MEMBER, HELD_AUTHOR, STAFF = (
    "visitor",
    "member",
    "non_member",
    "author_of_held_post",
    "site_staff",
)
EVERYONE = {VISITOR, MEMBER, NON_MEMBER, HELD_AUTHOR, STAFF}
MEMBERS = {MEMBER, HELD_AUTHOR}

# Site staff read everything (they moderate) but write only where they are members;
# nobody joins a private community on their own (invitations come later).
EXPECTED: dict[str, dict[str, set[str]]] = {
    Visibility.PUBLIC: {
        "see_in_list": EVERYONE,
        "read_threads": EVERYONE,
        "read_held_post": {HELD_AUTHOR, STAFF},
        "post_reply": MEMBERS,
        "join": {MEMBER, NON_MEMBER, HELD_AUTHOR, STAFF},
        "react": {MEMBER, NON_MEMBER, HELD_AUTHOR, STAFF},
        "edit_own_post": {MEMBER},
        "delete_own_post": {MEMBER},
        "see_members": MEMBERS | {STAFF},
        "see_join_requests": {STAFF},
    },
    Visibility.MEMBERS: {
        "see_in_list": EVERYONE,
        "read_threads": MEMBERS | {STAFF},
        "read_held_post": {HELD_AUTHOR, STAFF},
        "post_reply": MEMBERS,
        "join": {MEMBER, NON_MEMBER, HELD_AUTHOR, STAFF},
        "react": MEMBERS | {STAFF},
        "edit_own_post": {MEMBER},
        "delete_own_post": {MEMBER},
        "see_members": MEMBERS | {STAFF},
        "see_join_requests": {STAFF},
    },
    Visibility.PRIVATE: {
        "see_in_list": MEMBERS | {STAFF},
        "read_threads": MEMBERS | {STAFF},
        "read_held_post": {HELD_AUTHOR, STAFF},
        "post_reply": MEMBERS,
        "join": MEMBERS,
        "react": MEMBERS | {STAFF},
        "edit_own_post": {MEMBER},
        "delete_own_post": {MEMBER},
        "see_members": MEMBERS | {STAFF},
        "see_join_requests": {STAFF},
    },
}
# Reactions: anyone signed in who reads the post. Editing and deleting: its author
# only ("member" opened the thread), staff included among those who get 404. The
# member list is for members; requests to join are decided by moderators (none of
# these roles but acting staff; test_join_requests covers moderators).


@dataclass
class World:
    community: Community
    thread: Thread
    held_post: Post


def make_world(visibility: str) -> tuple[World, dict[str, User | None]]:
    member, held_author = UserFactory.create(), UserFactory.create()
    community = CommunityFactory.create(visibility=visibility, members=[member, held_author])
    thread = ThreadFactory.create(community=community, author=member)
    held_post = PostFactory.create(thread=thread, author=held_author, body=PHONE_BODY)
    assert held_post.status == "held"
    people: dict[str, User | None] = {
        VISITOR: None,
        MEMBER: member,
        NON_MEMBER: UserFactory.create(),
        HELD_AUTHOR: held_author,
        STAFF: StaffFactory.create(),
    }
    return World(community, thread, held_post), people


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        log_in(client, user)
    return client


def see_in_list(client: Client, user: User | None, world: World) -> bool:
    response = client.get(reverse("communities:list"))
    assert response.status_code == 200
    return world.community.get_absolute_url() in response.text


def read_threads(client: Client, user: User | None, world: World) -> bool:
    response = client.get(world.thread.get_absolute_url())
    assert response.status_code in {200, 404}, "not 403: the thread must not be known"
    return response.status_code == 200 and world.thread.title in response.text


def read_held_post(client: Client, user: User | None, world: World) -> bool:
    response = client.get(world.thread.get_absolute_url())
    return str(world.held_post.public_id) in response.text


def post_reply(client: Client, user: User | None, world: World) -> bool:
    url = reverse("communities:reply", args=[world.community.slug, world.thread.public_id])
    response = client.post(url, {"body": "A reply from the permissions matrix."})
    assert response.status_code in {302, 404}
    return Post.objects.filter(
        thread=world.thread, body="A reply from the permissions matrix."
    ).exists()


def join(client: Client, user: User | None, world: World) -> bool:
    response = client.post(reverse("communities:join", args=[world.community.slug]))
    assert response.status_code in {302, 404}
    return (
        user is not None
        and response.status_code == 302
        and Membership.objects.filter(user=user, community=world.community).exists()
    )


def _opening_post(world: World) -> Post:
    post = Post.objects.filter(thread=world.thread).order_by("created_at", "id").first()
    assert post is not None
    return post


def _post_url(name: str, world: World) -> str:
    post = _opening_post(world)
    args = [world.community.slug, world.thread.public_id, post.public_id]
    return reverse(f"communities:{name}", args=args)


def react(client: Client, user: User | None, world: World) -> bool:
    response = client.post(_post_url("react", world), {"kind": "hug", "pressed": "on"})
    assert response.status_code in {302, 404}
    return _opening_post(world).hug_count == 1


def edit_own_post(client: Client, user: User | None, world: World) -> bool:
    response = client.post(_post_url("post_edit", world), {"body": "Edited in the matrix."})
    assert response.status_code in {302, 404}
    return _opening_post(world).body == "Edited in the matrix."


def delete_own_post(client: Client, user: User | None, world: World) -> bool:
    response = client.post(_post_url("post_delete", world))
    assert response.status_code in {302, 404}
    return _opening_post(world).deleted_at is not None


def see_members(client: Client, user: User | None, world: World) -> bool:
    response = client.get(reverse("communities:members", args=[world.community.slug]))
    assert response.status_code in {200, 302, 404}
    return response.status_code == 200


def see_join_requests(client: Client, user: User | None, world: World) -> bool:
    response = client.get(reverse("communities:join_requests", args=[world.community.slug]))
    assert response.status_code in {200, 302, 404}
    return response.status_code == 200


ACTIONS = {
    "see_in_list": see_in_list,
    "read_threads": read_threads,
    "read_held_post": read_held_post,
    "post_reply": post_reply,
    "join": join,
    "react": react,
    "edit_own_post": edit_own_post,
    "delete_own_post": delete_own_post,
    "see_members": see_members,
    "see_join_requests": see_join_requests,
}
CASES = [
    pytest.param(visibility, role, action, id=f"{visibility}-{role}-{action}")
    for visibility, role, action in product(EXPECTED, sorted(EVERYONE), ACTIONS)
]


@pytest.mark.parametrize(("visibility", "role", "action"), CASES)
def test_role_may_do_action_in_community_exactly_when_the_matrix_says(visibility, role, action):
    world, people = make_world(visibility)
    user = people[role]

    allowed = ACTIONS[action](client_for(user), user, world)

    assert allowed == (role in EXPECTED[visibility][action])
