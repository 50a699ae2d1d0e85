"""Reads that pages, the API and exports share. All pass through the visibility rule."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Community, Post, Thread
from .permissions import visible_communities, visible_posts, visible_threads


def home_communities(user: Any, limit: int = 12) -> list[Community]:
    qs = visible_communities(user, Community.objects.select_related("organization"))
    return list(qs.order_by("-member_count", "name")[:limit])


def community_threads(user: Any, community: Community) -> QuerySet[Thread]:
    # Each row links to itself, and a thread's URL holds its community's slug.
    return visible_threads(
        user, Thread.objects.filter(community=community).select_related("community", "author")
    ).order_by("-last_post_at", "-id")


def thread_posts(user: Any, thread: Thread) -> QuerySet[Post]:
    return visible_posts(user, Post.objects.filter(thread=thread).select_related("author"))


def latest_posts(user: Any, limit: int = 10) -> list[Post]:
    qs = visible_posts(user, Post.objects.select_related("author", "thread", "community"))
    return list(qs.order_by("-created_at")[:limit])
