"""Safety cases: opening one from a signal, changing it, closing it (decisions/0036)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core import audit

from ..concepts import known_concepts
from ..errors import CaseClosed, InvalidInput, SignalDecided
from ..models import (
    CRITERIA_FIELDS,
    SERIOUSNESS_FIELDS,
    CaseStatus,
    DayZeroBasis,
    Origin,
    SafetyCase,
    SafetySignal,
    SignalStatus,
    due_from,
)
from ..permissions import check_safety_officer
from .signals import _reason

FLAG_FIELDS = (*CRITERIA_FIELDS, *SERIOUSNESS_FIELDS)
CASE_FIELDS = (*FLAG_FIELDS, "origin", "narrative", "suspect_medicine", "reaction")


def clean_case(
    *,
    origin: str,
    narrative: str = "",
    suspect_medicine: Any = None,
    reaction: str = "",
    **flags: bool,
) -> dict[str, Any]:
    """The case's answers, checked, or :class:`InvalidInput` naming the field. The form
    and the actions share it."""
    unknown = set(flags) - set(FLAG_FIELDS)
    if unknown:
        raise TypeError(f"Unknown case fields: {sorted(unknown)}")
    if origin not in Origin.values:
        raise InvalidInput(
            "origin", pgettext_lazy("safety case form", "Choose spontaneous or solicited.")
        )
    text = (narrative or "").strip()
    if len(text) > SafetyCase.MAX_NARRATIVE_LENGTH:
        raise InvalidInput(
            "narrative",
            pgettext_lazy(
                "safety case form", "Please keep the narrative under %(limit)s characters."
            ),
            limit=SafetyCase.MAX_NARRATIVE_LENGTH,
        )
    if reaction and reaction not in known_concepts():
        raise InvalidInput(
            "reaction", pgettext_lazy("safety case form", "Choose a reaction from the list.")
        )
    if suspect_medicine is not None and not getattr(suspect_medicine, "pk", None):
        raise InvalidInput(
            "suspect_medicine",
            pgettext_lazy("safety case form", "Choose a medicine from the directory."),
        )
    cleaned: dict[str, Any] = {name: bool(flags.get(name, False)) for name in FLAG_FIELDS}
    cleaned.update(
        origin=origin, narrative=text, suspect_medicine=suspect_medicine, reaction=reaction
    )
    return cleaned


def _summary(case: SafetyCase) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "valid": case.is_valid,
        "serious": case.is_serious,
        "due_at": case.due_at.isoformat(),
    }


@transaction.atomic
def open_case(*, officer: User, signal: SafetySignal, **fields: Any) -> SafetyCase:
    """Make ``signal`` a case with the officer's answers (:func:`clean_case`).

    Preconditions: an active safety officer; the signal is not a case yet
    (``SignalDecided``). Effects: the case holds Day 0 from the signal (now, if the
    signal had none: the officer sees it now) and the deadline, 15 days from Day 0 if
    serious, else 90; the signal's status is "case". Audited."""
    check_safety_officer(officer)
    cleaned = clean_case(**fields)
    locked = SafetySignal.objects.select_for_update().get(pk=signal.pk)
    if locked.status == SignalStatus.CASE or SafetyCase.objects.filter(signal=locked).exists():
        raise SignalDecided()
    now = timezone.now()
    day_zero = locked.day_zero or now
    serious = any(cleaned[name] for name in SERIOUSNESS_FIELDS)
    case = SafetyCase.objects.create(
        signal=locked,
        **cleaned,
        reporter_ref=locked.reporter_ref,
        day_zero=day_zero,
        due_at=due_from(day_zero, serious=serious),
        created_by=officer,
        updated_by=officer,
    )
    updates: dict[str, Any] = {
        "status": SignalStatus.CASE,
        "decided_at": now,
        "decided_by": officer,
        "updated_at": now,
    }
    if locked.day_zero is None:
        updates.update(day_zero=now, day_zero_basis=DayZeroBasis.SEEN)
        signal.day_zero, signal.day_zero_basis = now, DayZeroBasis.SEEN
    SafetySignal.objects.filter(pk=locked.pk).update(**updates)
    signal.status, signal.decided_at, signal.decided_by = SignalStatus.CASE, now, officer
    audit.record(
        actor=officer,
        action="safety.case_opened",
        target=case,
        data={"signal": str(signal.public_id), **_summary(case)},
    )
    return case


@transaction.atomic
def update_case(*, officer: User, case: SafetyCase, **fields: Any) -> list[str]:
    """Change the case's answers; the deadline follows the seriousness. Preconditions:
    an active safety officer, an open case (``CaseClosed``). Returns the names of the
    fields that changed (audited with them; the narrative's text is not copied into the
    log)."""
    check_safety_officer(officer)
    cleaned = clean_case(**fields)
    locked = SafetyCase.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.OPEN:
        raise CaseClosed()
    changed = [name for name, value in cleaned.items() if getattr(locked, name) != value]
    if not changed:
        return []
    for name, value in cleaned.items():
        setattr(case, name, value)
    case.due_at = due_from(case.day_zero, serious=case.is_serious)
    case.updated_by = officer
    case.save(update_fields=[*cleaned, "due_at", "updated_by", "updated_at"])
    audit.record(
        actor=officer,
        action="safety.case_updated",
        target=case,
        data={"changed": changed, **_summary(case)},
    )
    return changed


@transaction.atomic
def close_case(*, officer: User, case: SafetyCase, reason: str) -> SafetyCase:
    """Close the case (reported, or found not to need reporting), with the reason.
    Reminders stop. Audited."""
    check_safety_officer(officer)
    text = _reason(
        reason, pgettext_lazy("safety error", "Say why the case is closed. The reason is kept.")
    )
    locked = SafetyCase.objects.select_for_update().get(pk=case.pk)
    if locked.status != CaseStatus.OPEN:
        raise CaseClosed()
    now = timezone.now()
    SafetyCase.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED,
        closed_at=now,
        close_reason=text,
        updated_by=officer,
        updated_at=now,
    )
    case.status, case.closed_at, case.close_reason = CaseStatus.CLOSED, now, text
    audit.record(
        actor=officer, action="safety.case_closed", target=case, reason=text, data=_summary(case)
    )
    return case


def record_case_view(*, officer: User, case: SafetyCase, request: HttpRequest) -> None:
    """Every view of a case is audited (issue 7, item 3)."""
    audit.record(actor=officer, action="safety.case_viewed", target=case, request=request)
