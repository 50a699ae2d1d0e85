"""Who hears of a post: followers, mentioned people, once each, only if they may read it."""

from __future__ import annotations

import pytest

from patientvoice.communities import actions as community_actions
from patientvoice.notifications import actions
from patientvoice.notifications.models import Notification, NotificationKind, Subscription

from .factories import PHONE_BODY, CommunityFactory, PostFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


def kinds_for(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_opening_a_thread_follows_it(thread, anna):
    assert Subscription.objects.filter(user=anna, thread=thread).exists()


def test_replying_follows_the_thread(thread, bo, published):
    with published():
        PostFactory.create(thread=thread, author=bo)

    assert Subscription.objects.filter(user=bo, thread=thread).exists()


def test_a_reply_notifies_the_threads_followers_but_not_its_author(thread, anna, bo, published):
    with published():
        PostFactory.create(thread=thread, author=bo)

    assert kinds_for(anna) == [NotificationKind.REPLY]
    assert kinds_for(bo) == []


def test_a_new_thread_notifies_the_communitys_followers(members_only, anna, bo, published):
    actions.follow_community(user=bo, community=members_only)

    with published():
        ThreadFactory.create(community=members_only, author=anna)

    assert kinds_for(bo) == [NotificationKind.NEW_THREAD]
    assert kinds_for(anna) == []


def test_a_mention_notifies_the_person_mentioned(thread, anna, bo, published):
    carl = UserFactory.create(handle="carl_m")
    community_actions.join_community(user=carl, community=thread.community)

    with published():
        PostFactory.create(thread=thread, author=bo, body="What do you think, @Carl_M?")

    assert kinds_for(carl) == [NotificationKind.MENTION]


def test_a_mention_finds_the_handle_by_its_canonical_form(thread, bo, published):
    carl = UserFactory.create(handle="carl.m")
    community_actions.join_community(user=carl, community=thread.community)

    with published():
        PostFactory.create(thread=thread, author=bo, body="Hej @CARL-M!")

    assert kinds_for(carl) == [NotificationKind.MENTION]


def test_mention_of_someone_who_cannot_see_the_post_notifies_nobody(
    thread, bo, outsider, published
):
    with published():
        PostFactory.create(thread=thread, author=bo, body="Ping @outsider_x, look here")

    assert Notification.objects.filter(recipient=outsider).count() == 0


def test_mention_in_a_private_community_notifies_no_staff_who_are_not_members(anna, bo, published):
    from .factories import StaffFactory

    staff = StaffFactory.create(handle="staff_eva")
    private = CommunityFactory.create(private=True, members=[anna, bo])

    with published():
        ThreadFactory.create(community=private, author=anna, body="Hello @staff_eva")

    assert kinds_for(staff) == []


def test_a_follower_who_left_the_community_is_not_notified(thread, anna, bo, published):
    community_actions.leave_community(user=anna, community=thread.community)

    with published():
        PostFactory.create(thread=thread, author=bo)

    assert kinds_for(anna) == []


def test_mention_and_reply_in_one_post_make_one_notification(thread, anna, bo, published):
    with published():
        PostFactory.create(thread=thread, author=bo, body="@anna_k, and again @anna_k")

    assert kinds_for(anna) == [NotificationKind.MENTION]


def test_mentioning_yourself_notifies_nobody(thread, anna, published):
    with published():
        PostFactory.create(thread=thread, author=anna, body="Note to @anna_k")

    assert kinds_for(anna) == []


def test_a_held_post_notifies_nobody_until_it_is_published(thread, anna, bo, published):
    with published():
        PostFactory.create(thread=thread, author=bo, body=f"@anna_k {PHONE_BODY}")

    assert kinds_for(anna) == []
    assert Subscription.objects.filter(user=bo, thread=thread).exists()


def test_running_the_hook_again_adds_no_notification(thread, anna, bo, published):
    with published():
        post = PostFactory.create(thread=thread, author=bo)

    actions.notify_about_post(post=post)

    assert kinds_for(anna) == [NotificationKind.REPLY]
    assert anna.notification_state.unread_count == 1


def test_an_edit_notifies_only_people_it_newly_mentions(thread, anna, bo, published):
    carl = UserFactory.create(handle="carl_m")
    community_actions.join_community(user=carl, community=thread.community)
    with published():
        post = PostFactory.create(thread=thread, author=bo, body="First words")
    Notification.objects.all().delete()

    with published():
        community_actions.edit_post(user=bo, post=post, body="First words, @carl_m")

    assert kinds_for(carl) == [NotificationKind.MENTION]
    assert kinds_for(anna) == []


def test_each_notification_raises_the_unread_counter(thread, anna, bo, published):
    with published():
        PostFactory.create(thread=thread, author=bo)
        PostFactory.create(thread=thread, author=bo)

    anna.notification_state.refresh_from_db()
    assert anna.notification_state.unread_count == 2


def test_a_late_or_repeated_run_tells_nobody_of_posts_older_than_their_follow(
    thread, anna, bo, published
):
    with published():
        reply = PostFactory.create(thread=thread, author=bo)
    carl = UserFactory.create(handle="carl_m")
    community_actions.join_community(user=carl, community=thread.community)
    actions.follow_thread(user=carl, thread=thread)

    actions.notify_about_post(post=reply)

    assert kinds_for(carl) == []


def test_posting_follows_from_the_moment_of_the_post_even_when_the_worker_is_late(
    members_only, anna, bo, django_capture_on_commit_callbacks
):
    # The hooks run only after both posts exist, the opening post's first.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        thread = ThreadFactory.create(community=members_only, author=anna)
        PostFactory.create(thread=thread, author=bo)
    for callback in callbacks:
        callback()

    assert kinds_for(anna) == [NotificationKind.REPLY]


def test_followers_hear_of_a_reply_edited_before_the_worker_ran(
    thread, anna, bo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post = PostFactory.create(thread=thread, author=bo, body="First words")
        community_actions.edit_post(user=bo, post=post, body="Better words")
    for callback in callbacks:
        callback()

    assert kinds_for(anna) == [NotificationKind.REPLY]


def test_an_edit_after_the_followers_were_told_tells_them_nothing_again(
    thread, anna, bo, published
):
    with published():
        post = PostFactory.create(thread=thread, author=bo, body="First words")
    Notification.objects.filter(recipient=anna).delete()

    with published():
        community_actions.edit_post(user=bo, post=post, body="Better words")

    assert kinds_for(anna) == []


def test_a_row_inserted_meanwhile_by_another_run_is_counted_once(
    thread, anna, bo, django_capture_on_commit_callbacks, monkeypatch
):
    from patientvoice.notifications.models import NotificationState

    with django_capture_on_commit_callbacks(execute=False):
        post = PostFactory.create(thread=thread, author=bo)
    real_readers = actions._readers

    def readers_then_a_concurrent_run(post, user_ids):
        found = real_readers(post, user_ids)
        # What another run of the hook did between this run's reads and its insert.
        Notification.objects.create(recipient=anna, post=post, kind=NotificationKind.REPLY)
        NotificationState.objects.create(user=anna, unread_count=1)
        return found

    monkeypatch.setattr(actions, "_readers", readers_then_a_concurrent_run)

    actions.notify_about_post(post=post)

    assert kinds_for(anna) == [NotificationKind.REPLY]
    assert NotificationState.objects.get(user=anna).unread_count == 1


def test_a_post_mentions_at_most_ten_people(thread, bo, published):
    names = [
        "alpha",
        "bravo",
        "charlie",
        "delta",
        "echo",
        "foxtrot",
        "golf",
        "hotel",
        "india",
        "kilo",
        "mike",
        "oscar",
    ]
    people = [UserFactory.create(handle=name) for name in names]
    for person in people:
        community_actions.join_community(user=person, community=thread.community)
    body = " ".join(f"@{p.handle}" for p in people)

    with published():
        PostFactory.create(thread=thread, author=bo, body=body)

    told = Notification.objects.filter(kind=NotificationKind.MENTION)
    assert sorted(told.values_list("recipient__handle", flat=True)) == sorted(
        p.handle for p in people[: actions.MAX_MENTIONS]
    )


def test_a_mention_inside_a_quotation_notifies_nobody(thread, bo, published):
    carl = UserFactory.create(handle="carl_m")
    community_actions.join_community(user=carl, community=thread.community)

    with published():
        PostFactory.create(thread=thread, author=bo, body="> @carl_m wrote this\n\nI agree.")

    assert kinds_for(carl) == []


def test_who_may_read_a_post_is_asked_in_one_query_however_many_follow(
    thread, bo, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    followers = [UserFactory.create() for _ in range(15)]
    for person in followers:
        community_actions.join_community(user=person, community=thread.community)
        actions.follow_thread(user=person, thread=thread)
    with django_capture_on_commit_callbacks(execute=False):
        post = PostFactory.create(thread=thread, author=bo)

    # A fixed number, whatever the followers (savepoints included): marker?, opening
    # post?, followers, already told, readers (one query); the author's follow; the
    # marker; insert, read back; states, counters, who wants e-mail at once.
    with django_assert_max_num_queries(21):
        actions.notify_about_post(post=post)

    assert Notification.objects.filter(post=post).count() == 16  # anna and the 15
