"""What erasure does to a person's communities content (accounts' erasers call these)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import translation
from django.utils.translation import pgettext

from patientvoice.accounts.models import User
from patientvoice.core.models import ContentStatus

from ..models import (
    REACTION_COUNT_FIELDS,
    Post,
    PostRevision,
    Reaction,
    Thread,
)
from .counters import recount_communities, recount_threads


@transaction.atomic
def remove_unpublished_posts_of(user: User) -> int:
    """Erasure, both modes: delete the person's held or hidden posts, and threads they
    opened that were never published. Counts on touched threads are recomputed."""
    unpublished = Post.objects.filter(author=user).exclude(status=ContentStatus.PUBLISHED)
    thread_ids = set(unpublished.values_list("thread_id", flat=True))
    community_ids = set(unpublished.values_list("community_id", flat=True))
    never_published = Thread.objects.filter(author=user, is_published=False)
    community_ids |= set(never_published.values_list("community_id", flat=True))
    count, _ = unpublished.delete()
    never_published.delete()
    recount_threads(thread_ids)
    recount_communities(community_ids)
    return count


def remove_posts_of(user: User) -> int:
    """Erasure in "remove" mode. Preconditions: runs before the user row is deleted.

    Effects: every post ``user`` wrote is deleted, and so is every thread they opened
    that nobody else has written in. Threads where others wrote stay (with the
    others' posts); their ``post_count``/``last_post_at`` and the touched communities'
    ``thread_count`` are recomputed. Returns the number of the person's posts deleted.
    """
    theirs = Post.objects.filter(author=user)
    others = Post.objects.filter(thread=OuterRef("pk")).exclude(author=user)
    only_theirs = Thread.objects.filter(author=user).filter(~Exists(others))
    thread_ids = set(theirs.values_list("thread_id", flat=True))
    community_ids = set(theirs.values_list("community_id", flat=True)) | set(
        only_theirs.values_list("community_id", flat=True)
    )
    count = theirs.count()
    only_theirs.delete()
    theirs.delete()
    # Threads others answered stay for their sake, but the title was the person's words.
    for thread in Thread.objects.filter(author=user).select_related("community"):
        with translation.override(thread.community.language):
            thread.title = pgettext("erasure", "Title removed by its author")
        thread.save(update_fields=["title", "updated_at"])
    recount_threads(thread_ids)  # the deleted ones simply match no row
    recount_communities(community_ids)
    return count


@transaction.atomic
def remove_reactions_of(user: User) -> int:
    """Erasure, both modes: take back every reaction ``user`` gave, keeping the posts'
    counts right (deleting the user row would cascade them away without touching
    the counts). Returns how many were taken back."""
    theirs = Reaction.objects.filter(user=user)
    for kind, field in REACTION_COUNT_FIELDS.items():
        Post.objects.filter(
            pk__in=theirs.filter(kind=kind).values("post_id"), **{f"{field}__gt": 0}
        ).update(**{field: F(field) - 1})
    count, _ = theirs.delete()
    return count


def remove_revisions_of(user: User) -> int:
    """Erasure in "remove" mode: delete the earlier versions of ``user``'s posts. (In
    "anonymise" mode they stay, with ``edited_by`` emptied when the user row goes.)"""
    count, _ = PostRevision.objects.filter(post__author=user).delete()
    return count
