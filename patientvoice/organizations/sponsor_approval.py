"""Texts by sponsor staff wait for a recorded medical and legal approval, in a
sponsor-controlled deployment (``PV_SPONSOR_CONTROLLED``; decisions/0038).

A pharmaceutical company answers for what its people publish: in the EU a text about
its medicines, to the public, is promotion unless it is checked (2001/83/EC art. 88;
LIF's rules and the EFPIA code ask for a named medical signatory). So:

1. **Hold.** :func:`check_sponsor_content`, a text check registered from the app's
   ``ready()``, holds every text whose author works for a sponsor while the setting is
   on, with the reason :data:`APPROVAL_REQUIRED` (the author is told why). Every kind
   of content passes it, since every kind goes through ``core.publishing.publish()``;
   an edit passes again, so a changed text needs a new approval. The held text opens a
   moderation case as every held text does; only site staff see those cases
   (``moderation.permissions``): the approval is theirs to record.
2. **Approve.** :func:`approve_sponsor_content` (site staff, powers active) records who
   approved the text (name and role) and the sponsor's reference, with the SHA-256 of
   the text approved, then publishes it through moderation's "keep" decision (the one
   path that releases held content of every kind, with its counters and hooks).
3. **No way around.** :func:`check_release` refuses "keep" or "restore" of such a text
   without an approval of its present wording: ``moderation.actions.decide`` asks it
   (see the ADR for the line), so the queue's own buttons and its bulk form cannot
   publish it either.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.core import audit
from patientvoice.core.models import ContentStatus
from patientvoice.core.textchecks import (
    REASON_LABELS,
    CheckContext,
    Finding,
    Outcome,
    register_checker,
)
from patientvoice.moderation.errors import InvalidDecision

from .models import SponsorContentApproval
from .permissions import check_administer_organizations
from .promotion import sponsor_controlled
from .sponsorship_queries import sponsor_label_of

if TYPE_CHECKING:
    from patientvoice.accounts.models import User
    from patientvoice.moderation.models import Case

APPROVAL_REQUIRED = SponsorContentApproval.HOLD_CODE
MAX_APPROVER_LENGTH = 200
MAX_REFERENCE_LENGTH = 100

HOLD_MESSAGE = pgettext_lazy(
    "hold reason",
    "You work for a sponsor of this site. Your texts are published when the sponsor's "
    "medical and legal approval of them has been recorded.",
)
FINDING_MESSAGE = pgettext_lazy(
    "text check",
    "You work for a sponsor of this site, so your text is published only after the "
    "sponsor's medical and legal approval has been recorded. Site staff will publish it "
    "then.",
)


def check_sponsor_content(text: str, context: CheckContext) -> list[Finding]:
    """Hold a text by sponsor staff while the deployment is sponsor-controlled. No
    query: the sponsor staff are cached (``sponsorship_queries.sponsor_labels``)."""
    if not sponsor_controlled():
        return []
    author_id = context.extra.get("author_id")
    if author_id is None or sponsor_label_of(author_id) is None:
        return []
    return [Finding(code=APPROVAL_REQUIRED, message=FINDING_MESSAGE, outcome=Outcome.HOLD)]


def register_sponsor_check() -> None:
    """From ``OrganizationsConfig.ready()``: the check and its hold reason."""
    register_checker(check_sponsor_content)
    REASON_LABELS[APPROVAL_REQUIRED] = HOLD_MESSAGE


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def is_approved(content: Any) -> bool:
    """Whether the present wording of ``content`` has a recorded approval (one query)."""
    return SponsorContentApproval.objects.filter(
        content_type=content._meta.label_lower,
        object_id=content.pk,
        body_sha256=text_sha256(content.body),
    ).exists()


def waits_for_approval(content: Any) -> bool:
    """Whether ``content`` is held for a sponsor's approval (no query)."""
    return getattr(content, "status", None) == ContentStatus.HELD and APPROVAL_REQUIRED in (
        getattr(content, "hold_reasons", None) or ()
    )


class ApprovalRequired(InvalidDecision):
    """ "Keep" or "restore" of a text that waits for a sponsor's approval."""

    default_message = pgettext_lazy(
        "moderation",
        "This text was written by someone who works for a sponsor. It is published only "
        "with the record of its medical and legal approval: use the page “Texts waiting "
        "for a sponsor's approval”.",
    )


