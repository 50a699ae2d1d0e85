"""Opening safety signals, Day 0, and the officers' decision on a signal
(decisions/0036)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.core.models import Content, ContentStatus

from .. import screening
from ..errors import InvalidInput, ReasonRequired, SignalDecided
from ..models import (
    DayZeroBasis,
    FirstSight,
    Origin,
    ReporterRef,
    SafetySignal,
    SignalSource,
    SignalStatus,
)
from ..permissions import check_safety_officer

MAX_REASON_LENGTH = 2_000
SCREENED = (ContentStatus.PUBLISHED, ContentStatus.HELD)


def reporter_ref_for(user: User | None) -> Any:
    """The member's pseudonymous reference (made the first time it is needed)."""
    if user is None or user.pk is None:
        return None
    found = ReporterRef.objects.filter(user_id=user.pk).values_list("ref", flat=True).first()
    if found is not None:
        return found
    ReporterRef.objects.bulk_create([ReporterRef(user_id=user.pk)], ignore_conflicts=True)
    return ReporterRef.objects.filter(user_id=user.pk).values_list("ref", flat=True).first()


def text_changed_at(content: Content) -> datetime:
    """When the text as it is now was written."""
    edited = getattr(content, "edited_at", None)
    return edited if edited is not None else content.created_at


def _visible_since(content: Content) -> datetime | None:
    """When readers could first see the text as it is now (published content only)."""
    if content.status != ContentStatus.PUBLISHED or content.published_at is None:
        return None
    edited = getattr(content, "edited_at", None)
    return max(content.published_at, edited) if edited is not None else content.published_at


def _first_sight(content: Content) -> datetime | None:
    """When someone working for the operator first saw the text as it is now."""
    seen = (
        FirstSight.objects.filter(content_kind=content._meta.label_lower, object_id=content.pk)
        .values_list("seen_at", flat=True)
        .first()
    )
    return seen if seen is not None and seen >= text_changed_at(content) else None


def day_zero_of(content: Content) -> tuple[datetime | None, str]:
    """Day 0 for signals about ``content``: the earlier of its publication (the text as
    it is now) and the first time someone working for the operator saw it; ``None``
    while it is held and unseen (decisions/0036)."""
    candidates: list[tuple[datetime, str]] = []
    published = _visible_since(content)
    if published is not None:
        candidates.append((published, DayZeroBasis.PUBLISHED))
    seen = _first_sight(content)
    if seen is not None:
        candidates.append((seen, DayZeroBasis.SEEN))
    if not candidates:
        return None, ""
    return min(candidates)


def _medicines(slugs: Iterable[str]) -> dict[str, Any]:
    from patientvoice.directory.models import Medicine

    wanted = {s for s in slugs if s}
    if not wanted:
        return {}
    return {m.slug: m for m in Medicine.objects.filter(slug__in=wanted)}


@transaction.atomic
def open_signals(
    *,
    content: Content,
    drafts: list[screening.Draft] | None = None,
    any_status: bool = False,
) -> int:
    """Screen ``content`` and open a signal for each mention it does not have yet.

    Preconditions: ``content`` is saved. Only published and held content is screened
    (``any_status`` for a moderator's escalation). Idempotent: a signal is one per
    (content, field, medicine, reaction), so a retried task or an edit that repeats a
    mention opens nothing; an edit with a new mention opens only that one. Signals of
    ``content`` still without Day 0 get it when there is one (publication, or a first
    sight by staff). Returns how many signals were opened.
    """
    if content.pk is None or (content.status not in SCREENED and not any_status):
        return 0
    if drafts is None:
        drafts = screening.drafts_for(content)
    kind = content._meta.label_lower
    mine = SafetySignal.objects.filter(content_kind=kind, object_id=content.pk)
    existing = set(mine.values_list("field", "medicine_slug", "reaction"))
    new = [d for d in drafts if d.key not in existing]
    day_zero, basis = day_zero_of(content)
    if new:
        place = screening.place_of(content)
        medicines = _medicines(d.medicine_slug for d in new)
        ref = reporter_ref_for(content.author)
        SafetySignal.objects.bulk_create(
            [
                SafetySignal(
                    content_kind=kind,
                    object_id=content.pk,
                    content_public_id=getattr(content, "public_id", None),
                    field=draft.field,
                    source=draft.source,
                    origin=draft.origin,
                    medicine_slug=draft.medicine_slug,
                    medicine=medicines.get(draft.medicine_slug),
                    medicine_candidates=list(draft.medicine_candidates),
                    reaction=draft.reaction,
                    excerpt=draft.excerpt,
                    medicine_span=list(draft.medicine_span) if draft.medicine_span else None,
                    reaction_span=list(draft.reaction_span) if draft.reaction_span else None,
                    confidence=draft.confidence,
                    reasons=list(draft.reasons),
                    always_review=draft.always_review,
                    language=content.language,
                    community=place.community,
                    place=place.label,
                    audience=place.audience,
                    content_status=content.status,
                    reporter_ref=ref,
                    day_zero=day_zero,
                    day_zero_basis=basis,
                )
                for draft in new
            ],
            ignore_conflicts=True,
        )
    if day_zero is not None:
        mine.filter(day_zero__isnull=True).update(
            day_zero=day_zero, day_zero_basis=basis, updated_at=timezone.now()
        )
    return len(new)


