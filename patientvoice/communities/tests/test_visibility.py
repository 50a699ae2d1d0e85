"""Members-only and private content never leaks: not through the thread page, the
community page, the community list, the API lists or the home page. Each check is
one line of the visibility helper, which tries every registered surface."""

from __future__ import annotations

import pytest
from django.urls import reverse

from patientvoice.communities import actions
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see

from .conftest import logged_in
from .factories import CommunityFactory, OrganizationFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_only_post(member):
    community = CommunityFactory.create(
        members_only=True, members=[member], teaser="Join us to read about living with MS."
    )
    thread = ThreadFactory.create(community=community, author=member)
    return PostFactory.create(thread=thread, author=member)


def test_members_only_post_is_hidden_from_visitors_everywhere(members_only_post):
    assert_cannot_see(None, members_only_post)


def test_members_only_post_is_hidden_from_signed_in_non_members_everywhere(
    members_only_post, outsider
):
    assert_cannot_see(outsider, members_only_post)


def test_members_only_thread_is_hidden_from_non_members_everywhere(members_only_post, outsider):
    assert_cannot_see(outsider, members_only_post.thread)
    assert_cannot_see(None, members_only_post.thread)


def test_members_and_staff_see_members_only_posts_everywhere(members_only_post, member, staff):
    assert_can_see(member, members_only_post)
    assert_can_see(member, members_only_post.thread)
    assert_can_see(staff, members_only_post)


def test_members_only_community_itself_is_visible_to_everyone(members_only_post, outsider):
    assert_can_see(None, members_only_post.community)
    assert_can_see(outsider, members_only_post.community)


def test_non_members_see_the_teaser_instead_of_the_discussions(members_only_post, outsider):
    response = logged_in(outsider).get(members_only_post.community.get_absolute_url())

    assert response.status_code == 200
    assert "Join us to read about living with MS." in response.text
    assert members_only_post.thread.title not in response.text


def test_member_who_leaves_can_no_longer_see_members_only_posts(members_only_post, member):
    actions.leave_community(user=member, community=members_only_post.community)

    assert_cannot_see(member, members_only_post)


def test_member_who_joins_can_see_members_only_posts(members_only_post, outsider):
    logged_in(outsider).post(reverse("communities:join", args=[members_only_post.community.slug]))

    assert_can_see(outsider, members_only_post)


def test_private_community_answers_404_to_outsiders_on_its_page_and_in_the_api(member, outsider):
    community = CommunityFactory.create(private=True, members=[member])

    assert_cannot_see(None, community)
    assert_cannot_see(outsider, community)


def test_private_community_threads_and_posts_are_hidden_from_outsiders(member, outsider):
    community = CommunityFactory.create(private=True, members=[member])
    post = PostFactory.create(
        thread=ThreadFactory.create(community=community, author=member), author=member
    )

    assert_cannot_see(outsider, post.thread)
    assert_cannot_see(outsider, post)


def test_private_community_is_visible_to_its_members_and_to_staff(member, staff):
    community = CommunityFactory.create(private=True, hosted=True, members=[member])

    assert_can_see(member, community)
    assert_can_see(staff, community)


def test_private_community_hosted_by_an_organisation_is_not_listed_there_for_outsiders(
    member, outsider
):
    community = CommunityFactory.create(
        private=True, members=[member], organization=OrganizationFactory.create()
    )

    assert_cannot_see(outsider, community)
    assert_can_see(member, community)


def test_published_thread_in_public_community_is_visible_to_visitors(member):
    thread = ThreadFactory.create(community=CommunityFactory.create(), author=member)

    assert_can_see(None, thread)
