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
from patientvoice.communities.models import POSTS_PER_PAGE
from patientvoice.communities.views import THREADS_PER_PAGE
from patientvoice.directory.models import Medicine
from patientvoice.directory.tests.factories import ConditionFactory

from .conftest import logged_in
from .factories import CommunityFactory, OrganizationFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

ROWS = 30
# The funding notices every page shows (base.html), read once the cache is cold.
FUNDING = 1


@pytest.fixture
def community(member):
    community = CommunityFactory.create(members=[member], organization=OrganizationFactory.create())
    conditions = ConditionFactory.create_batch(3)
    medicines = _medicines(3)
    actions.set_community_conditions(actor=None, community=community, conditions=conditions)
    for n in range(THREADS_PER_PAGE + 5):
        # Every thread tagged, with different tags: an N+1 on tags would show.
        ThreadFactory.create(
            community=community,
            conditions=conditions[: 1 + n % 3],
            medicines=medicines[: 1 + n % 3],
        )
    return community


def _medicines(count: int) -> list[Medicine]:
    # From the starter set (directory/data/medicines.csv, loaded by a migration).
    return list(Medicine.objects.filter(is_active=True).order_by("slug")[:count])


@pytest.fixture
def long_thread(member):
    thread = ThreadFactory.create(
        community=CommunityFactory.create(members=[member]),
        author=member,
        conditions=ConditionFactory.create_batch(3),
        medicines=_medicines(3),
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


# A signed-in page: session and user, then the view. The consent check reads the user
# row (accounts.queries.needs_consent) and costs no query.
SIGNED_IN = 2
# A signed-in API call: session and user; the consent check (api.auth) costs none.
API_SIGNED_IN = 2
# Condition tags: on the community page, the community's tags and one prefetch for
# the tags of every thread on the page; on the thread page, the thread's condition and
# medicine tags in one query (queries.thread_tags). A fixed number, however many
# threads or tags there are.
COMMUNITY_TAGS = 2
THREAD_TAGS = 1
# The API's thread list: one prefetch per kind of tag (conditions, medicines).
API_THREAD_TAGS = 2
# The community page shows the community's current guidelines: one query. The thread
# page asks nothing about them (a reply is checked when it is posted).
GUIDELINES = 1
# The thread page reads the signed-in viewer's own reactions to the posts on the page
# with the posts' rows (one EXISTS per kind, communities.rendering): no query of their
# own, however many posts or reactions (counts are columns of the post).
OWN_REACTIONS = 0
# Whether the signed-in viewer is a member and whether they moderate the community:
# one query for both (permissions.viewer_roles). A visitor is asked nothing. The
# thread page asks it in the same query as the thread (queries.thread_for_page).
ROLES = 1
# The thread page records how far a member has read (ThreadReadState): one write the
# first time a page shows them something new, none when they read it again (the read
# state comes with the thread, in the same query).
READ_STATE_WRITE = 1
# The notifications app's follow button asks whether a signed-in viewer follows the
# community or thread: one query the first time, then cached (none on a page read
# again).
FOLLOW = 1
# The first time anyone sees posts in their present state, the page fetches those posts
# in full to render them: one query for all of them. Afterwards the page is built from
# remembered fragments (communities/rendering.py) and costs nothing for them.
UNSEEN_POSTS = 1
# On the thread page, what a signed-in reader is (read state, member, moderator, staff
# of the hosting organisation, follower) and their header's notifications number come
# in the thread's own query (communities.queries.thread_for_page): none of their own.
READER_FACTS = 0


def _read_once(client: Client, url: str) -> None:
    client.get(url)


def test_community_page_with_a_full_page_of_threads(
    community, member_client, django_assert_num_queries
):
    # community, thread count, threads with authors and read states
    with django_assert_num_queries(SIGNED_IN + 3 + ROLES + COMMUNITY_TAGS + GUIDELINES + FOLLOW):
        response = member_client.get(community.get_absolute_url())

    assert len(response.context["page"].object_list) == THREADS_PER_PAGE


def test_community_page_for_a_visitor(community, django_assert_num_queries):
    # community, thread count, threads with authors
    with django_assert_num_queries(3 + COMMUNITY_TAGS + GUIDELINES + FUNDING):
        assert Client().get(community.get_absolute_url()).status_code == 200


def test_thread_page_with_fifty_posts(long_thread, member_client, django_assert_num_queries):
    _read_once(member_client, long_thread.get_absolute_url())

    # thread (with best answer and read state), what decides how each entry looks
    with django_assert_num_queries(SIGNED_IN + 2 + READER_FACTS + THREAD_TAGS + OWN_REACTIONS):
        response = member_client.get(long_thread.get_absolute_url())

    assert len(response.context["page"].object_list) == POSTS_PER_PAGE
    # Three conditions and three medicines, in the one tags query.
    assert len(response.context["conditions"]) == 3
    assert len(response.context["medicines"]) == 3


def test_thread_page_read_for_the_first_time_writes_one_read_state(
    long_thread, member_client, django_assert_num_queries
):
    with django_assert_num_queries(
        SIGNED_IN
        + 2
        + READER_FACTS
        + THREAD_TAGS
        + OWN_REACTIONS
        + FOLLOW
        + READ_STATE_WRITE
        + UNSEEN_POSTS
    ):
        response = member_client.get(long_thread.get_absolute_url())

    assert len(response.context["page"].object_list) == POSTS_PER_PAGE


def test_thread_page_with_replies_to_posts_costs_nothing_more(
    long_thread, member, member_client, django_assert_num_queries
):
    posts = list(long_thread.posts.order_by("position"))
    for answered in posts[:10]:
        PostFactory.create(thread=long_thread, body="Answering you", reply_to=answered)
    actions.mark_best_answer(actor=member, thread=long_thread, post=posts[3])
    second_page = long_thread.get_absolute_url() + "?page=2"
    _read_once(member_client, second_page)

    with django_assert_num_queries(SIGNED_IN + 2 + READER_FACTS + THREAD_TAGS + OWN_REACTIONS):
        response = member_client.get(second_page)

    assert f"?page=1#post-{posts[0].public_id}" in response.text  # "in reply to" links


def test_thread_page_for_a_member_who_accepted_the_guidelines_costs_nothing_more(
    long_thread, member, member_client, django_assert_num_queries
):
    guidelines = actions.publish_guidelines(
        actor=None, community=long_thread.community, body="Be kind."
    )
    actions.accept_guidelines(user=member, guidelines=guidelines)
    _read_once(member_client, long_thread.get_absolute_url())

    with django_assert_num_queries(SIGNED_IN + 2 + READER_FACTS + THREAD_TAGS + OWN_REACTIONS):
        response = member_client.get(long_thread.get_absolute_url())

    assert len(response.context["page"].object_list) == POSTS_PER_PAGE


def test_thread_page_with_fifty_posts_for_a_visitor(long_thread, django_assert_num_queries):
    # thread, what decides how each entry looks
    with django_assert_num_queries(2 + THREAD_TAGS + UNSEEN_POSTS + FUNDING):
        assert Client().get(long_thread.get_absolute_url()).status_code == 200
    with django_assert_num_queries(2 + THREAD_TAGS):
        assert Client().get(long_thread.get_absolute_url()).status_code == 200


def test_community_list_has_a_fixed_query_count(
    many_communities, member_client, django_assert_num_queries
):
    # communities with their organisations
    with django_assert_num_queries(SIGNED_IN + 1):
        response = member_client.get(reverse("communities:list"))

    assert len(response.context["communities"]) >= 2 * ROWS


def test_home_page_has_a_fixed_query_count(
    many_communities, member, member_client, django_assert_num_queries
):
    for community in member.memberships.all()[:5]:
        for _ in range(4):
            thread = ThreadFactory.create(community=community.community)
            member_client.get(thread.get_absolute_url())  # read: a read state each
            PostFactory.create(thread=thread)  # and then unread again

    # communities to discover, the member's communities, the latest threads in them
    # (with read states: the unread ones come from the same list)
    with django_assert_num_queries(SIGNED_IN + 3):
        response = member_client.get(reverse("home"))

    assert len(response.context["unread"]) == 15


def test_home_page_for_a_visitor_has_a_fixed_query_count(
    many_communities, django_assert_num_queries
):
    # communities to discover, the conditions they are tagged with
    with django_assert_num_queries(2 + FUNDING):
        assert Client().get(reverse("home")).status_code == 200


def test_latest_page_has_a_fixed_query_count(member, member_client, django_assert_num_queries):
    for _ in range(3):
        community = CommunityFactory.create(
            members=[member], organization=OrganizationFactory.create()
        )
        for _ in range(10):
            ThreadFactory.create(community=community)

    # count, threads with their communities, authors and read states
    with django_assert_num_queries(SIGNED_IN + 2):
        response = member_client.get(reverse("communities:latest"))

    assert len(response.context["page"].object_list) == THREADS_PER_PAGE


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
    with django_assert_num_queries(API_SIGNED_IN + 3 + API_THREAD_TAGS):
        response = member_client.get(
            reverse("api:list_threads", args=[community.slug]) + "?limit=100"
        )

    items = response.json()["items"]
    assert len(items) == THREADS_PER_PAGE + 5
    assert {len(item["medicines"]) for item in items} == {1, 2, 3}
    assert {len(item["conditions"]) for item in items} == {1, 2, 3}


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