@transaction.atomic
def record_staff_sight(*, content: Any, at: datetime | None = None) -> None:
    """Someone working for the operator (a moderator, staff) was shown ``content`` while
    it is not published: Day 0 of its signals, now and later, unless the text changes
    (decisions/0036). Published content has its Day 0 already; anything that is not
    content (a profile) is ignored. At most two queries."""
    if not isinstance(content, Content) or content.status == ContentStatus.PUBLISHED:
        return
    at = at or timezone.now()
    kind = content._meta.label_lower
    stale = FirstSight.objects.filter(
        content_kind=kind, object_id=content.pk, seen_at__lt=text_changed_at(content)
    )
    if stale.update(seen_at=at) == 0:
        FirstSight.objects.bulk_create(
            [FirstSight(content_kind=kind, object_id=content.pk, seen_at=at)],
            ignore_conflicts=True,
        )
    SafetySignal.objects.filter(
        content_kind=kind, object_id=content.pk, day_zero__isnull=True
    ).update(day_zero=at, day_zero_basis=DayZeroBasis.SEEN, updated_at=at)


def record_officer_sight(signals: Iterable[SafetySignal]) -> None:
    """A safety officer was shown these signals' excerpts: those without Day 0 (held
    content nobody had seen) get it now. One query, only when there are any."""
    unseen = [s for s in signals if s.day_zero is None]
    if not unseen:
        return
    now = timezone.now()
    SafetySignal.objects.filter(pk__in=[s.pk for s in unseen], day_zero__isnull=True).update(
        day_zero=now, day_zero_basis=DayZeroBasis.SEEN, updated_at=now
    )
    for signal in unseen:
        signal.day_zero, signal.day_zero_basis = now, DayZeroBasis.SEEN


@transaction.atomic
def open_signals_from_escalation(
    *, content: Content, moderator: User | None, at: datetime | None = None
) -> int:
    """A moderator sent ``content`` to the safety queue ("Send to the safety queue").

    Every detection counts, whatever its confidence (a person pointed at it); with none,
    one signal without a medicine or reaction opens for the officer to read. The
    moderator saw the content: that is Day 0 if it is not published. Idempotent."""
    at = at or timezone.now()
    record_staff_sight(content=content, at=at)
    drafts = screening.drafts_for(content, limit=0.0)
    if not drafts:
        drafts = [
            screening.Draft(
                field="moderator",
                source=SignalSource.MODERATOR,
                origin=Origin.SPONTANEOUS,
                medicine_slug="",
                reaction="",
                excerpt=screening.plain_excerpt(content),
                medicine_span=None,
                reaction_span=None,
                confidence=1.0,
                reasons=("moderator",),
            )
        ]
    return open_signals(content=content, drafts=drafts, any_status=True)


def _reason(value: str, missing: Any = None) -> str:
    reason = (value or "").strip()
    if not reason:
        raise ReasonRequired(missing)
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(
            "reason",
            pgettext_lazy("safety form", "Please keep it under %(limit)s characters."),
            limit=MAX_REASON_LENGTH,
        )
    return reason


@transaction.atomic
def decide_not_a_case(*, officer: User, signal: SafetySignal, reason: str) -> SafetySignal:
    """The officer judged the signal not to be a case, with the reason (kept).

    Preconditions: an active safety officer; the signal is not a case already
    (``SignalDecided``). A reason is required (``ReasonRequired``). Audited."""
    check_safety_officer(officer)
    text = _reason(reason)
    locked = SafetySignal.objects.select_for_update().get(pk=signal.pk)
    if locked.status == SignalStatus.CASE:
        raise SignalDecided()
    now = timezone.now()
    SafetySignal.objects.filter(pk=signal.pk).update(
        status=SignalStatus.NOT_A_CASE,
        decided_at=now,
        decided_by=officer,
        decision_reason=text,
        updated_at=now,
    )
    signal.status, signal.decided_at, signal.decided_by = SignalStatus.NOT_A_CASE, now, officer
    signal.decision_reason = text
    audit.record(
        actor=officer,
        action="safety.signal_not_a_case",
        target=signal,
        reason=text,
        data={"previous": locked.status},
    )
    return signal


def record_signal_view(*, officer: User, signal: SafetySignal, request: HttpRequest) -> None:
    """Every view of a signal is audited (issue 7, item 3)."""
    audit.record(actor=officer, action="safety.signal_viewed", target=signal, request=request)


def record_queue_view(
    *, officer: User, signals: list[SafetySignal], request: HttpRequest, status: str
) -> None:
    """A page of the queue shows excerpts: which signals were shown is audited (one
    entry per page)."""
    audit.record(
        actor=officer,
        action="safety.queue_viewed",
        data={"status": status, "signals": [str(s.public_id) for s in signals]},
        request=request,
    )
