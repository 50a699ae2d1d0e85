"""What notifications hold about a person (export) and how they are forgotten."""

from __future__ import annotations

from copy import copy
from typing import Any

from django.db.models import Exists, OuterRef

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import register_exporter, rows
from patientvoice.communities.models import Community, Thread
from patientvoice.communities.permissions import visible_communities, visible_threads

from .actions import forget_notifications_of
from .models import Notification, NotificationState, Subscription


@register_exporter(
    "notifications",
    models=[
        "notifications.Subscription",
        "notifications.Notification",
        "notifications.NotificationState",
    ],
)
def export_notifications(user: Any) -> dict[str, Any]:
    return {
        "settings": rows(
            NotificationState.objects.filter(user=user),
            "email_frequency",
            "last_digest_at",
            "updated_at",
        ),
        "following": _follows(user),
        # What the person was told about: which post, why, when it was read or e-mailed.
        # Other people's words are not copied here; the post is named by its id.
        "notifications": rows(
            Notification.objects.filter(recipient=user).order_by("created_at", "pk"),
            "public_id",
            "kind",
            "post__public_id",
            "created_at",
            "read_at",
            "emailed_at",
        ),
    }


def _follows(user: Any) -> list[dict[str, Any]]:
    """The person's follows, in one query. A thread's title and a community's name
    are copied only while the person may still see them (asked as a member): the
    title of a thread in a community they left is other people's content; its id is
    enough."""
    member = copy(user)
    member.privileges_suspended = True
    thread_seen = visible_threads(member, Thread.objects.filter(pk=OuterRef("thread_id")))
    community_seen = visible_communities(
        member, Community.objects.filter(pk=OuterRef("community_id"))
    )
    follows = rows(
        Subscription.objects.filter(user=user)
        .annotate(thread_seen=Exists(thread_seen), community_seen=Exists(community_seen))
        .order_by("created_at", "pk"),
        "thread__public_id",
        "thread__title",
        "community__name",
        "created_at",
        "thread_seen",
        "community_seen",
    )
    for follow in follows:
        if not follow.pop("thread_seen"):
            follow["thread__title"] = None
        if not follow.pop("community_seen"):
            follow["community__name"] = None
    return follows


@register_eraser("notifications")
def erase_notifications(user: Any, mode: str) -> None:
    # Follows, notifications and e-mail choices are about the person alone: they go in
    # both modes. Notifications others got about this person's posts go with the posts
    # (remove mode) or stay, pointing at a post by "former member" (anonymise mode).
    forget_notifications_of(user)
