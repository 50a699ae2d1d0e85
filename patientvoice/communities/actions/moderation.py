"""Moderators pin, lock and move threads. Every change is audited."""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.search import indexing as search_indexing

from ..models import Community, Post, Thread
from ..permissions import check_moderate_thread, check_move_thread
from .counters import recount_communities


@transaction.atomic
def pin_thread(*, actor: User | None, thread: Thread, pinned: bool) -> bool:
    """Pin ``thread`` (listed first in its community) or unpin it. Raises
    ``PermissionDenied`` unless ``actor`` moderates its community (``actor=None`` is
    the system: seed data). Effects: the flag changes, audited; setting it to what it
    is changes nothing. Returns whether it changed."""
    if actor is not None:
        check_moderate_thread(actor, thread)
    if thread.is_pinned == pinned:
        return False
    Thread.objects.filter(pk=thread.pk).update(is_pinned=pinned, updated_at=timezone.now())
    thread.is_pinned = pinned
    audit.record(
        actor=actor,
        action="communities.thread_pinned" if pinned else "communities.thread_unpinned",
        target=thread,
    )
    return True


@transaction.atomic
def lock_thread(*, actor: User | None, thread: Thread, locked: bool) -> bool:
    """Lock ``thread`` (no more replies, except from its moderators) or unlock it.
    Raises ``PermissionDenied`` unless ``actor`` moderates its community (``actor=None``
    is the system: seed data). Effects: the flag changes, audited. Returns whether it
    changed."""
    if actor is not None:
        check_moderate_thread(actor, thread)
    if thread.is_locked == locked:
        return False
    Thread.objects.filter(pk=thread.pk).update(is_locked=locked, updated_at=timezone.now())
    thread.is_locked = locked
    audit.record(
        actor=actor,
        action="communities.thread_locked" if locked else "communities.thread_unlocked",
        target=thread,
    )
    return True


@transaction.atomic
def move_thread(*, actor: User, thread: Thread, to: Community) -> bool:
    """Move ``thread`` with all its posts to community ``to``.

    Raises ``PermissionDenied`` unless ``actor`` moderates the thread's community and
    may move it there (``permissions.move_targets``: the same organisation's
    communities they moderate; any community for acting site staff). Effects: the
    thread and its posts belong to ``to`` (so ``to``'s visibility applies at once);
    both communities' thread counts are recomputed; audited with both slugs; the
    search index is updated after commit. Returns False when it is there already."""
    if to.pk == thread.community_id:
        return False
    check_move_thread(actor, thread, to)
    source = thread.community
    now = timezone.now()
    Thread.objects.filter(pk=thread.pk).update(community=to, updated_at=now)
    Post.objects.filter(thread_id=thread.pk).update(community=to, updated_at=now)
    thread.community = to
    recount_communities({source.pk, to.pk})
    audit.record(
        actor=actor,
        action="communities.thread_moved",
        target=thread,
        data={"from": source.slug, "to": to.slug},
    )
    # Search rows carry the community (and so its visibility): reindex the thread's
    # posts in the worker once the move is committed.
    transaction.on_commit(partial(search_indexing.schedule_reindex_thread, thread.pk))
    return True
