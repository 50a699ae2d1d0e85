"""The hosting organisation's administrators and moderators see and moderate the
members-only and private communities it hosts without joining, while their powers are
active (decisions/0026): a second factor on the account and a session that logged in
with it. Everywhere the visibility rule applies (pages, lists, search, API) follows;
feeds stay public-only; a token, a session without a second factor, or staff of
another organisation see what any outsider sees."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.communities.models import Community, Post, Thread
from patientvoice.communities.permissions import (
    can_moderate_community,
    can_read_community,
    is_hosting_staff,
    readable_communities,
    visible_communities,
    visible_posts,
    visible_threads,
)
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see
from patientvoice.organizations import actions as org_actions
from patientvoice.organizations.models import Organization, StaffRole

from .factories import (
    PHONE_BODY,
    CommunityFactory,
    OrganizationFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def org_staff(organization: Organization, role: str = StaffRole.MODERATOR) -> User:
    person = UserFactory.create()
    log_in_with_mfa(Client(), person)  # a second factor, needed for the role
    org_actions.add_staff(actor=None, organization=organization, user=person, role=role)
    return person


def with_mfa(person: User) -> Client:
    client = Client()
    log_in_with_mfa(client, person)
    return client


def without_mfa(person: User) -> Client:
    client = Client()
    client.force_login(person)  # a password login: powers suspended
    return client


@pytest.fixture
def organization() -> Organization:
    return OrganizationFactory.create()


@pytest.fixture(params=["members_only", "private"])
def hosted_post(request, organization, member) -> Post:
    community = CommunityFactory.create(
        organization=organization, members=[member], **{request.param: True}
    )
    thread = ThreadFactory.create(community=community, author=member)
    return PostFactory.create(thread=thread, author=member)


@pytest.mark.parametrize("role", [StaffRole.MODERATOR, StaffRole.ADMIN])
def test_the_hosting_organisations_staff_see_its_communities_content_everywhere(
    hosted_post, organization, role
):
    person = org_staff(organization, role)

    assert_can_see(with_mfa(person), hosted_post.community)
    assert_can_see(with_mfa(person), hosted_post.thread)
    assert_can_see(with_mfa(person), hosted_post)


def test_without_a_second_factor_this_session_they_see_nothing_more(hosted_post, organization):
    person = org_staff(organization)

    assert_cannot_see(without_mfa(person), hosted_post)
    assert_cannot_see(without_mfa(person), hosted_post.thread)


def test_without_a_second_factor_on_the_account_they_see_nothing_more(hosted_post, organization):
    person = org_staff(organization)
    client = with_mfa(person)
    Authenticator.objects.filter(user=person).delete()

    assert_cannot_see(client, hosted_post)


def test_staff_of_another_organisation_see_nothing_more(hosted_post):
    person = org_staff(OrganizationFactory.create())

    assert_cannot_see(with_mfa(person), hosted_post)
    assert_cannot_see(with_mfa(person), hosted_post.thread)


def test_a_token_carries_no_organisation_powers(hosted_post, organization):
    from patientvoice.api import actions as api_actions
    from patientvoice.api.models import TokenScope

    person = org_staff(organization)
    _, raw = api_actions.create_token(user=person, name="t", scope=TokenScope.READ)
    community, thread = hosted_post.community, hosted_post.thread

    response = Client().get(
        f"/api/v1/communities/{community.slug}/threads/{thread.public_id}/posts",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )

    assert response.status_code == 404


def test_they_see_no_held_posts_of_others(organization, member):
    community = CommunityFactory.create(organization=organization, private=True, members=[member])
    thread = ThreadFactory.create(community=community, author=member)
    held = PostFactory.create(thread=thread, author=member, body=PHONE_BODY)
    person = org_staff(organization)

    assert not visible_posts(person, Post.objects.filter(pk=held.pk)).exists()


def test_they_moderate_hosted_communities_without_joining(hosted_post, organization):
    person = org_staff(organization)
    community = hosted_post.community

    assert can_moderate_community(person, community)
    assert can_read_community(person, community)
    assert is_hosting_staff(person, community)
    response = with_mfa(person).post(
        reverse("communities:moderate", args=[community.slug, hosted_post.thread.public_id]),
        {"action": "pin"},
    )
    assert response.status_code == 302
    hosted_post.thread.refresh_from_db()
    assert hosted_post.thread.is_pinned


def test_they_do_not_become_members_and_cannot_post(hosted_post, organization):
    person = org_staff(organization)
    community = hosted_post.community

    response = with_mfa(person).post(
        reverse("communities:reply", args=[community.slug, hosted_post.thread.public_id]),
        {"body": "A word from the organisation"},
    )

    assert response.status_code in (302, 403)
    assert not Post.objects.filter(body="A word from the organisation").exists()
    assert not community.memberships.filter(user=person).exists()


@pytest.mark.parametrize("feed", ["community_feed", "thread_feed"])
def test_feeds_of_hosted_members_only_and_private_communities_exist_for_nobody(
    hosted_post, organization, staff, feed
):
    person = org_staff(organization)
    community, thread = hosted_post.community, hosted_post.thread
    kwargs = {"slug": community.slug}
    if feed == "thread_feed":
        kwargs["thread_id"] = str(thread.public_id)
    url = reverse(f"communities:{feed}", kwargs=kwargs)

    for client in (with_mfa(person), with_mfa(staff), Client()):
        assert client.get(url).status_code == 404


def test_the_rule_is_one_query_whatever_the_number_of_communities(
    organization, member, django_assert_num_queries
):
    person = org_staff(organization)
    for n in range(6):
        community = CommunityFactory.create(
            organization=organization if n % 2 else OrganizationFactory.create(),
            private=True,
            members=[member],
        )
        ThreadFactory.create(community=community, author=member)

    with django_assert_num_queries(1):
        communities = list(visible_communities(person, Community.objects.all()))
    with django_assert_num_queries(1):
        threads = list(visible_threads(person, Thread.objects.all()))
    with django_assert_num_queries(1):
        posts = list(visible_posts(person, Post.objects.all()))
    with django_assert_num_queries(1):
        readable = list(readable_communities(person, Community.objects.all()))

    assert len(communities) == len(readable) == 3
    assert len(threads) == len(posts) == 3


def test_the_rule_asks_nothing_more_when_powers_are_suspended(
    organization, member, django_assert_num_queries
):
    person = org_staff(organization)
    person.privileges_suspended = True
    community = CommunityFactory.create(organization=organization, private=True, members=[member])
    ThreadFactory.create(community=community, author=member)

    with django_assert_num_queries(1):
        threads = list(visible_threads(person, Thread.objects.all()))

    assert threads == []
    assert not can_read_community(person, community)
