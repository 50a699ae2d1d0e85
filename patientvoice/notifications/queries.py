"""Reads shared by pages, the header, the API and e-mails.

The two reads every page may make, the unread count in the header and whether the
person follows the thread or community they look at, come from the cache: zero
queries when warm, one when cold (decisions/0022). Writes in ``actions`` drop the
cached value after they commit.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from patientvoice.communities.models import Community, Post, Thread

from .models import EmailFrequency, Notification, NotificationState, Subscription
from .notices import unread_notice_count, unread_notices_expression
from .permissions import visible_notifications

# A value written by a reader that raced a write lives at most this long.
CACHE_SECONDS = 15 * 60


def unread_key(user_id: int) -> str:
    return f"pv:notifications:unread:{user_id}"


def follow_key(user_id: int, target: Thread | Community) -> str:
    kind = "thread" if isinstance(target, Thread) else "community"
    return f"pv:notifications:follows:{user_id}:{kind}:{target.pk}"


def post_location(post: Post) -> str:
    """The post on its page of the thread (no query once the thread and its
    community are loaded)."""
    thread = post.thread
    return f"{thread.get_absolute_url()}?page={post.page_number}#post-{post.public_id}"


def unread_count(user: Any) -> int:
    """The number on the header's notifications link: the stored counter, cached."""
    if not getattr(user, "is_authenticated", False):
        return 0
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = (
            NotificationState.objects.filter(user_id=user.pk)
            .values_list("unread_count", flat=True)
            .first()
        ) or 0
        cache.set(key, count, CACHE_SECONDS)
    return int(count)


def header_unread_count(user: Any) -> int:
    """The number on the header's notifications link: unread notifications, the
    moderation decisions about the person they have not opened (statements of
    reasons, DSA art. 17: delivered in the app as well as by e-mail) and their unread
    notices of other apps (reviews, notes, verification: ``notices``). Each cached,
    and dropped by the writes that change it."""
    from patientvoice.moderation.queries import unread_statement_count

    return unread_count(user) + unread_statement_count(user) + unread_notice_count(user)


def header_unread_expression(user_id: Any) -> Any:
    """``header_unread_count`` as an SQL expression over the same stored rows (the
    counter, the unread statements and the unread notices: one scalar subquery each),
    for a hot page that reads it with its own row instead of asking the cache
    (``communities.queries.thread_for_page``)."""
    from patientvoice.moderation.models import StatementOfReasons

    stored = NotificationState.objects.filter(user_id=user_id).values("unread_count")[:1]
    # The person's own statements: always theirs to see.
    statements = (
        StatementOfReasons.objects.filter(recipient_id=user_id, read_at__isnull=True)
        .order_by()
        .values("recipient_id")
        .annotate(unread=Count("pk"))
        .values("unread")
    )
    zero = Value(0)
    return (
        Coalesce(Subquery(stored), zero)
        + Coalesce(Subquery(statements), zero)
        + unread_notices_expression(user_id)
    )


def is_following(user: Any, target: Thread | Community) -> bool:
    """Whether ``user`` follows ``target``, cached per person and target."""
    if not getattr(user, "is_authenticated", False):
        return False
    key = follow_key(user.pk, target)
    following = cache.get(key)
    if following is None:
        field = "thread" if isinstance(target, Thread) else "community"
        following = Subscription.objects.filter(user_id=user.pk, **{field: target}).exists()
        cache.set(key, following, CACHE_SECONDS)
    return bool(following)


def notification_list(user: Any) -> QuerySet[Notification]:
    """The person's notifications they may still see, newest first, with what a row
    shows (the post's author, thread and community) in the same query."""
    return visible_notifications(
        user,
        Notification.objects.select_related("post__author", "post__thread", "post__community"),
    ).order_by("-created_at", "-id")


def visible_unread_count(user: Any) -> int:
    """Counted, not cached (the API and the notification centre): the unread
    notifications about posts the person may still read."""
    return visible_notifications(user, Notification.objects.filter(read_at__isnull=True)).count()


def email_frequency(user: Any) -> str:
    """The person's e-mail choice (the model's default until they choose)."""
    state = NotificationState.objects.filter(user_id=user.pk).first()
    return state.email_frequency if state else EmailFrequency.DAILY


# Daily summaries go out from this hour (settings.TIME_ZONE), never in the night.
DIGEST_FROM_HOUR = 8
# A little under a day, so an hourly run at 08:05 does not slip to 09:05 over time.
DIGEST_INTERVAL = timedelta(hours=23)


def digest_not_sent_since(now: datetime) -> Q:
    """No daily summary in the ``DIGEST_INTERVAL`` before ``now``."""
    return Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - DIGEST_INTERVAL)


def digests_due(now: datetime) -> list[int]:
    """The people whose daily summary is due at ``now``: they chose daily e-mail, had
    none in the last 23 hours, have a verified primary address and notifications not
    read or sent yet, and no erasure pending. None before 08:00 local time. The
    command claims each one (``actions.claim_digest``) before queuing it."""
    if timezone.localtime(now).hour < DIGEST_FROM_HOUR:
        return []
    waiting = Notification.objects.filter(
        recipient_id=OuterRef("user_id"), read_at__isnull=True, emailed_at__isnull=True
    )
    verified = EmailAddress.objects.filter(user_id=OuterRef("user_id"), primary=True, verified=True)
    return list(
        NotificationState.objects.filter(
            email_frequency=EmailFrequency.DAILY,
            user__is_active=True,
            user__erasure_requested_at__isnull=True,
        )
        .filter(digest_not_sent_since(now))
        .filter(Exists(waiting), Exists(verified))
        .values_list("user_id", flat=True)
    )
