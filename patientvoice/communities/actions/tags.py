"""Tagging communities and threads with conditions, and threads with medicines
(decisions/0018)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.directory.models import Condition, Medicine

from ..models import (
    Community,
    Thread,
)
from ..permissions import (
    check_tag_thread,
    is_site_staff,
)


def _slugs(tags: Iterable[Condition | Medicine]) -> list[str]:
    return sorted(t.slug for t in tags)


@transaction.atomic
def set_community_conditions(
    *, actor: User | None, community: Community, conditions: Iterable[Condition]
) -> bool:
    """Tag ``community`` with exactly ``conditions``. Preconditions: the caller has
    checked that ``actor`` may manage the community (staff, its organisation's staff,
    seed data with ``actor=None``). Effects: the tags are replaced and the change is
    audited with the slugs added and removed. Returns whether anything changed."""
    change = _replace_tags(community.conditions, conditions)
    if change is None:
        return False
    audit.record(
        actor=actor, action="communities.conditions_changed", target=community, data=change
    )
    return True


@transaction.atomic
def set_thread_conditions(*, actor: User, thread: Thread, conditions: Iterable[Condition]) -> bool:
    """Tag ``thread`` with exactly ``conditions``. Raises ``PermissionDenied`` unless
    ``actor`` wrote the thread or is site staff with powers active. Effects: the tags
    are replaced; staff changing someone else's thread is audited. Returns whether
    anything changed."""
    check_tag_thread(actor, thread)
    change = _replace_tags(thread.conditions, conditions)
    return _audit_retag(actor, thread, "communities.thread_conditions_changed", change)


@transaction.atomic
def set_thread_medicines(*, actor: User, thread: Thread, medicines: Iterable[Medicine]) -> bool:
    """Tag ``thread`` with exactly ``medicines``, as ``set_thread_conditions`` does
    conditions: raises ``PermissionDenied`` unless ``actor`` wrote the thread or is site
    staff with powers active; staff changing someone else's thread is audited
    (``communities.thread_medicines_changed``). Returns whether anything changed."""
    check_tag_thread(actor, thread)
    change = _replace_tags(thread.medicines, medicines)
    return _audit_retag(actor, thread, "communities.thread_medicines_changed", change)


def _audit_retag(
    actor: User, thread: Thread, action: str, change: dict[str, list[str]] | None
) -> bool:
    """Audit (as ``action``) a change of a thread's tags that staff made to someone
    else's thread. Returns whether anything changed."""
    if change is None:
        return False
    if thread.author_id != actor.pk and is_site_staff(actor):
        audit.record(actor=actor, action=action, target=thread, data=change)
    return True


def _replace_tags(
    related: Any, tags: Iterable[Condition] | Iterable[Medicine]
) -> dict[str, list[str]] | None:
    """Set a many-to-many of tags to exactly ``tags``. Returns the slugs added and
    removed, or None when nothing changed."""
    wanted = {t.pk: t for t in tags}
    current = {t.pk: t for t in related.all()}
    if wanted.keys() == current.keys():
        return None
    related.set(list(wanted.values()))
    return {
        "added": _slugs(c for pk, c in wanted.items() if pk not in current),
        "removed": _slugs(c for pk, c in current.items() if pk not in wanted),
    }
