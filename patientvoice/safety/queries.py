"""Reads of the safety app, shared by its pages, other apps' pages and (later) the API.
Officers' reads pass through ``visible_signals``/``visible_cases``; members' through
``visible_messages`` or their own reporter reference."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import (
    CaseStatus,
    FollowUpAttempt,
    ReporterRef,
    SafetyCase,
    SafetyMessage,
    SafetySignal,
    SignalStatus,
)
from .permissions import visible_cases, visible_follow_ups, visible_messages, visible_signals


def signal_queue(user: Any, status: str = SignalStatus.NEW) -> QuerySet[SafetySignal]:
    """Signals of one status, oldest first (by Day 0, or by when they were found while
    their content is held and unseen), with their medicine."""
    return (
        visible_signals(user, SafetySignal.objects.filter(status=status))
        .select_related("medicine")
        .annotate(clock_from=Coalesce("day_zero", "created_at"))
        .order_by(F("clock_from").asc(), "id")
    )


def signal_counts(user: Any) -> dict[str, int]:
    """How many signals each status has (one query), for the queue's tabs."""
    rows = (
        visible_signals(user, SafetySignal.objects.all())
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(SignalStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def case_list(user: Any, status: str = CaseStatus.OPEN) -> QuerySet[SafetyCase]:
    """Cases of one status, the nearest deadline first."""
    return (
        visible_cases(user, SafetyCase.objects.filter(status=status))
        .select_related("suspect_medicine", "signal")
        .order_by("due_at", "id")
    )


def follow_ups_of(user: Any, signal: SafetySignal) -> QuerySet[FollowUpAttempt]:
    return visible_follow_ups(user, FollowUpAttempt.objects.filter(signal=signal)).order_by(
        "created_at", "id"
    )


def days_since(moment: datetime | None, now: datetime | None = None) -> int | None:
    """Whole days from ``moment`` to now (0 on the day itself)."""
    if moment is None:
        return None
    return max(0, ((now or timezone.now()) - moment).days)


def days_until(moment: datetime | None, now: datetime | None = None) -> int | None:
    """Whole days left until ``moment`` (negative when it has passed)."""
    if moment is None:
        return None
    return (moment - (now or timezone.now())).days


@dataclass(frozen=True)
class Countdown:
    """Whole days left until a deadline, or by how many days it has passed."""

    left: int
    overdue: int


def countdown(deadline: datetime | None, now: datetime | None = None) -> Countdown | None:
    left = days_until(deadline, now)
    if left is None:
        return None
    return Countdown(left=max(left, 0), overdue=-left if left < 0 else 0)


def marked_excerpt(signal: SafetySignal) -> SafeString:
    """The excerpt as HTML: escaped, the medicine and the reaction in ``<mark>`` (with
    a class each, for their own colours). The only HTML is ours."""
    text = signal.excerpt
    marks: list[tuple[int, int, str]] = []
    for span, name in ((signal.medicine_span, "medicine"), (signal.reaction_span, "reaction")):
        if span and 0 <= span[0] < span[1] <= len(text):
            marks.append((span[0], span[1], name))
    marks.sort()
    parts: list[str] = []
    cursor = 0
    for start, end, name in marks:
        if start < cursor:  # overlapping spans: the first one wins
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(f'<mark class="safety-{name}">{escape(text[start:end])}</mark>')
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))


def own_signalled_ids(user: Any, kind: str, ids: Iterable[int]) -> set[int]:
    """Which of ``ids`` (rows of content ``kind``, e.g. "communities.post") the signed-in
    ``user`` wrote and raised a safety signal: next to those, the page shows the author
    the link to report the side effect to Läkemedelsverket themselves. One query (none
    for a visitor or an empty page). Only the author is ever told."""
    wanted = [int(i) for i in ids]
    if not wanted or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        SafetySignal.objects.filter(  # visibility: the reader's own content only
            content_kind=kind,
            object_id__in=wanted,
            reporter_ref__in=ReporterRef.objects.filter(user_id=user.pk).values("ref"),
        )
        .values_list("object_id", flat=True)
        .distinct()
    )


def own_signal_expression(kind: str, user_id: Any) -> Exists:
    """``own_signalled_ids`` as an SQL expression for a hot page's own rows of content
    ``kind`` (an ``OuterRef("pk")`` per row): whether ``user_id`` wrote it and it
    raised a signal. An index search per row; the reader's reference is found once."""
    return Exists(
        SafetySignal.objects.filter(  # visibility: the reader's own content only, yes/no
            content_kind=kind,
            object_id=OuterRef("pk"),
            reporter_ref__in=ReporterRef.objects.filter(user_id=user_id).values("ref"),
        )
    )


def messages_for(user: Any) -> QuerySet[SafetyMessage]:
    return visible_messages(user, SafetyMessage.objects.all()).order_by("-created_at", "-id")


def unread_message_count(user: Any) -> int:
    return visible_messages(user, SafetyMessage.objects.filter(read_at__isnull=True)).count()