def check_release(action: str, obj: Any) -> None:
    """For ``moderation.actions.decide``, before a decision acts: raises
    ``InvalidDecision`` (a translated message) when ``action`` would publish ``obj``
    ("keep" or "restore") while it waits for a sponsor's approval that was not
    recorded for its present wording. Nothing to check when the setting is off."""
    if action not in ("keep", "restore") or not sponsor_controlled():
        return
    if obj is None or not waits_for_approval(obj) or is_approved(obj):
        return
    raise ApprovalRequired


def approval_queue(user: Any) -> QuerySet[Case]:
    """Open cases about texts waiting for a sponsor's approval, oldest first, as
    ``user`` may see them (site staff only: ``moderation.permissions``)."""
    from patientvoice.moderation.models import Case, CaseStatus
    from patientvoice.moderation.permissions import visible_cases

    waiting = Case.objects.filter(status=CaseStatus.OPEN, reasons__icontains=APPROVAL_REQUIRED)
    return visible_cases(user, waiting).select_related("author", "community").order_by("opened_at")


class ApprovalError(ValueError):
    """What :func:`approve_sponsor_content` refuses, in the person's language."""

    def __init__(self, message: Any, field: str = "") -> None:
        self.message = message
        self.field = field
        super().__init__(str(message))

    def __str__(self) -> str:
        return str(self.message)


@transaction.atomic
def approve_sponsor_content(
    *, actor: User, case: Case, approver: str, reference: str
) -> SponsorContentApproval:
    """Record the medical and legal approval of the text ``case`` is about, and publish
    it.

    Preconditions: ``actor`` is site staff with their powers active (checked:
    ``PermissionDenied``); the text is held for a sponsor's approval. ``ApprovalError``
    when ``approver`` (who approved: name and role) or ``reference`` (the sponsor's
    approval number) is missing or too long, or the text no longer waits (gone,
    published, edited away from the hold). Other hold reasons of the text (a phone
    number...) are decided with it: staff read it whole on the case page first.

    Effects: a ``SponsorContentApproval`` with the SHA-256 of the text as it is now,
    the author and their sponsor; audited as ``organizations.sponsor_text_approved``;
    then moderation's "keep" decision by ``actor`` publishes the text (audited there
    too; counters, search and notifications follow as for any held text)."""
    from patientvoice.moderation import actions as moderation_actions
    from patientvoice.moderation.models import Action, CaseSource, ReasonCode
    from patientvoice.moderation.registry import get

    check_administer_organizations(actor)
    approver, reference = approver.strip(), reference.strip()
    if not approver or len(approver) > MAX_APPROVER_LENGTH:
        raise ApprovalError(
            pgettext_lazy("sponsor approval", "Write who approved the text, with their role."),
            "approver",
        )
    if not reference or len(reference) > MAX_REFERENCE_LENGTH:
        raise ApprovalError(
            pgettext_lazy("sponsor approval", "Write the sponsor's reference for the approval."),
            "reference",
        )
    registered = get(case.kind)
    content = registered.fetch(case.object_id)
    if content is None or not waits_for_approval(content):
        raise ApprovalError(
            pgettext_lazy(
                "sponsor approval",
                "This text no longer waits for an approval: it was deleted, edited or "
                "decided already.",
            )
        )
    author = registered.author_of(content)
    label = sponsor_label_of(author) if author is not None else None
    approval = SponsorContentApproval.objects.create(
        content_type=content._meta.label_lower,
        object_id=content.pk,
        body_sha256=text_sha256(content.body),
        sponsor_id=label.organization_id if label is not None else None,
        author=author,
        approver=approver,
        reference=reference,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action="organizations.sponsor_text_approved",
        target=content,
        data={
            "approval": approval.pk,
            "approver": approver,
            "reference": reference,
            "sha256": approval.body_sha256,
        },
    )
    open_case = moderation_actions.open_case(
        kind=case.kind,
        obj=content,
        source=CaseSource.PIPELINE,
        reasons=list(content.hold_reasons),
    )
    moderation_actions.decide(
        moderator=actor,
        case=open_case,
        action=Action.KEEP,
        reason_code=ReasonCode.NO_VIOLATION,
        explanation=pgettext(
            "sponsor approval",
            "Published with the sponsor's recorded medical and legal approval "
            "(reference %(reference)s, approved by %(approver)s).",
        )
        % {"reference": reference, "approver": approver},
    )
    return approval
