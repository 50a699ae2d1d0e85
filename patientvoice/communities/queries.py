"""Reads that pages, the API and exports share. All pass through the visibility rule."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from patientvoice.directory.models import Condition

from .models import (
    Community,
    CommunityGuidelines,
    GuidelinesAcceptance,
    Post,
    Reaction,
    Thread,
)
from .permissions import (
    visible_communities,
    visible_deleted_posts,
    visible_posts,
    visible_threads,
)


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


def thread_entries(user: Any, thread: Thread) -> QuerySet[Post]:
    """What the thread page lists: the posts ``user`` may read and, in the place of
    each post its author deleted, a placeholder (the row holds no text any more)."""
    readable = visible_posts(user, Post.objects.filter(thread=thread))
    placeholders = visible_deleted_posts(user, Post.objects.filter(thread=thread))
    return (readable | placeholders).select_related("author").order_by("created_at", "id")


def own_reactions(user: Any, posts: list[Post]) -> dict[int, set[str]]:
    """The kinds of reaction ``user`` gave to each of ``posts``, in one query for the
    whole page (none for a visitor or an empty page)."""
    if not getattr(user, "is_authenticated", False) or not posts:
        return {}
    given: dict[int, set[str]] = {}
    for post_id, kind in Reaction.objects.filter(
        user_id=user.pk, post_id__in=[p.pk for p in posts]
    ).values_list("post_id", "kind"):
        given.setdefault(post_id, set()).add(kind)
    return given


def latest_posts(user: Any, limit: int = 10) -> list[Post]:
    qs = visible_posts(user, Post.objects.select_related("author", "thread", "community"))
    return list(qs.order_by("-created_at")[:limit])


def current_guidelines(community: Community) -> CommunityGuidelines | None:
    """The latest version of the community's guidelines, or None when it has none.
    Guidelines are rules, not content: whoever may read the community may read them."""
    return CommunityGuidelines.objects.filter(community=community).order_by("-version").first()


def guidelines_to_accept(user: Any, community: Community) -> CommunityGuidelines | None:
    """The current guidelines when ``user`` has not accepted them yet, else None.
    One query: the latest version, with whether this person accepted it."""
    if not getattr(user, "is_authenticated", False):
        return current_guidelines(community)
    accepted = GuidelinesAcceptance.objects.filter(user_id=user.pk, guidelines=OuterRef("pk"))
    latest = (
        CommunityGuidelines.objects.filter(community=community)
        .annotate(accepted=Exists(accepted))
        .order_by("-version")
        .first()
    )
    if latest is None or latest.accepted:
        return None
    return latest


def needs_to_accept_guidelines(user: Any, community: Community) -> bool:
    """Whether ``user`` must accept the community's guidelines before posting there:
    it has guidelines and the person has not accepted the latest version."""
    return guidelines_to_accept(user, community) is not None
