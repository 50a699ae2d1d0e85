"""Notifications and follows: the person's own, through the visibility rule."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.notifications import actions
from patientvoice.notifications.models import Subscription
from patientvoice.notifications.permissions import (
    access_followable_community,
    access_followable_thread,
    access_notification,
    own_follow,
    visible_subscriptions,
)
from patientvoice.notifications.queries import notification_list, visible_unread_count

from ..auth import token_or_session
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import SLUG, ErrorOut

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    public_id: UUID
    kind: str
    created_at: datetime
    read_at: datetime | None
    author: str | None
    post_id: UUID
    thread_id: UUID
    thread_title: str
    community: str

    @staticmethod
    def resolve_author(obj: Any) -> str | None:
        return obj.post.author.handle if obj.post.author else None

    @staticmethod
    def resolve_post_id(obj: Any) -> UUID:
        return obj.post.public_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_thread_id(obj: Any) -> UUID:
        return obj.post.thread.public_id  # type: ignore[no-any-return]

    @staticmethod
    def resolve_thread_title(obj: Any) -> str:
        return obj.post.thread.title  # type: ignore[no-any-return]

    @staticmethod
    def resolve_community(obj: Any) -> str:
        return obj.post.community.slug  # type: ignore[no-any-return]


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class FollowOut(Schema):
    following: bool


class SubscriptionOut(Schema):
    thread_id: UUID | None
    thread_title: str | None
    community: str
    created_at: datetime

    @staticmethod
    def resolve_thread_id(obj: Any) -> UUID | None:
        return obj.thread.public_id if obj.thread else None

    @staticmethod
    def resolve_thread_title(obj: Any) -> str | None:
        return obj.thread.title if obj.thread else None

    @staticmethod
    def resolve_community(obj: Any) -> str:
        community = obj.thread.community if obj.thread else obj.community
        return community.slug  # type: ignore[no-any-return]


@router.get(
    "/notifications/subscriptions",
    response={200: list[SubscriptionOut], 401: ErrorOut},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def list_subscriptions(request: HttpRequest) -> Any:
    """The threads and communities you follow (those you may still read), newest first."""
    return visible_subscriptions(
        request.user,
        Subscription.objects.select_related("thread__community", "community"),
    ).order_by("-created_at", "-id")


@router.get(
    "/notifications",
    response={200: list[NotificationOut], 401: ErrorOut},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def list_notifications(request: HttpRequest) -> Any:
    """Your notifications about posts you may still read, newest first."""
    return notification_list(request.user)


@router.get(
    "/notifications/unread-count", response={200: UnreadOut, 401: ErrorOut}, auth=token_or_session
)
def get_unread_count(request: HttpRequest) -> Any:
    """Your unread notifications about posts you may still read (counted)."""
    return {"unread": visible_unread_count(request.user)}


@router.post(
    "/notifications/read-all", response={200: MarkedOut, 401: ErrorOut}, auth=token_or_session
)
def read_all(request: HttpRequest) -> Any:
    return {"marked": actions.mark_all_read(user=signed_in_user(request))}


@router.post(
    "/notifications/{public_id}/read",
    response={200: NotificationOut, 401: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
def read_one(request: HttpRequest, public_id: UUID) -> Any:
    user = signed_in_user(request)
    notification = access_notification(user, public_id)
    actions.mark_read(user=user, notification=notification)
    return notification


@router.put(
    "/notifications/subscriptions/threads/{thread_id}",
    response={200: FollowOut, 401: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
def follow_thread(request: HttpRequest, thread_id: UUID) -> Any:
    user = signed_in_user(request)
    actions.follow_thread(user=user, thread=access_followable_thread(user, thread_id))
    return {"following": True}


@router.delete(
    "/notifications/subscriptions/threads/{thread_id}",
    response={200: FollowOut, 401: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
def unfollow_thread(request: HttpRequest, thread_id: UUID) -> Any:
    """Stop following a thread; works for a thread you can no longer see too."""
    user = signed_in_user(request)
    mine = own_follow(user, thread_id=thread_id)
    if mine is not None:
        actions.stop_following(user=user, subscription=mine)
    else:
        access_followable_thread(user, thread_id)
    return {"following": False}


@router.put(
    "/notifications/subscriptions/communities/{slug}",
    response={200: FollowOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
def follow_community(request: HttpRequest, slug: str = SLUG) -> Any:
    user = signed_in_user(request)
    actions.follow_community(user=user, community=access_followable_community(user, slug=slug))
    return {"following": True}


@router.delete(
    "/notifications/subscriptions/communities/{slug}",
    response={200: FollowOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
def unfollow_community(request: HttpRequest, slug: str = SLUG) -> Any:
    """Stop following a community; works for one you can no longer read too."""
    user = signed_in_user(request)
    mine = own_follow(user, community_slug=slug)
    if mine is not None:
        actions.stop_following(user=user, subscription=mine)
    else:
        access_followable_community(user, slug=slug)
    return {"following": False}
