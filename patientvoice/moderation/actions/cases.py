"""Opening cases, and who works on them: claim, assign, release."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core import audit

from ..errors import CaseClaimed, CaseClosed
from ..models import Case, CaseStatus, Severity, hold_reason_severity
from ..permissions import check_decide
from ..registry import get as get_kind


def _snapshot(kind: str, obj: Any) -> dict[str, Any]:
    registered = get_kind(kind)
    community = registered.community_of(obj)
    author = registered.author_of(obj)
    return {
        "community_id": community.pk if community is not None else None,
        "organization_id": registered.organization_of(obj) if community is None else None,
        "author_id": author.pk if author is not None else None,
        "excerpt": registered.excerpt_of(obj),
        "url": registered.url_of(obj)[:500],
    }


@transaction.atomic
def open_case(
    *,
    kind: str,
    obj: Any,
    source: str,
    severity: int | None = None,
    reasons: Iterable[str] = (),
    trusted: bool = False,
    urgent: bool = False,
) -> Case:
    """The open case about ``obj`` (of registered ``kind``), joined or opened.

    Preconditions: called by the actions that report (``flag``, ``send_notice``) and by
    the pipeline hook; no permission of its own. Effects: when a case about the item is
    open, it takes the higher severity, becomes trusted or urgent if this is, adds the
    pipeline ``reasons`` it did not have and refreshes its excerpt; otherwise a case
    opens with the item's community (``None``: the site queue), author, excerpt and
    address. ``severity`` defaults to the highest of the ``reasons``; an urgent case is
    of high severity. One open case per item: two openings at once join one case.
    Returns the case."""
    reasons = list(dict.fromkeys(reasons))
    if severity is None:
        severity = max((hold_reason_severity(r) for r in reasons), default=Severity.LOW)
    if urgent:
        severity = Severity.HIGH
    snapshot = _snapshot(kind, obj)
    for attempt in range(2):
        case = (
            Case.objects.select_for_update()
            .filter(kind=kind, object_id=obj.pk, status=CaseStatus.OPEN)
            .first()
        )
        if case is not None:
            if case.community_id is None and case.organization_id is None:
                # Opened before cases named their organisation (moderation 0002).
                organization_id = snapshot["organization_id"]
                if organization_id is not None:
                    case.organization_id = organization_id
                    case.save(update_fields=["organization", "updated_at"])
            return _join(case, severity, reasons, trusted, urgent, snapshot["excerpt"])
        try:
            with transaction.atomic():
                return Case.objects.create(
                    kind=kind,
                    object_id=obj.pk,
                    source=source,
                    severity=severity,
                    reasons=reasons,
                    trusted=trusted,
                    urgent=urgent,
                    **snapshot,
                )
        except IntegrityError:
            # Opened by someone else a moment ago (the one-open-case constraint): join it.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _join(
    case: Case, severity: int, reasons: list[str], trusted: bool, urgent: bool, excerpt: str
) -> Case:
    fields: list[str] = []
    if severity > case.severity:
        case.severity = severity
        fields.append("severity")
    if trusted and not case.trusted:
        case.trusted = True
        fields.append("trusted")
    if urgent and not case.urgent:
        case.urgent = True
        fields.append("urgent")
    new_reasons = [r for r in reasons if r not in case.reasons]
    if new_reasons:
        case.reasons = [*case.reasons, *new_reasons]
        fields.append("reasons")
    if excerpt and excerpt != case.excerpt:
        case.excerpt = excerpt
        fields.append("excerpt")
    if fields:
        case.save(update_fields=[*fields, "updated_at"])
    return case


def _locked_open(case: Case) -> Case:
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.status != CaseStatus.OPEN:
        raise CaseClosed
    return current


@transaction.atomic
def claim(*, moderator: User, case: Case) -> Case:
    """``moderator`` takes ``case``. Raises ``PermissionDenied`` unless they may decide
    it, ``CaseClosed`` when it is decided, ``CaseClaimed`` when someone else has it.
    Claiming one's own case again changes nothing. Audited."""
    check_decide(moderator, case)
    current = _locked_open(case)
    if current.assignee_id == moderator.pk:
        return current
    if current.assignee_id is not None:
        raise CaseClaimed
    current.assignee = moderator
    current.claimed_at = timezone.now()
    current.save(update_fields=["assignee", "claimed_at", "updated_at"])
    audit.record(actor=moderator, action="moderation.claim", target=current, data=_data(current))
    return current


@transaction.atomic
def assign(*, moderator: User, case: Case, to: User) -> Case:
    """``moderator`` gives ``case`` to ``to`` (taking it from whoever had it). Both must
    be able to decide it (``PermissionDenied`` otherwise). Audited."""
    check_decide(moderator, case)
    check_decide(to, case)
    current = _locked_open(case)
    current.assignee = to
    current.claimed_at = timezone.now()
    current.save(update_fields=["assignee", "claimed_at", "updated_at"])
    audit.record(
        actor=moderator,
        action="moderation.assign",
        target=current,
        data={**_data(current), "to": str(to.public_id)},
    )
    return current


@transaction.atomic
def release(*, moderator: User, case: Case) -> Case:
    """Put ``case`` back in the queue for anyone. Any moderator who may decide it can
    (someone on holiday must not block an item). Audited when it had an assignee."""
    check_decide(moderator, case)
    current = _locked_open(case)
    if current.assignee_id is None:
        return current
    current.assignee = None
    current.claimed_at = None
    current.save(update_fields=["assignee", "claimed_at", "updated_at"])
    audit.record(actor=moderator, action="moderation.release", target=current, data=_data(current))
    return current


def _data(case: Case) -> dict[str, Any]:
    """What every moderation audit entry carries: the case and its community, so an
    organisation's moderators can be shown their communities' entries."""
    return {"case": str(case.public_id), "community": case.community_id, "kind": case.kind}


__all__ = ["assign", "claim", "open_case", "release"]


@transaction.atomic
def forget_unreported_cases(*, kind: str, object_ids: Iterable[int]) -> int:
    """Items their author deleted before anyone reported them or a moderator decided (a
    guest deleting their held comment): the open cases only the pipeline's hold opened
    go, as there is nothing left to decide and nobody to tell. A case with reports
    stays open: its senders are told the outcome. Returns how many went."""
    deleted, _ = (
        Case.objects.filter(kind=kind, object_id__in=list(object_ids), status=CaseStatus.OPEN)
        .filter(reports__isnull=True)
        .delete()
    )
    return deleted
