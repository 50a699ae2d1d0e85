"""Appeals against decisions (DSA art. 20), decided by another moderator."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core import audit

from .. import emails
from ..errors import AppealClosed, AppealNotAllowed, InvalidDecision
from ..models import Appeal, AppealStatus, Decision, Sanction, StatementOfReasons
from ..permissions import check_appeal, check_decide_appeal
from ..registry import get as get_kind
from .cases import _data


@transaction.atomic
def appeal(*, appellant: User, statement: StatementOfReasons, text: str) -> Appeal:
    """``appellant`` appeals the decision ``statement`` told them of.

    Raises ``Http404`` unless they are its recipient; ``AppealNotAllowed`` after the
    deadline (six months) or when it was appealed already; ``InvalidDecision`` for an
    empty or too long text. Effects: an open appeal, in the queue of the moderators of
    the case (not the one who decided); audited. Returns the appeal."""
    check_appeal(appellant, statement)
    text = text.strip()
    if not text or len(text) > Appeal.MAX_TEXT_LENGTH:
        raise InvalidDecision(
            pgettext_lazy(
                "moderation",
                "Tell us why the decision is wrong (%(limit)s characters at most).",
            ),
            limit=Appeal.MAX_TEXT_LENGTH,
        )
    if timezone.now() > statement.appeal_deadline:
        raise AppealNotAllowed(
            pgettext_lazy("moderation", "The time to appeal this decision has passed.")
        )
    if Appeal.objects.filter(statement=statement).exists():
        raise AppealNotAllowed(
            pgettext_lazy("moderation", "You have already appealed this decision.")
        )
    try:
        with transaction.atomic():
            made = Appeal.objects.create(statement=statement, appellant=appellant, text=text)
    except IntegrityError:
        raise AppealNotAllowed(
            pgettext_lazy("moderation", "You have already appealed this decision.")
        ) from None
    case = statement.decision.case
    audit.record(
        actor=appellant,
        action="moderation.appeal",
        target=case,
        data={**_data(case), "statement": statement.reference},
    )
    return made


@transaction.atomic
def decide_appeal(*, moderator: User, appeal: Appeal, outcome: str, reason: str) -> Appeal:
    """``moderator`` decides ``appeal``: ``outcome`` is ``upheld`` (the decision stands)
    or ``reversed``, with ``reason`` (which the member reads).

    Raises ``PermissionDenied`` for the moderator who made the decision and for anyone
    who may not decide its case; ``AppealClosed`` when it was decided already;
    ``InvalidDecision`` for another outcome or no reason. Effects: a reversal undoes
    the restriction through the kind's registry function (the content shown again, the
    redacted text back, the label gone, the thread unlocked or moved back) and lifts the
    decision's sanctions; the appeal records who decided, when and why; the appellant
    is e-mailed the outcome after commit; audited as ``moderation.appeal_upheld`` or
    ``moderation.appeal_reversed``. Returns the appeal."""
    check_decide_appeal(moderator, appeal)
    reason = reason.strip()
    if outcome not in (AppealStatus.UPHELD, AppealStatus.REVERSED):
        raise InvalidDecision(pgettext_lazy("moderation", "Choose whether the decision stands."))
    if not reason:
        raise InvalidDecision(
            pgettext_lazy("moderation", "Explain the outcome: the member will read it.")
        )
    current = (
        Appeal.objects.select_for_update(of=("self",))  # PostgreSQL locks no outer-joined row
        .select_related("statement__decision__case", "appellant")
        .get(pk=appeal.pk)
    )
    if current.status != AppealStatus.OPEN:
        raise AppealClosed
    decision = current.statement.decision
    if outcome == AppealStatus.REVERSED:
        reverse_decision(decision, actor=moderator)
    now = timezone.now()
    current.status = outcome
    current.decided_by = moderator
    current.outcome_reason = reason
    current.decided_at = now
    current.save(
        update_fields=["status", "decided_by", "outcome_reason", "decided_at", "updated_at"]
    )
    audit.record(
        actor=moderator,
        action=f"moderation.appeal_{outcome}",
        target=decision.case,
        reason=reason,
        data={**_data(decision.case), "statement": current.statement.reference},
    )
    emails.send_appeal_outcome(current, current.appellant)
    return current


def reverse_decision(decision: Decision, *, actor: User | None) -> None:
    """Undo what ``decision`` restricted (the kind's ``undo``) and lift its sanctions."""
    case = decision.case
    registered = get_kind(case.kind)
    if decision.action in registered.actions:
        obj = registered.fetch(case.object_id)
        if obj is not None:
            registered.undo(obj, decision, actor)
    now = timezone.now()
    Sanction.objects.filter(decision=decision, lifted_at__isnull=True).update(
        lifted_at=now, updated_at=now
    )
