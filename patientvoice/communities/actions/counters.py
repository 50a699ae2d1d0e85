"""Recomputing counters kept on write, after deletions."""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from patientvoice.core.models import ContentStatus

from ..models import (
    Community,
    Post,
    Thread,
)


def recount_threads(thread_ids: set[int]) -> None:
    """Recompute ``post_count``, ``last_post_at`` and ``last_published_position`` of
    threads from their published posts (a thread left with none keeps its creation
    time as ``last_post_at``)."""
    published = Post.objects.filter(thread=OuterRef("pk"), status=ContentStatus.PUBLISHED)
    Thread.objects.filter(pk__in=thread_ids).update(
        post_count=Coalesce(
            Subquery(published.order_by().values("thread").annotate(n=Count("pk")).values("n")),
            Value(0),
        ),
        last_post_at=Coalesce(
            Subquery(published.order_by("-published_at").values("published_at")[:1]),
            F("created_at"),
        ),
        last_published_position=Coalesce(
            Subquery(published.order_by("-position").values("position")[:1]), Value(0)
        ),
        updated_at=timezone.now(),
    )


def recount_communities(community_ids: set[int]) -> None:
    """Recompute ``thread_count`` of communities from their published threads."""
    published = Thread.objects.filter(community=OuterRef("pk"), is_published=True)
    Community.objects.filter(pk__in=community_ids).update(
        thread_count=Coalesce(
            Subquery(published.order_by().values("community").annotate(n=Count("pk")).values("n")),
            Value(0),
        ),
        updated_at=timezone.now(),
    )
