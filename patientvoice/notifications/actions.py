"""Every write in notifications: follows, notifications and their counters, e-mail
choices. Views, the API, the after-publish hook, tasks and commands call these."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from patientvoice.accounts.handles import canonical_handle
from patientvoice.accounts.models import User
from patientvoice.communities.models import Community, Post, Thread
from patientvoice.communities.permissions import readable_post_q
from patientvoice.core.markup import mentioned_handles
from patientvoice.core.models import ContentStatus

from .models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationState,
    NotifiedPost,
    Subscription,
)
from .permissions import (
    can_follow_community,
    can_follow_thread,
    visible_notifications,
    visible_notifications_of_everyone,
)
from .queries import digest_not_sent_since, follow_key, unread_key


def _after_commit_forget(keys: list[str]) -> None:
    """Drop cached values once the write is visible to the next reader."""
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


# --- following --------------------------------------------------------------------------


@transaction.atomic
def follow_thread(*, user: User, thread: Thread) -> bool:
    """``user`` follows ``thread``: they hear of every reply. Raises ``Http404`` unless
    they can see the thread. Idempotent; returns whether a follow was added."""
    if not can_follow_thread(user, thread):
        raise Http404
    _, created = Subscription.objects.get_or_create(user=user, thread=thread)
    _after_commit_forget([follow_key(user.pk, thread)])
    return created


@transaction.atomic
def unfollow_thread(*, user: User, thread: Thread) -> bool:
    """Stop following ``thread``. Returns whether there was a follow to remove."""
    deleted, _ = Subscription.objects.filter(user=user, thread=thread).delete()
    _after_commit_forget([follow_key(user.pk, thread)])
    return bool(deleted)


@transaction.atomic
def follow_community(*, user: User, community: Community) -> bool:
    """``user`` follows ``community``: they hear of every new discussion in it. Raises
    ``Http404`` unless they may read it. Idempotent; returns whether a follow was added."""
    if not can_follow_community(user, community):
        raise Http404
    _, created = Subscription.objects.get_or_create(user=user, community=community)
    _after_commit_forget([follow_key(user.pk, community)])
    return created


@transaction.atomic
def unfollow_community(*, user: User, community: Community) -> bool:
    """Stop following ``community``. Returns whether there was a follow to remove."""
    deleted, _ = Subscription.objects.filter(user=user, community=community).delete()
    _after_commit_forget([follow_key(user.pk, community)])
    return bool(deleted)


@transaction.atomic
def stop_following(*, user: User, subscription: Subscription) -> None:
    """End one of ``user``'s follows, whether or not they may still read what it is
    about (someone who left a community may still stop hearing of it)."""
    if subscription.user_id != user.pk:
        raise Http404
    target: Thread | Community = subscription.thread or subscription.community  # type: ignore[assignment]
    Subscription.objects.filter(pk=subscription.pk).delete()
    _after_commit_forget([follow_key(user.pk, target)])


# --- notifying --------------------------------------------------------------------------

# A post tells at most this many people that they were mentioned (the first ones
# written): a list of handles is not a way to page a whole community.
MAX_MENTIONS = 10


def _is_opening_post(post: Post) -> bool:
    earlier = Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, id__lt=post.pk)
    return not Post.objects.filter(thread_id=post.thread_id).filter(earlier).exists()


def _mentioned_user_ids(post: Post) -> set[int]:
    # core.markup marks no mention inside a quotation: quoting someone tells nobody.
    canonical = list(dict.fromkeys(canonical_handle(h) for h in mentioned_handles(post.body_html)))
    if not canonical:
        return set()
    return set(
        User.objects.filter(handle_canonical__in=canonical[:MAX_MENTIONS]).values_list(
            "pk", flat=True
        )
    )


def _readers(post: Post, user_ids: Iterable[int]) -> list[int]:
    """Of ``user_ids``, the active people with no erasure pending who may read
    ``post``: one query, by the visibility rule as a join (``readable_post_q``). Staff
    are asked as members: no session here carries their powers."""
    ids = list(user_ids)
    if not ids:
        return []
    readable = Post.objects.filter(pk=post.pk).filter(readable_post_q(OuterRef("pk")))
    return list(
        User.objects.filter(
            Exists(readable), pk__in=ids, is_active=True, erasure_requested_at__isnull=True
        ).values_list("pk", flat=True)
    )


def _followers(post: Post) -> dict[int, str]:
    """Who follows the post's thread (a reply) or community (an opening post), from
    before the post was published, with the kind of notification they get."""
    # A late or repeated run of the hook tells nobody about posts older than their
    # follow.
    since = post.published_at or post.created_at
    if _is_opening_post(post):
        followers = Subscription.objects.filter(community_id=post.community_id)
        kind = NotificationKind.NEW_THREAD
    else:
        followers = Subscription.objects.filter(thread_id=post.thread_id)
        kind = NotificationKind.REPLY
    user_ids = followers.filter(created_at__lte=since).values_list("user_id", flat=True)
    return dict.fromkeys(user_ids, kind)


@transaction.atomic
def notify_about_post(*, post: Post) -> list[Notification]:
    """Tell the people concerned about ``post``, once each.

    Preconditions: ``post`` is saved; called from the after-publish hook (the worker).
    Effects: the author follows the thread (posting follows it, from the post's time).
    Then, only when the post and its thread are published: on the first run for this
    post (no ``NotifiedPost`` marker yet, claimed here), people who followed the
    thread before the post was published hear of a reply, those who followed the
    community of a new discussion (an opening post); on every run, people mentioned
    (``@handle``, at most ``MAX_MENTIONS``, none inside a quotation) hear that they
    were mentioned, so an edit notifies only people it newly mentions. Nobody hears
    of their own post, of a post they may not read, or twice of one post (the most
    personal kind wins; a rerun adds nothing). Unread counters go up by the rows
    actually inserted; people who chose e-mail "at once" get one after commit.
    A post that is no longer published (held after an edit, removed) notifies nobody
    and the counters of the people told of it are recounted."""
    thread = post.thread
    author_id = post.author_id
    publishable = post.status == ContentStatus.PUBLISHED and thread.is_published
    # Reads first: who would be told, narrowed to who may read the post in one query.
    wanted: dict[int, str] = {}
    readers: list[int] = []
    first_run = False
    if publishable:
        first_run = not NotifiedPost.objects.filter(post_id=post.pk).exists()
        if first_run:
            wanted = _followers(post)
        for user_id in _mentioned_user_ids(post):
            wanted[user_id] = NotificationKind.MENTION
        wanted.pop(author_id or 0, None)
        told = set(Notification.objects.filter(post=post).values_list("recipient_id", flat=True))
        readers = _readers(post, (pk for pk in wanted if pk not in told))
    # Then the writes.
    if author_id is not None and post.status != ContentStatus.REMOVED:
        follow, created = Subscription.objects.get_or_create(
            user_id=author_id, thread_id=post.thread_id
        )
        if created:
            # Followed from the moment they posted, however late the worker runs: the
            # replies written since then are news to them.
            Subscription.objects.filter(pk=follow.pk).update(created_at=post.created_at)
        _after_commit_forget([follow_key(author_id, thread)])
    if not publishable:
        reconcile_counts_for_post(post_id=post.pk)
        return []
    if first_run:
        _, claimed = NotifiedPost.objects.get_or_create(post=post)
        if not claimed:
            # Another run told the followers meanwhile; this one tells only mentions.
            readers = [pk for pk in readers if wanted[pk] == NotificationKind.MENTION]
    if not readers:
        return []
    notifications = [Notification(recipient_id=pk, post=post, kind=wanted[pk]) for pk in readers]
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    # ignore_conflicts does not say which rows went in: ours carry the public ids we
    # made, so a row a concurrent run inserted first is not counted twice.
    inserted = dict(
        Notification.objects.filter(public_id__in=[n.public_id for n in notifications]).values_list(
            "recipient_id", "pk"
        )
    )
    if not inserted:
        return []
    ids = list(inserted)
    NotificationState.objects.bulk_create(
        [NotificationState(user_id=pk) for pk in ids], ignore_conflicts=True
    )
    NotificationState.objects.filter(user_id__in=ids).update(
        unread_count=F("unread_count") + 1, updated_at=timezone.now()
    )
    _after_commit_forget([unread_key(pk) for pk in ids])
    immediate = list(
        NotificationState.objects.filter(
            user_id__in=ids, email_frequency=EmailFrequency.IMMEDIATELY
        ).values_list("user_id", flat=True)
    )
    if immediate:
        from .tasks import send_notification_email

        def enqueue() -> None:
            for user_id in immediate:
                send_notification_email.enqueue(
                    user_id=user_id, notification_ids=[inserted[user_id]]
                )

        transaction.on_commit(enqueue)
    return [n for n in notifications if n.recipient_id in inserted]


# --- reading ----------------------------------------------------------------------------


@transaction.atomic
def mark_read(*, user: User, notification: Notification) -> bool:
    """Mark one of ``user``'s notifications read. Preconditions: fetched through
    ``permissions.access_notification``. Returns whether it was unread."""
    now = timezone.now()
    updated = Notification.objects.filter(
        pk=notification.pk, recipient=user, read_at__isnull=True
    ).update(read_at=now, updated_at=now)
    if updated:
        NotificationState.objects.filter(user=user, unread_count__gt=0).update(
            unread_count=F("unread_count") - 1, updated_at=now
        )
        notification.read_at = now
        _after_commit_forget([unread_key(user.pk)])
    return bool(updated)


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Mark every notification of ``user`` read (those about posts they can no longer
    see as well) and set the counter to zero. Returns how many were unread."""
    now = timezone.now()
    updated = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=now, updated_at=now
    )
    NotificationState.objects.filter(user=user).update(unread_count=0, updated_at=now)
    _after_commit_forget([unread_key(user.pk)])
    return updated


