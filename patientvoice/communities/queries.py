"""Reads that pages, the API and exports share. All pass through the visibility rule."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from patientvoice.directory.models import Condition

from .models import Community, Post, Thread
from .permissions import visible_communities, visible_posts, visible_threads


def home_communities(user: Any, limit: int = 12) -> list[Community]:
    qs = visible_communities(user, Community.objects.select_related("organization"))
    return list(qs.order_by("-member_count", "name")[:limit])


def community_threads(user: Any, community: Community) -> QuerySet[Thread]:
    # Each row links to itself, and a thread's URL holds its community's slug; its
    # condition tags come in one more query for the whole page.
    return (
        visible_threads(
            user,
            Thread.objects.filter(community=community).select_related("community", "author"),
        )
        .prefetch_related("conditions")
        .order_by("-last_post_at", "-id")
    )


def tagged_communities(user: Any, condition: Condition) -> list[Community]:
    """Communities tagged with ``condition`` whose existence ``user`` may know."""
    qs = visible_communities(
        user, Community.objects.filter(conditions=condition).select_related("organization")
    )
    return list(qs.order_by("-member_count", "name"))


def tagged_threads(user: Any, condition: Condition) -> QuerySet[Thread]:
    """Threads tagged with ``condition`` that ``user`` may read, most active first."""
    return visible_threads(
        user, Thread.objects.filter(conditions=condition).select_related("community", "author")
    ).order_by("-last_post_at", "-id")


def thread_posts(user: Any, thread: Thread) -> QuerySet[Post]:
    return visible_posts(user, Post.objects.filter(thread=thread).select_related("author"))


def latest_posts(user: Any, limit: int = 10) -> list[Post]:
    qs = visible_posts(user, Post.objects.select_related("author", "thread", "community"))
    return list(qs.order_by("-created_at")[:limit])
