"""Counts shown on pages are kept on write: members, threads, posts, last activity."""

from __future__ import annotations

import pytest
from django.urls import reverse

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import ErasureMode
from patientvoice.communities import actions

from .conftest import logged_in
from .factories import PHONE_BODY, CommunityFactory, PostFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_joining_adds_one_member_and_joining_again_adds_none(member):
    community = CommunityFactory.create()
    client = logged_in(member)

    client.post(reverse("communities:join", args=[community.slug]))
    client.post(reverse("communities:join", args=[community.slug]))

    community.refresh_from_db()
    assert community.member_count == 1


def test_leaving_removes_one_member_and_leaving_again_removes_none(member):
    community = CommunityFactory.create(members=[member, UserFactory.create()])
    client = logged_in(member)

    client.post(reverse("communities:leave", args=[community.slug]))
    client.post(reverse("communities:leave", args=[community.slug]))

    community.refresh_from_db()
    assert community.member_count == 1


def test_leaving_a_private_community_takes_you_to_the_list_not_to_a_404(member):
    community = CommunityFactory.create(private=True, members=[member])

    response = logged_in(member).post(reverse("communities:leave", args=[community.slug]))

    assert response.status_code == 302
    assert response["Location"] == reverse("communities:list")


def test_new_thread_counts_once_in_its_community_and_has_one_post(member):
    community = CommunityFactory.create()

    thread = ThreadFactory.create(community=community, author=member)

    community.refresh_from_db()
    first_post = thread.posts.get()
    assert community.thread_count == 1
    assert thread.post_count == 1
    assert thread.last_post_at == first_post.published_at


def test_reply_adds_a_post_and_moves_last_activity(member):
    thread = ThreadFactory.create(author=member)

    reply = PostFactory.create(thread=thread)

    thread.refresh_from_db()
    assert thread.post_count == 2
    assert thread.last_post_at == reply.published_at


def test_held_reply_changes_no_count(member):
    thread = ThreadFactory.create(author=member)
    before = thread.last_post_at

    PostFactory.create(thread=thread, body=PHONE_BODY)

    thread.refresh_from_db()
    assert thread.post_count == 1
    assert thread.last_post_at == before


def test_community_page_lists_the_most_recently_active_thread_first(member):
    community = CommunityFactory.create()
    older = ThreadFactory.create(community=community, author=member)
    newer = ThreadFactory.create(community=community, author=member)
    PostFactory.create(thread=older)

    text = logged_in(member).get(community.get_absolute_url()).text

    assert text.index(older.title) < text.index(newer.title)


@pytest.mark.parametrize("mode", [ErasureMode.ANONYMISE, ErasureMode.REMOVE])
def test_erasing_an_account_removes_it_from_member_counts(mode):
    person = UserFactory.create()
    community = CommunityFactory.create(members=[person, UserFactory.create()])
    account_actions.request_erasure(user=person, mode=mode)

    account_actions.erase_account(user=person)

    community.refresh_from_db()
    assert community.member_count == 1


def test_join_action_counts_a_membership_once_even_when_called_twice():
    person, community = UserFactory.create(), CommunityFactory.create()

    actions.join_community(user=person, community=community)
    actions.join_community(user=person, community=community)

    community.refresh_from_db()
    assert community.member_count == 1
