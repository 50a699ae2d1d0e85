"""Replying to a post, quoting, the reply that helped most, and moderators pinning,
locking and moving threads."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import Community, Post, Thread
from patientvoice.communities.permissions import ThreadLocked
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see

from .conftest import logged_in
from .factories import (
    PHONE_BODY,
    CommunityFactory,
    OrganizationFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(member: User) -> User:
    return member


@pytest.fixture
def thread(author: User) -> Thread:
    community = CommunityFactory.create(organization=OrganizationFactory.create())
    return ThreadFactory.create(community=community, author=author)


@pytest.fixture
def moderator(thread: Thread) -> User:
    user = UserFactory.create()
    log_in_with_mfa(Client(), user)
    actions.make_moderator(actor=None, community=thread.community, user=user)
    return user


def moderator_client(user: User) -> Client:
    client = Client()
    log_in_with_mfa(client, user)
    return client


def reply_url(thread: Thread) -> str:
    return reverse("communities:reply", args=[thread.community.slug, thread.public_id])


# --- replying to a post, quoting


def test_a_reply_to_a_post_says_so_and_links_to_its_permanent_place(thread, author):
    answered = PostFactory.create(thread=thread, body="Magnesium helped me sleep")
    client = logged_in(author)

    client.post(reply_url(thread), {"body": "Which dose?", "reply_to": str(answered.public_id)})

    reply = Post.objects.get(body="Which dose?")
    assert reply.reply_to == answered
    page = client.get(thread.get_absolute_url()).text
    assert f"?page=1#post-{answered.public_id}" in page
    assert 'class="small in-reply-to"' in page
    assert answered.author is not None
    assert answered.author.handle in page


def test_quote_link_fills_the_reply_form_with_the_quoted_text_and_who_wrote_it(thread, author):
    quoted = PostFactory.create(thread=thread, body="First line\n\nSecond line")

    response = logged_in(author).get(thread.get_absolute_url() + f"?quote={quoted.public_id}")

    form = response.context["form"]
    assert form.initial["reply_to"] == quoted.public_id
    assert quoted.author is not None
    assert form.initial["body"].startswith(f"{quoted.author.handle} ")
    assert "> First line\n>\n> Second line" in form.initial["body"]


def test_quote_of_a_post_the_reader_may_not_see_is_ignored(thread, author):
    held = PostFactory.create(thread=thread, body=PHONE_BODY)
    assert held.status == "held"

    response = logged_in(author).get(thread.get_absolute_url() + f"?quote={held.public_id}")

    assert response.status_code == 200
    assert response.context["form"].initial == {}
    assert "070-123" not in response.text


@pytest.mark.parametrize("value", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_quote_of_nonsense_shows_the_thread_as_usual(thread, author, value):
    response = logged_in(author).get(thread.get_absolute_url() + f"?quote={value}")

    assert response.status_code == 200
    assert response.context["form"].initial == {}


def test_a_reply_to_a_post_of_another_thread_is_stored_as_a_plain_reply(thread, author):
    elsewhere = PostFactory.create(thread=ThreadFactory.create(community=thread.community))

    logged_in(author).post(
        reply_url(thread), {"body": "Plain reply", "reply_to": str(elsewhere.public_id)}
    )

    assert Post.objects.get(body="Plain reply").reply_to is None


def test_reply_to_action_refuses_a_post_of_another_thread(thread, author):
    elsewhere = PostFactory.create(thread=ThreadFactory.create(community=thread.community))

    with pytest.raises(ValueError, match="same thread"):
        actions.reply_to_thread(
            author=author, thread=thread, body="x y", language="sv", reply_to=elsewhere
        )


def test_posts_take_consecutive_positions_in_their_thread(thread):
    replies = [PostFactory.create(thread=thread) for _ in range(3)]
    held = PostFactory.create(thread=thread, body=PHONE_BODY)

    assert [p.position for p in replies] == [2, 3, 4]
    assert held.position == 5
    thread.refresh_from_db()
    assert (thread.last_position, thread.last_published_position) == (5, 4)


# --- the reply that helped most


def test_thread_author_marks_the_reply_that_helped_most_and_it_shows_at_the_top(thread, author):
    best = PostFactory.create(thread=thread, body="Try a fixed bedtime")
    client = logged_in(author)

    response = client.post(
        reverse("communities:best_answer", args=[thread.community.slug, thread.public_id]),
        {"post": str(best.public_id)},
    )

    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.best_answer == best
    page = client.get(thread.get_absolute_url()).text
    assert page.index('class="best-answer"') < page.index(f'id="post-{best.public_id}"')
    assert "post-best" in page


def test_marking_another_reply_replaces_the_first_one_per_thread(thread, author):
    first, second = PostFactory.create(thread=thread), PostFactory.create(thread=thread)

    actions.mark_best_answer(actor=author, thread=thread, post=first)
    actions.mark_best_answer(actor=author, thread=thread, post=second)

    thread.refresh_from_db()
    assert thread.best_answer == second


def test_the_author_takes_the_mark_away(thread, author):
    best = PostFactory.create(thread=thread)
    actions.mark_best_answer(actor=author, thread=thread, post=best)

    logged_in(author).post(
        reverse("communities:best_answer", args=[thread.community.slug, thread.public_id]), {}
    )

    thread.refresh_from_db()
    assert thread.best_answer is None


def test_the_opening_post_cannot_be_the_best_answer(thread, author):
    opening = thread.posts.get(position=1)

    response = logged_in(author).post(
        reverse("communities:best_answer", args=[thread.community.slug, thread.public_id]),
        {"post": str(opening.public_id)},
    )

    assert response.status_code == 400


def test_a_moderator_marking_someone_elses_thread_is_audited(thread, moderator):
    best = PostFactory.create(thread=thread)

    actions.mark_best_answer(actor=moderator, thread=thread, post=best)

    assert AuditEntry.objects.filter(action="communities.best_answer_marked").exists()


def test_another_member_cannot_mark_the_best_answer(thread):
    best = PostFactory.create(thread=thread)

    assert best.author is not None
    with pytest.raises(PermissionDenied):
        actions.mark_best_answer(actor=best.author, thread=thread, post=best)


def test_a_deleted_best_answer_is_no_longer_marked(thread, author):
    best = PostFactory.create(thread=thread)
    actions.mark_best_answer(actor=author, thread=thread, post=best)

    assert best.author is not None
    actions.delete_post(user=best.author, post=best)

    thread.refresh_from_db()
    assert thread.best_answer is None


# --- pin, lock, move


def test_pinned_threads_are_listed_first_whatever_the_sort(thread, moderator):
    community = thread.community
    for _ in range(3):
        ThreadFactory.create(community=community)  # newer, more active
    actions.pin_thread(actor=moderator, thread=thread, pinned=True)

    for sort in ("activity", "newest", "unanswered"):
        page = Client().get(community.get_absolute_url() + f"?sort={sort}").context["page"]
        assert page.object_list[0] == thread, sort


def test_pinning_and_locking_are_audited_and_repeating_them_changes_nothing(thread, moderator):
    assert actions.pin_thread(actor=moderator, thread=thread, pinned=True)
    assert not actions.pin_thread(actor=moderator, thread=thread, pinned=True)
    assert actions.lock_thread(actor=moderator, thread=thread, locked=True)

    assert set(AuditEntry.objects.values_list("action", flat=True)) >= {
        "communities.thread_pinned",
        "communities.thread_locked",
    }


def test_a_locked_thread_refuses_a_reply_and_keeps_the_typed_text(thread, author, moderator):
    actions.lock_thread(actor=moderator, thread=thread, locked=True)

    response = logged_in(author).post(reply_url(thread), {"body": "My long careful answer"})

    assert response.status_code == 403
    assert "My long careful answer" in response.text
    assert str(ThreadLocked.message) in response.text
    assert not Post.objects.filter(body="My long careful answer").exists()


def test_a_locked_thread_shows_no_reply_form_to_members(thread, author, moderator):
    actions.lock_thread(actor=moderator, thread=thread, locked=True)

    response = logged_in(author).get(thread.get_absolute_url())

    assert response.context["can_post"] is False
    assert 'name="body"' not in response.text


def test_a_moderator_who_is_a_member_still_replies_in_a_locked_thread(thread, moderator):
    actions.lock_thread(actor=moderator, thread=thread, locked=True)

    response = moderator_client(moderator).post(reply_url(thread), {"body": "Closing note"})

    assert response.status_code == 302
    assert Post.objects.filter(body="Closing note").exists()


def test_the_reply_action_refuses_a_locked_thread(thread, author, moderator):
    actions.lock_thread(actor=moderator, thread=thread, locked=True)
    thread.refresh_from_db()

    with pytest.raises(ThreadLocked):
        actions.reply_to_thread(author=author, thread=thread, body="x y", language="sv")


def test_moving_a_thread_takes_its_posts_and_counts_along(thread):
    organization = thread.community.organization
    org_moderator = UserFactory.create()
    log_in_with_mfa(Client(), org_moderator)
    from patientvoice.organizations import actions as org_actions
    from patientvoice.organizations.models import StaffRole

    org_actions.add_staff(
        actor=None, organization=organization, user=org_moderator, role=StaffRole.MODERATOR
    )
    target = CommunityFactory.create(organization=organization, members_only=True)
    PostFactory.create(thread=thread)
    source = thread.community

    response = moderator_client(org_moderator).post(
        reverse("communities:move", args=[source.slug, thread.public_id]),
        {"community": target.slug},
    )

    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.community == target
    assert set(Post.objects.filter(thread=thread).values_list("community", flat=True)) == {
        target.pk
    }
    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.thread_count, target.thread_count) == (0, 1)
    assert AuditEntry.objects.filter(action="communities.thread_moved").exists()
    # The members-only community's rule applies at once.
    assert_cannot_see(None, thread)


def test_a_moderator_cannot_move_a_thread_to_another_organisations_community(thread, moderator):
    elsewhere = CommunityFactory.create(organization=OrganizationFactory.create())

    response = moderator_client(moderator).post(
        reverse("communities:move", args=[thread.community.slug, thread.public_id]),
        {"community": elsewhere.slug},
    )

    assert response.status_code == 400  # not among the choices
    thread.refresh_from_db()
    assert thread.community != elsewhere
    with pytest.raises(PermissionDenied):
        actions.move_thread(actor=moderator, thread=thread, to=elsewhere)


def test_a_community_moderator_moves_only_to_communities_they_moderate_too(thread, moderator):
    sibling = CommunityFactory.create(organization=thread.community.organization)

    with pytest.raises(PermissionDenied):
        actions.move_thread(actor=moderator, thread=thread, to=sibling)

    actions.make_moderator(actor=None, community=sibling, user=moderator)
    assert actions.move_thread(actor=moderator, thread=thread, to=sibling)


def test_site_staff_move_a_thread_to_any_community(thread, staff):
    anywhere: Community = CommunityFactory.create()

    assert actions.move_thread(actor=staff, thread=thread, to=anywhere)

    assert_can_see(None, Thread.objects.get(pk=thread.pk))


def test_a_moved_thread_is_reindexed_in_its_new_community(
    thread, staff, django_capture_on_commit_callbacks
):
    from patientvoice.search.indexing import reindex_thread
    from patientvoice.search.models import SearchEntry

    reindex_thread(thread.pk)
    target = CommunityFactory.create()

    with django_capture_on_commit_callbacks(execute=True):
        actions.move_thread(actor=staff, thread=thread, to=target)

    entries = SearchEntry.objects.filter(kind="communities.post")
    assert set(entries.values_list("community_id", flat=True)) == {target.pk}
