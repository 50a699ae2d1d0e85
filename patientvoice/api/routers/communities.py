"""Communities, threads and posts, read through the visibility rule."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.params.functions import Path

from patientvoice.communities.models import Community, Post, Thread
from patientvoice.communities.permissions import (
    access_thread,
    check_community_exists_for,
    visible_communities,
    visible_threads,
)
from patientvoice.communities.queries import thread_posts

from ..auth import optional_auth
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import ErrorOut

router = Router(tags=["communities"])
# As Django's <slug:> converter: anything else (a NUL byte, say) is 422, never a
# database error.
SLUG = Path(..., pattern=r"^[-a-zA-Z0-9_]+$")


class CommunityOut(Schema):
    slug: str
    name: str
    description: str
    visibility: str
    member_count: int
    thread_count: int


class ThreadOut(Schema):
    public_id: UUID
    title: str
    author: str | None
    post_count: int
    last_post_at: datetime | None

    @staticmethod
    def resolve_author(obj: Thread) -> str | None:
        return obj.author.handle if obj.author else None


class PostOut(Schema):
    public_id: UUID
    author: str | None
    body_html: str
    language: str
    status: str
    published_at: datetime | None

    @staticmethod
    def resolve_author(obj: Post) -> str | None:
        return obj.author.handle if obj.author else None


@router.get("/communities", response=list[CommunityOut], auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_communities(request: HttpRequest) -> Any:
    return visible_communities(request.user, Community.objects.all()).order_by("name")


@router.get(
    "/communities/{slug}/threads",
    response={200: list[ThreadOut], 404: ErrorOut},
    auth=optional_auth,
)
@paginate(BoundedLimitOffsetPagination)
def list_threads(request: HttpRequest, slug: str = SLUG) -> Any:
    community = get_object_or_404(Community, slug=slug)
    check_community_exists_for(request.user, community)
    return visible_threads(
        request.user, Thread.objects.filter(community=community).select_related("author")
    ).order_by("-last_post_at", "-id")


@router.get(
    "/communities/{slug}/threads/{thread_id}/posts",
    response={200: list[PostOut], 404: ErrorOut},
    auth=optional_auth,
)
@paginate(BoundedLimitOffsetPagination)
def list_posts(request: HttpRequest, thread_id: UUID, slug: str = SLUG) -> Any:
    thread = access_thread(request.user, slug, thread_id)
    return thread_posts(request.user, thread)