def _visible_unread_of_state() -> Coalesce:
    """The unread notifications the state row's person may still read, counted in a
    subquery of the statement that uses it."""
    unread = visible_notifications_of_everyone(
        Notification.objects.filter(recipient_id=OuterRef("user_id"), read_at__isnull=True)
    )
    counted = unread.order_by().values("recipient_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), Value(0))


@transaction.atomic
def reconcile_unread_counts(*, user_ids: Iterable[int]) -> int:
    """Set each of these people's counters to the unread notifications they may still
    see (a post deleted or held, a community left). The recount is a subquery of the
    UPDATE itself, so an increment made meanwhile is not overwritten by a number
    counted earlier. Only counters that were wrong are written. Returns how many."""
    ids = list(user_ids)
    if not ids:
        return 0
    visible = _visible_unread_of_state()
    changed = (
        NotificationState.objects.filter(user_id__in=ids)
        .exclude(unread_count=visible)
        .update(unread_count=visible, updated_at=timezone.now())
    )
    if changed:
        _after_commit_forget([unread_key(pk) for pk in ids])
    return changed


def reconcile_unread_count(*, user: User) -> int:
    """``reconcile_unread_counts`` for one person."""
    return reconcile_unread_counts(user_ids=[user.pk])


@transaction.atomic
def reconcile_counts_for_post(*, post_id: int) -> int:
    """A post was deleted, held or hidden: recount the counters of the people with an
    unread notification about it. Returns how many counters changed."""
    recipients = Notification.objects.filter(post_id=post_id, read_at__isnull=True).values_list(
        "recipient_id", flat=True
    )
    return reconcile_unread_counts(user_ids=list(recipients))


# --- e-mail -----------------------------------------------------------------------------


@transaction.atomic
def set_email_frequency(*, user: User, frequency: str) -> NotificationState:
    """How ``user`` hears of notifications by e-mail: at once, daily or never.
    Raises ``ValueError`` for an unknown choice. Turning e-mails on again after "off"
    raises ``unsubscribe_version``: unsubscribe links in older e-mails stop working."""
    if frequency not in EmailFrequency.values:
        raise ValueError(frequency)
    state, _ = NotificationState.objects.get_or_create(user=user)
    if state.email_frequency != frequency:
        fields = ["email_frequency", "updated_at"]
        if state.email_frequency == EmailFrequency.OFF:
            state.unsubscribe_version += 1
            fields.append("unsubscribe_version")
        state.email_frequency = frequency
        state.save(update_fields=fields)
    return state


@transaction.atomic
def claim_digest(*, user_id: int, now: datetime) -> bool:
    """Claim ``user_id``'s daily summary before it is queued: a conditional UPDATE of
    ``last_digest_at``, so two runs of ``send_digests`` (or a slow worker) never queue
    it twice. Returns whether this caller claimed it."""
    return bool(
        NotificationState.objects.filter(user_id=user_id, email_frequency=EmailFrequency.DAILY)
        .filter(digest_not_sent_since(now))
        .update(last_digest_at=now, updated_at=now)
    )


@transaction.atomic
def claim_for_email(*, user: User, send: list[int], drop: Iterable[int] = ()) -> list[int]:
    """Claim notifications before an e-mail about them goes out: each of ``send`` is
    set e-mailed by a conditional UPDATE (``emailed_at IS NULL``), and only those this
    caller set are returned, to be sent. ``drop`` (no longer visible, or beyond the
    summary's length) are marked the same way and never sent. A concurrent or
    repeated task finds nothing left to claim."""
    now = timezone.now()
    mine = Notification.objects.filter(recipient=user, emailed_at__isnull=True)
    claimed = [pk for pk in send if mine.filter(pk=pk).update(emailed_at=now, updated_at=now)]
    dropped = [pk for pk in drop if pk not in send]
    if dropped:
        mine.filter(pk__in=dropped).update(emailed_at=now, updated_at=now)
    return claimed


def digest_candidates(user: User, *, until: datetime | None = None) -> list[int]:
    """Ids of unread notifications not e-mailed yet, newest first, visible or not (the
    e-mail keeps only the visible ones and marks them all)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True, emailed_at__isnull=True)
    if until is not None:
        qs = qs.filter(created_at__lte=until)
    return list(qs.order_by("-created_at", "-id").values_list("pk", flat=True))


def visible_for_email(user: User, notification_ids: list[int]) -> list[Notification]:
    """Of ``notification_ids``, those ``user`` may still read now (send-time check)."""
    return list(
        visible_notifications(
            user,
            Notification.objects.filter(pk__in=notification_ids).select_related(
                "post__author", "post__thread__community", "post__community"
            ),
        ).order_by("-created_at", "-id")
    )


# --- erasure ----------------------------------------------------------------------------


@transaction.atomic
def forget_notifications_of(user: Any) -> None:
    """Erasure: the person's follows, notifications and settings go (both modes)."""
    Subscription.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    NotificationState.objects.filter(user=user).delete()
    cache.delete(unread_key(user.pk))
