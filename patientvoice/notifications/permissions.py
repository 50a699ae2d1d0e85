"""Who may follow what, and which notifications a person may see.

A notification is about a post; it is shown, counted in lists and e-mailed only while
the recipient may still read that post (communities' visibility rule). Following
needs the same: a thread the person can see, a community whose content they can read.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.http import Http404

from patientvoice.communities.models import Community, Thread
from patientvoice.communities.permissions import (
    readable_communities,
    readable_post_q,
    visible_communities,
    visible_threads,
)

from .models import Notification, Subscription


def visible_notifications(user: Any, qs: QuerySet[Notification]) -> QuerySet[Notification]:
    """``user``'s own notifications about posts they may read now, asked as a member
    (staff powers do not widen what they were told). A join on the post, not a list of
    every post they may read (``readable_post_q``)."""
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(readable_post_q(user.pk, "post__"), recipient_id=user.pk)


def visible_notifications_of_everyone(qs: QuerySet[Notification]) -> QuerySet[Notification]:
    """Notifications about posts their own recipient may still read: the same rule for
    many people in one query (counters, e-mails)."""
    return qs.filter(readable_post_q(F("recipient_id"), "post__"))


def visible_subscriptions(user: Any, qs: QuerySet[Subscription]) -> QuerySet[Subscription]:
    """``user``'s own subscriptions to threads they can see and communities they can read."""
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    threads = visible_threads(user, Thread.objects.all()).values("pk")
    communities = readable_communities(user, Community.objects.all()).values("pk")
    return qs.filter(user_id=user.pk).filter(thread__in=threads) | qs.filter(
        user_id=user.pk, community__in=communities
    )


def own_follow(
    user: Any, *, thread_id: Any = None, community_slug: str = ""
) -> Subscription | None:
    """``user``'s own follow of a thread (by public id) or a community (by slug),
    whether or not they may still read it: stopping a follow needs no access."""
    if not getattr(user, "is_authenticated", False):
        return None
    mine = Subscription.objects.filter(user_id=user.pk).select_related(
        "thread__community", "community"
    )
    if thread_id is not None:
        return mine.filter(thread__public_id=thread_id).first()
    return mine.filter(community__slug=community_slug).first()


def own_follow_of_community(user: Any, public_id: Any) -> Subscription | None:
    """``own_follow`` for a community named by its public id (the follow button)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Subscription.objects.filter(user_id=user.pk, community__public_id=public_id)
        .select_related("community")
        .first()
    )


def access_notification(user: Any, public_id: Any) -> Notification:
    """One of ``user``'s notifications that they may still see; 404 otherwise."""
    notification = visible_notifications(
        user,
        Notification.objects.filter(public_id=public_id).select_related(
            "post__author", "post__thread__community", "post__community"
        ),
    ).first()
    if notification is None:
        raise Http404
    return notification


def can_follow_thread(user: Any, thread: Thread) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        visible_threads(user, Thread.objects.filter(pk=thread.pk)).exists()
    )


def can_follow_community(user: Any, community: Community) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        readable_communities(user, Community.objects.filter(pk=community.pk)).exists()
    )


def access_followable_thread(user: Any, public_id: Any) -> Thread:
    """A thread ``user`` may follow (one they can see); 404 otherwise."""
    thread = (
        visible_threads(user, Thread.objects.select_related("community"))
        .filter(public_id=public_id)
        .first()
    )
    if thread is None:
        raise Http404
    return thread


def access_followable_community(user: Any, *, public_id: Any = None, slug: str = "") -> Community:
    """A community ``user`` may follow. 404 when they may not know it exists; 403 when
    they know it (members-only) but may not read it."""
    lookup = {"public_id": public_id} if public_id is not None else {"slug": slug}
    community = visible_communities(user, Community.objects.filter(**lookup)).first()
    if community is None:
        raise Http404
    if not can_follow_community(user, community):
        raise PermissionDenied
    return community
