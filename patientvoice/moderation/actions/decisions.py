"""Deciding a case: the action, its record, the statement of reasons, the e-mails."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.communities.models import Community
from patientvoice.communities.permissions import is_site_staff
from patientvoice.core import audit
from patientvoice.organizations.sponsor_approval import check_release

from .. import emails, statements
from ..errors import ContentGone, InvalidDecision
from ..models import (
    PERSON_ACTIONS,
    RESTRICTIONS,
    Action,
    Case,
    CaseStatus,
    Decision,
    ReasonCode,
    Sanction,
    SanctionKind,
    StatementOfReasons,
)
from ..permissions import check_decide
from ..queries import forget_unread_statements
from ..registry import ModerationKind, decision_listeners, escalation_handlers
from ..registry import get as get_kind
from .cases import _data, _locked_open

# The visible mark a redaction leaves where personal data was (in either language).
REDACTION_MARK = pgettext_lazy("moderation", "[removed by moderators]")
# Actions every kind takes: they do not touch the content (or only publish held content).
GENERAL_ACTIONS = frozenset(
    {Action.KEEP, Action.ESCALATE_EXPERT, Action.ESCALATE_SAFETY, *PERSON_ACTIONS}
)
SANCTION_OF: dict[str, str] = {
    Action.WARN: SanctionKind.WARNING,
    Action.SUSPEND: SanctionKind.SUSPENSION,
    Action.BAN: SanctionKind.BAN,
}


def redaction_marks() -> set[str]:
    marks = {"[removed by moderators]"}
    for language in ("sv", "en"):
        with translation.override(language):
            marks.add(str(REDACTION_MARK))
    return marks


def _validate(
    *,
    registered: ModerationKind,
    action: str,
    reason_code: str,
    explanation: str,
    suspension_until: datetime | None,
    label_text: str,
    text: str,
    move_to: Community | None,
) -> None:
    if action not in Action.values:
        raise InvalidDecision(pgettext_lazy("moderation", "Choose what to do."))
    if action not in GENERAL_ACTIONS and action not in registered.actions:
        raise InvalidDecision(
            pgettext_lazy("moderation", "This action cannot be used on this kind of content.")
        )
    if reason_code not in ReasonCode.values:
        raise InvalidDecision(pgettext_lazy("moderation", "Choose the rule the decision rests on."))
    if not explanation:
        raise InvalidDecision(
            pgettext_lazy("moderation", "Explain the decision: the member will read it.")
        )
    if len(explanation) > Decision.MAX_EXPLANATION_LENGTH:
        raise InvalidDecision(
            pgettext_lazy("moderation", "Please keep the explanation under %(limit)s characters."),
            limit=Decision.MAX_EXPLANATION_LENGTH,
        )
    if action == Action.SUSPEND and (
        suspension_until is None or suspension_until <= timezone.now()
    ):
        raise InvalidDecision(pgettext_lazy("moderation", "Choose when the suspension ends."))
    if action == Action.LABEL and not (0 < len(label_text) <= 200):
        raise InvalidDecision(
            pgettext_lazy("moderation", "Write the label (200 characters at most).")
        )
    if action == Action.REDACT and not any(mark in text for mark in redaction_marks()):
        raise InvalidDecision(
            pgettext_lazy(
                "moderation",
                "Replace what you edit out with “[removed by moderators]”, so readers see "
                "that something was removed.",
            )
        )
    if action == Action.MOVE and move_to is None:
        raise InvalidDecision(pgettext_lazy("moderation", "Choose where to move the discussion."))


@transaction.atomic
def decide(
    *,
    moderator: User | None,
    case: Case,
    action: str,
    reason_code: str,
    explanation: str,
    automated: bool = False,
    suspension_until: datetime | None = None,
    label_text: str = "",
    text: str = "",
    move_to: Community | None = None,
    site_wide: bool = False,
) -> Decision:
    """Decide ``case``: do ``action`` on the grounds of ``reason_code``, explained by
    ``explanation`` (which the member reads).

    Preconditions: ``moderator`` may decide the case (``permissions.check_decide``:
    ``PermissionDenied`` otherwise), or is ``None`` with ``automated=True`` (the system).
    Per action: ``suspend`` needs ``suspension_until`` in the future, ``label`` a
    ``label_text``, ``redact`` the new ``text`` with "[removed by moderators]" where
    something was cut, ``move`` the community ``move_to`` (which the moderator may move
    it to). ``warn``, ``suspend`` and ``ban`` act on the content's author, in the case's
    community, or everywhere for a site-queue case or, for acting site staff, with
    ``site_wide``. Raises ``InvalidDecision`` for what is missing, ``CaseClosed`` when the
    case is decided already, ``ContentGone`` when the content (or the person) to act on
    no longer exists; ``merge`` raises ``NotImplementedError`` (not built yet).

    Effects: the kind's registry function applies the action (``keep`` publishes held
    content); a ``Sanction`` for a person action; an append-only ``Decision``; the case
    is closed. Every restriction (not keep, restore or escalation) gets a
    ``StatementOfReasons`` to the author, shown on the site and e-mailed after commit;
    senders of notices about the item are e-mailed the outcome; audited as
    ``moderation.<action>``; escalations are handed to the apps registered for them
    after commit. Returns the decision."""
    if moderator is None and not automated:
        raise InvalidDecision
    if moderator is not None:
        check_decide(moderator, case)
    explanation = explanation.strip()
    label_text = label_text.strip()
    current = _locked_open(case)
    registered = get_kind(current.kind)
    _validate(
        registered=registered,
        action=action,
        reason_code=reason_code,
        explanation=explanation,
        suspension_until=suspension_until,
        label_text=label_text,
        text=text,
        move_to=move_to,
    )
    if site_wide and not is_site_staff(moderator):
        raise PermissionDenied
    # Outside a community a warning, suspension or ban counts everywhere: site staff only
    # (an organisation's staff decide about its campaign's submissions only).
    outside_community = current.community_id is None and not automated
    if action in PERSON_ACTIONS and outside_community and not is_site_staff(moderator):
        raise PermissionDenied(
            pgettext(
                "moderation",
                "Only site staff can warn, suspend or ban someone for this item: it "
                "belongs to no community. Hide or remove the item, or send it to "
                "site staff.",
            )
        )
    obj = registered.fetch(current.object_id)
    # A sponsor's text waiting for its medical and legal approval is never published
    # by "keep" or "restore" (decisions/0038).
    check_release(action, obj)
    touches_content = action in registered.actions
    if obj is None and touches_content:
        raise ContentGone
    author: User | None = registered.author_of(obj) if obj is not None else current.author
    if action in PERSON_ACTIONS and author is None:
        raise ContentGone
    details: dict[str, Any] = registered.state_of(obj) if obj is not None else {}
    if action == Action.MOVE and move_to is not None:
        details["move_to"] = move_to.pk
    now = timezone.now()
    decision = Decision.objects.create(
        case=current,
        moderator=moderator,
        action=action,
        reason_code=reason_code,
        explanation=explanation,
        automated=automated,
        suspension_until=suspension_until if action == Action.SUSPEND else None,
        label_text=label_text if action == Action.LABEL else "",
        details=details,
        created_at=now,
    )
    if obj is not None and (touches_content or action == Action.KEEP):
        registered.apply(obj, action, decision, text)
    sanction_community = current.community
    if action in PERSON_ACTIONS and author is not None:
        if site_wide:
            sanction_community = None
        Sanction.objects.create(
            user=author,
            kind=SANCTION_OF[action],
            community=sanction_community,
            until=decision.suspension_until,
            decision=decision,
        )
    Case.objects.filter(pk=current.pk).update(
        status=CaseStatus.DECIDED, decided_at=now, updated_at=now
    )
    current.status, current.decided_at = CaseStatus.DECIDED, now
    decision.case = current
    statement = None
    if action in RESTRICTIONS and author is not None:
        statement = _make_statement(
            decision,
            registered=registered,
            recipient=author,
            excerpt=registered.excerpt_of(obj) if obj is not None else current.excerpt,
            community=sanction_community if action in PERSON_ACTIONS else current.community,
        )
    for report in current.reports.filter(is_notice=True).exclude(reporter_email=""):
        emails.send_notice_outcome(report, decision)
    audit.record(
        actor=moderator,
        action=f"moderation.{action}",
        target=obj if obj is not None else current,
        reason=explanation,
        data={
            **_data(current),
            "decision": str(decision.public_id),
            "reason_code": reason_code,
            "automated": automated,
            "statement": statement.reference if statement is not None else "",
        },
    )
    for handler in escalation_handlers(action):
        transaction.on_commit(partial(handler, decision))
    for listener in decision_listeners():
        # Another app's follow-up must not turn a committed decision into an error page.
        transaction.on_commit(partial(listener, decision), robust=True)
    return decision


def _make_statement(
    decision: Decision,
    *,
    registered: ModerationKind,
    recipient: User,
    excerpt: str,
    community: Community | None,
) -> StatementOfReasons:
    fields = statements.compose(
        decision,
        registered=registered,
        excerpt=excerpt,
        community_name=community.name if community is not None else "",
        language=recipient.preferred_language,
    )
    statement = StatementOfReasons.objects.create(
        decision=decision, recipient=recipient, created_at=decision.created_at, **fields
    )
    emails.send_statement(statement, recipient)
    recipient_id = recipient.pk
    transaction.on_commit(lambda: forget_unread_statements(recipient_id))
    return statement
