"""Pages and API lists cost a fixed number of queries, however many rows they show.

Every list holds 30+ rows by different authors, in communities hosted by different
organisations, so one query per row (an N+1) would add dozens. Signed-in clients are
warmed up first: the first request of a session checks consent once.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.communities import actions
from patientvoice.communities.views import POSTS_PER_PAGE, THREADS_PER_PAGE
from patientvoice.directory.tests.factories import ConditionFactory

from .conftest import logged_in
from .factories import CommunityFactory, OrganizationFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

ROWS = 30


@pytest.fixture
def community(member):
    community = CommunityFactory.create(members=[member], organization=OrganizationFactory.create())
    conditions = ConditionFactory.create_batch(3)
    actions.set_community_conditions(actor=None, community=community, conditions=conditions)
    for n in range(THREADS_PER_PAGE + 5):
        # Every thread tagged, with different tags: an N+1 on tags would show.
        ThreadFactory.create(community=community, conditions=conditions[: 1 + n % 3])
    return community


@pytest.fixture
def long_thread(member):
    thread = ThreadFactory.create(
        community=CommunityFactory.create(members=[member]),
        author=member,
        conditions=ConditionFactory.create_batch(3),
    )
    for _ in range(POSTS_PER_PAGE):
        PostFactory.create(thread=thread)
    return thread


@pytest.fixture
def many_communities(member):
    for n in range(ROWS):
        CommunityFactory.create(
            organization=OrganizationFactory.create(), members=[member] if n % 2 else []
        )
        CommunityFactory.create(members_only=True)
        CommunityFactory.create(private=True, members=[member] if n % 3 else [])


@pytest.fixture
def member_client(member) -> Client:
    client = logged_in(member)
    client.get(reverse("home"))
    return client


# A signed-in page: session, user, the consent check (one query), then the view.
SIGNED_IN = 3
# A signed-in API call: session, user, the consent check (one query, api.auth).
API_SIGNED_IN = 3
# Condition tags: on the community page, the community's tags and one prefetch for
# the tags of every thread on the page; on the thread page, the thread's tags. A
# fixed number, however many threads or tags there are.
COMMUNITY_TAGS = 2
THREAD_TAGS = 1
# The community page shows the community's current guidelines: one query. The thread
# page asks nothing about them (a reply is checked when it is posted).
GUIDELINES = 1
# The thread page asks for the signed-in viewer's own reactions to the posts on the
# page: one query, however many posts or reactions (counts are columns of the post).
# A visitor has none to ask for.
OWN_REACTIONS = 1
# The community page asks whether a member (or anyone, in a hosted community) moderates
# it, to link the requests to join: one query. A visitor is asked nothing.
MODERATES = 1


def test_community_page_with_a_full_page_of_threads(
    community, member_client, django_assert_num_queries
):
    # community, thread count, membership, threads with authors
    with django_assert_num_queries(SIGNED_IN + 4 + COMMUNITY_TAGS + GUIDELINES + MODERATES):
        response = member_client.get(community.get_absolute_url())

    assert len(response.context["page"].object_list) == THREADS_PER_PAGE


def test_community_page_for_a_visitor(community, django_assert_num_queries):
    # community, thread count, threads with authors
    with django_assert_num_queries(3 + COMMUNITY_TAGS + GUIDELINES):
        assert Client().get(community.get_absolute_url()).status_code == 200


def test_thread_page_with_fifty_posts(long_thread, member_client, django_assert_num_queries):
    # thread, post count, membership, posts with authors
    with django_assert_num_queries(SIGNED_IN + 4 + THREAD_TAGS + OWN_REACTIONS):
        response = member_client.get(long_thread.get_absolute_url())

    assert len(response.context["page"].object_list) == POSTS_PER_PAGE


def test_thread_page_for_a_member_who_accepted_the_guidelines_costs_nothing_more(
    long_thread, member, member_client, django_assert_num_queries
):
    guidelines = actions.publish_guidelines(
        actor=None, community=long_thread.community, body="Be kind."
    )
    actions.accept_guidelines(user=member, guidelines=guidelines)

    with django_assert_num_queries(SIGNED_IN + 4 + THREAD_TAGS + OWN_REACTIONS):
        response = member_client.get(long_thread.get_absolute_url())

    assert len(response.context["page"].object_list) == POSTS_PER_PAGE


def test_thread_page_with_fifty_posts_for_a_visitor(long_thread, django_assert_num_queries):
    with django_assert_num_queries(3 + THREAD_TAGS):
        assert Client().get(long_thread.get_absolute_url()).status_code == 200


def test_community_list_has_a_fixed_query_count(
    many_communities, member_client, django_assert_num_queries
):
    # communities with their organisations
    with django_assert_num_queries(SIGNED_IN + 1):
        response = member_client.get(reverse("communities:list"))

    assert len(response.context["communities"]) >= 2 * ROWS


def test_home_page_has_a_fixed_query_count(
    many_communities, member_client, django_assert_num_queries
):
    with django_assert_num_queries(SIGNED_IN + 1):
        assert member_client.get(reverse("home")).status_code == 200


def test_api_community_list_has_a_fixed_query_count(
    many_communities, member_client, django_assert_num_queries
):
    # count, page of communities
    with django_assert_num_queries(API_SIGNED_IN + 2):
        response = member_client.get(reverse("api:list_communities") + "?limit=100")

    assert len(response.json()["items"]) >= 2 * ROWS


def test_api_thread_list_has_a_fixed_query_count(
    community, member_client, django_assert_num_queries
):
    # community, count, threads with authors
    with django_assert_num_queries(API_SIGNED_IN + 3):
        response = member_client.get(
            reverse("api:list_threads", args=[community.slug]) + "?limit=100"
        )

    assert len(response.json()["items"]) == THREADS_PER_PAGE + 5


def test_api_post_list_has_a_fixed_query_count(
    long_thread, member_client, django_assert_num_queries
):
    url = reverse("api:list_posts", args=[long_thread.community.slug, long_thread.public_id])

    # thread, count, posts with authors
    with django_assert_num_queries(API_SIGNED_IN + 3):
        response = member_client.get(url + "?limit=100")

    assert len(response.json()["items"]) == POSTS_PER_PAGE + 1


def test_api_post_list_for_a_visitor(long_thread, django_assert_num_queries):
    url = reverse("api:list_posts", args=[long_thread.community.slug, long_thread.public_id])

    with django_assert_num_queries(3):
        assert Client().get(url + "?limit=100").status_code == 200
