"""Erasure in "remove" mode: threads only the person wrote vanish, everyone else keeps
what they wrote, and the counts follow."""

from __future__ import annotations

import pytest

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import ErasureMode
from patientvoice.communities.actions import remove_posts_of
from patientvoice.communities.models import Post, Thread
from patientvoice.core.testing.visibility import assert_can_see

from .conftest import logged_in
from .factories import PHONE_BODY, CommunityFactory, PostFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver():
    return UserFactory.create()


@pytest.fixture
def stayer():
    return UserFactory.create()


@pytest.fixture
def community():
    return CommunityFactory.create()


def test_thread_only_the_person_wrote_in_vanishes(leaver, community):
    thread = ThreadFactory.create(community=community, author=leaver)
    PostFactory.create(thread=thread, author=leaver)

    remove_posts_of(leaver)

    assert not Thread.objects.filter(pk=thread.pk).exists()


def test_others_keep_their_replies_in_a_thread_the_person_opened(leaver, stayer, community):
    thread = ThreadFactory.create(community=community, author=leaver)
    kept = PostFactory.create(thread=thread, author=stayer)

    remove_posts_of(leaver)

    thread.refresh_from_db()
    assert list(thread.posts.all()) == [kept]
    assert thread.post_count == 1
    assert thread.last_post_at == kept.published_at
    assert_can_see(stayer, kept)


def test_others_keep_their_threads_the_person_replied_in(leaver, stayer, community):
    thread = ThreadFactory.create(community=community, author=stayer)
    first = thread.posts.get()
    PostFactory.create(thread=thread, author=leaver)

    remove_posts_of(leaver)

    thread.refresh_from_db()
    assert list(thread.posts.all()) == [first]
    assert thread.post_count == 1
    assert thread.last_post_at == first.published_at


def test_a_held_reply_by_someone_else_keeps_a_thread_from_vanishing(leaver, stayer, community):
    thread = ThreadFactory.create(community=community, author=leaver)
    PostFactory.create(thread=thread, author=stayer, body=PHONE_BODY)

    remove_posts_of(leaver)

    thread.refresh_from_db()
    assert thread.post_count == 0
    assert thread.posts.get().author == stayer


def test_community_thread_count_follows_the_threads_that_vanish(leaver, stayer, community):
    ThreadFactory.create(community=community, author=leaver)
    ThreadFactory.create(community=community, author=leaver)
    ThreadFactory.create(community=community, author=stayer)

    remove_posts_of(leaver)

    community.refresh_from_db()
    assert community.thread_count == 1


def test_remove_returns_how_many_of_the_persons_posts_went(leaver, stayer, community):
    own = ThreadFactory.create(community=community, author=leaver)
    PostFactory.create(thread=own, author=leaver)
    PostFactory.create(
        thread=ThreadFactory.create(community=community, author=stayer), author=leaver
    )

    assert remove_posts_of(leaver) == 3
    assert not Post.objects.filter(author=leaver).exists()


def test_erasing_an_account_in_remove_mode_removes_their_writing_from_every_page(
    leaver, stayer, community
):
    thread = ThreadFactory.create(community=community, author=stayer)
    gone = PostFactory.create(thread=thread, author=leaver)
    body = gone.body
    account_actions.request_erasure(user=leaver, mode=ErasureMode.REMOVE)

    account_actions.erase_account(user=leaver)

    response = logged_in(stayer).get(thread.get_absolute_url())
    assert body not in response.text
    assert not Post.objects.filter(pk=gone.pk).exists()


def test_erasing_an_account_in_anonymise_mode_keeps_posts_by_a_former_member(
    leaver, stayer, community
):
    thread = ThreadFactory.create(community=community, author=stayer)
    kept = PostFactory.create(thread=thread, author=leaver)
    account_actions.request_erasure(user=leaver, mode=ErasureMode.ANONYMISE)

    account_actions.erase_account(user=leaver)

    kept.refresh_from_db()
    assert kept.author is None
    assert_can_see(stayer, kept)
