"""API lists: a fixed number of queries however many rows, and the visibility rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.api import actions
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Community, Thread, Visibility
from patientvoice.core.tests.factories import CommunityFactory, ThreadFactory, publish_post

from .conftest import assert_error

pytestmark = pytest.mark.django_db

ROWS = 30  # enough that one query per row would show

Bearer = Callable[..., dict[str, Any]]


@pytest.fixture
def community() -> Community:
    return CommunityFactory.create(slug="diabetes")


@pytest.fixture
def busy_thread(community: Community) -> Thread:
    thread = ThreadFactory.create(community=community)
    for n in range(ROWS):
        publish_post(thread=thread, author=UserFactory.create(), body=f"reply {n}")
    return thread


def test_community_list_for_a_visitor_has_a_fixed_query_count(
    client: Client, django_assert_num_queries: Any
) -> None:
    CommunityFactory.create_batch(ROWS)

    with django_assert_num_queries(2):  # count, page
        response = client.get("/api/v1/communities?limit=100")

    assert response.json()["count"] == ROWS


@pytest.mark.usefixtures("db_sessions")
def test_community_list_for_a_member_has_a_fixed_query_count(
    client: Client, member: User, django_assert_num_queries: Any
) -> None:
    for community in CommunityFactory.create_batch(ROWS, visibility=Visibility.PRIVATE):
        community_actions.join_community(user=member, community=community)
    client.force_login(member)

    with django_assert_num_queries(4):  # session, user, count, page
        response = client.get("/api/v1/communities?limit=100")

    assert response.json()["count"] == ROWS


def test_private_community_is_not_listed_for_outsiders(client: Client, member: User) -> None:
    CommunityFactory.create(slug="open", visibility=Visibility.PUBLIC)
    CommunityFactory.create(slug="circle", visibility=Visibility.PRIVATE)
    client.force_login(member)

    slugs = [c["slug"] for c in client.get("/api/v1/communities").json()["items"]]

    assert slugs == ["open"]


def test_thread_list_has_a_fixed_query_count(
    client: Client, community: Community, django_assert_num_queries: Any
) -> None:
    for n in range(ROWS):
        ThreadFactory.create(community=community, author=UserFactory.create(), title=f"T{n}")

    # community, count, page with authors, its condition tags, its medicine tags
    with django_assert_num_queries(3 + 2):
        response = client.get("/api/v1/communities/diabetes/threads?limit=100")

    items = response.json()["items"]
    assert len(items) == ROWS
    assert all(item["author"] for item in items)


def test_thread_list_of_a_private_community_is_not_found_for_outsiders(client: Client) -> None:
    CommunityFactory.create(slug="circle", visibility=Visibility.PRIVATE)

    assert_error(client.get("/api/v1/communities/circle/threads"), 404, "not_found")


def test_post_list_has_a_fixed_query_count(
    client: Client, busy_thread: Thread, django_assert_num_queries: Any
) -> None:
    url = f"/api/v1/communities/diabetes/threads/{busy_thread.public_id}/posts?limit=100"

    with django_assert_num_queries(3):  # thread, count, page with authors
        response = client.get(url)

    items = response.json()["items"]
    assert len(items) == ROWS
    assert all(item["author"] for item in items)


def test_post_list_shows_no_held_posts_to_others(client: Client, community: Community) -> None:
    thread = ThreadFactory.create(community=community)
    publish_post(thread=thread, author=UserFactory.create(), body="Visible to all")
    publish_post(thread=thread, author=UserFactory.create(), body="Ring 070-123 45 67")

    response = client.get(f"/api/v1/communities/diabetes/threads/{thread.public_id}/posts")

    assert [p["body_html"] for p in response.json()["items"]] == ["<p>Visible to all</p>"]


def test_members_only_posts_are_not_found_for_visitors(client: Client) -> None:
    community = CommunityFactory.create(slug="closed", visibility=Visibility.MEMBERS)
    thread = ThreadFactory.create(community=community)
    publish_post(thread=thread, author=UserFactory.create(), body="private matters")

    response = client.get(f"/api/v1/communities/closed/threads/{thread.public_id}/posts")

    assert_error(response, 404, "not_found")


@pytest.mark.usefixtures("db_sessions")
def test_token_list_has_a_fixed_query_count(
    client: Client, member: User, django_assert_num_queries: Any
) -> None:
    for n in range(ROWS):
        actions.create_token(user=member, name=f"app {n}", scope="read")
    client.force_login(member)

    with django_assert_num_queries(3):  # session, user, tokens
        response = client.get("/api/v1/me/tokens")

    assert len(response.json()) == ROWS


def test_token_list_shows_only_the_persons_own_tokens(client: Client, member: User) -> None:
    actions.create_token(user=member, name="mine", scope="read")
    actions.create_token(user=UserFactory.create(), name="theirs", scope="read")
    client.force_login(member)

    assert [t["name"] for t in client.get("/api/v1/me/tokens").json()] == ["mine"]


def test_profile_never_shows_the_email_address(client: Client, bearer: Bearer) -> None:
    UserFactory.create(handle="Open_Book", email="hidden@example.org", profile_audience="everyone")
    reader = UserFactory.create()

    as_visitor = client.get("/api/v1/profiles/Open_Book")
    as_member = client.get("/api/v1/profiles/Open_Book", **bearer(reader))

    for response in (as_visitor, as_member):
        assert response.status_code == 200
        assert response.json()["handle"] == "Open_Book"
        assert "hidden@example.org" not in response.content.decode()
        assert "email" not in response.json()


@pytest.mark.parametrize(
    ("audience", "signed_in", "status"),
    [
        ("everyone", False, 200),
        ("members", False, 404),
        ("members", True, 200),
        ("nobody", True, 404),
    ],
)
def test_profile_respects_who_may_see_it(
    client: Client, bearer: Bearer, audience: str, signed_in: bool, status: int
) -> None:
    UserFactory.create(handle="Some_One", profile_audience=audience)
    headers = bearer(UserFactory.create()) if signed_in else {}

    response = client.get("/api/v1/profiles/Some_One", **headers)

    assert response.status_code == status


def test_export_through_the_api_is_the_same_archive(
    client: Client, member: User, bearer: Bearer
) -> None:
    response = client.get("/api/v1/me/export", **bearer(member))

    archive = response.json()
    assert response.status_code == 200
    assert archive["account"]["handle"] == "Anna_R"
    assert archive["account"]["email"] == "anna@example.org"
    assert [t["name"] for t in archive["api_tokens"]] == ["test"]
