"""Every write of the provider's voice (issue 5, items 5-6; decisions/0032): claims
and their decisions, replies through the publishing pipeline, the reviewer's "this
reply helped" and "a change was made", and disputes as moderation cases.

Refusals are typed errors with translated messages and an HTTP ``status``
(:mod:`patientvoice.reviews.errors`); views and the API keep what was typed.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import has_mfa
from patientvoice.core import audit
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import PublishResult, publish, run_after_publish
from patientvoice.core.tasks import send_email
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.models import (
    Action,
    CaseSource,
    Decision,
    ReasonCode,
    ReportReason,
    Severity,
)
from patientvoice.moderation.permissions import check_decide, check_may_post
from patientvoice.notifications.notices import forget_unread_notices
from patientvoice.notifications.tokens import verified_address

from .errors import (
    ClaimDecided,
    ClaimError,
    ClaimExists,
    ClaimNeedsMfa,
    ClaimNotApproved,
    DisputeClosed,
    DisputeExists,
    ReplyExists,
    ReviewError,
)
from .models import (
    ClaimStatus,
    DisputeReason,
    DisputeStatus,
    NoticeKind,
    ProviderClaim,
    Review,
    ReviewDispute,
    ReviewNotice,
    ReviewReply,
    ReviewReplyRevision,
)
from .provider_permissions import (
    check_decide_claims,
    check_dispute,
    check_edit_reply,
    check_reply,
    check_reviewer,
    entry_filter,
)

REPLY_LABEL = "reviews.reviewreply"
# The case reason a dispute adds (shown in the queue through core's hold-reason labels).
DISPUTE_REASON = "review.dispute"
# How a dispute's reason reads to moderation (the report's reason; the dispute's own
# reason and text are in the report's explanation).
REPORT_REASON_OF: dict[str, str] = {
    DisputeReason.NOT_A_PATIENT: ReportReason.OTHER,
    DisputeReason.NAMES_STAFF: ReportReason.PERSONAL_INFORMATION,
    DisputeReason.FACTUALLY_WRONG: ReportReason.OTHER,
    DisputeReason.OFFENSIVE: ReportReason.HARASSMENT,
    DisputeReason.OTHER: ReportReason.OTHER,
}


def _notify(recipient: User | None, kind: str, *, text: str = "", **refs: Any) -> None:
    """An in-app notice; the header's count is forgotten after commit."""
    if recipient is None or not recipient.is_active:
        return
    notice = ReviewNotice.objects.create(recipient=recipient, kind=kind, text=text, **refs)
    forget_unread_notices(recipient.pk)
    _email(recipient, notice)


def _email(recipient: User, notice: ReviewNotice) -> None:
    """The notice by e-mail too, in the person's language, to a verified primary
    address only and never while their erasure is pending (as moderation's e-mails)."""
    if recipient.erasure_requested_at is not None:
        return
    address = verified_address(recipient)
    if address is None:
        return
    with translation.override(recipient.preferred_language):
        subject = pgettext("review notice e-mail", "PatientVoice: %(what)s") % {
            "what": str(NoticeKind(notice.kind).label)
        }
        url = settings.SITE_URL + reverse("reviews:notices")
        lines = [
            pgettext("review notice e-mail", "Hello %(handle)s,") % {"handle": recipient.handle},
            "",
            str(NoticeKind(notice.kind).label) + ".",
        ]
        if notice.text:
            lines += ["", notice.text]
        lines += ["", pgettext("review notice e-mail", "Read more: %(url)s") % {"url": url}]
    transaction.on_commit(
        partial(
            send_email.enqueue,
            subject=subject,
            body="\n".join(lines) + "\n",
            to=[address],
            from_email=settings.DEFAULT_FROM_EMAIL,
        )
    )


@transaction.atomic
def mark_notices_read(*, user: User) -> int:
    """Every unread review notice of ``user`` is read now. Returns how many."""
    count = ReviewNotice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread_notices(user.pk)
    return count


# --- claims -------------------------------------------------------------------------------


@transaction.atomic
def request_claim(*, user: User, entry: Any, role: str, evidence: str = "") -> ProviderClaim:
    """``user`` asks to speak for ``entry`` (a ``Physician``: they are that physician;
    a ``Clinic``: they represent it), saying their ``role`` and how staff can check it.

    Refuses: ``Http404`` for a medicine or an inactive entry, ``MemberSanctioned``,
    ``ClaimNeedsMfa`` for a physician's claim without two-step verification on the
    account (until issue 6's verified professionals), ``ClaimError`` for a missing or
    too long role or evidence, ``ClaimExists`` while they have a pending or approved
    claim on it. Effects: a pending claim, listed for staff; audited."""
    where = entry_filter(entry)
    if not entry.is_active:
        raise Http404
    check_may_post(user, None)
    role, evidence = role.strip(), evidence.strip()
    if not role or len(role) > ProviderClaim.MAX_ROLE_LENGTH:
        raise ClaimError(
            pgettext_lazy("claim error", "Say your role in %(limit)s characters at most."),
            limit=ProviderClaim.MAX_ROLE_LENGTH,
        )
    if len(evidence) > ProviderClaim.MAX_EVIDENCE_LENGTH:
        raise ClaimError(
            pgettext_lazy("claim error", "Please keep it under %(limit)s characters."),
            limit=ProviderClaim.MAX_EVIDENCE_LENGTH,
        )
    if "physician" in where and not has_mfa(user):
        raise ClaimNeedsMfa
    live = ProviderClaim.objects.filter(
        user=user, status__in=[ClaimStatus.PENDING, ClaimStatus.APPROVED], **where
    )
    if live.exists():
        raise ClaimExists
    try:
        with transaction.atomic():
            claim = ProviderClaim.objects.create(user=user, role=role, evidence=evidence, **where)
    except IntegrityError:  # the same request twice at once
        raise ClaimExists from None
    audit.record(
        actor=user,
        action="reviews.claim_requested",
        target=claim,
        data={"entry": entry.slug, "kind": claim.kind},
    )
    return claim


def _locked_pending(claim: ProviderClaim) -> ProviderClaim:
    current = ProviderClaim.objects.select_for_update().get(pk=claim.pk)
    if current.status != ClaimStatus.PENDING:
        raise ClaimDecided
    return current


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > ProviderClaim.MAX_REASON_LENGTH:
        raise ClaimError(
            pgettext_lazy(
                "claim error",
                "Give the reason (%(limit)s characters at most): the member will read it.",
            ),
            limit=ProviderClaim.MAX_REASON_LENGTH,
        )
    return reason


@transaction.atomic
def decide_claim(*, staff: User, claim: ProviderClaim, approve: bool, reason: str) -> ProviderClaim:
    """Site staff approve or reject a pending claim, with a ``reason`` the claimant reads.

    Refuses: ``PermissionDenied`` unless ``staff`` is acting site staff with a second
    factor, ``ClaimError`` without a reason, ``ClaimDecided`` when it is not pending.
    Effects: the claim's status, who and when; audited (``reviews.claim_approved`` or
    ``reviews.claim_rejected``, with the reason); the claimant gets an in-app notice.
    From then on an approved claimant may reply to and dispute the entry's reviews and
    may not review it (``permissions.known_conflict``)."""
    check_decide_claims(staff)
    reason = _reason(reason)
    current = _locked_pending(claim)
    current.status = ClaimStatus.APPROVED if approve else ClaimStatus.REJECTED
    current.decided_by = staff
    current.decided_at = timezone.now()
    current.reason = reason
    current.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    audit.record(
        actor=staff,
        action=f"reviews.claim_{current.status}",
        target=current,
        reason=reason,
        data={"kind": current.kind, "claimant": str(current.user.public_id)},
    )
    _notify(
        current.user,
        NoticeKind.CLAIM_APPROVED if approve else NoticeKind.CLAIM_REJECTED,
        text=reason,
        claim=current,
    )
    return current


@transaction.atomic
def revoke_claim(*, staff: User, claim: ProviderClaim, reason: str) -> ProviderClaim:
    """Site staff take an approved claim back (the person left the clinic, the claim
    was wrong), with a ``reason`` the member reads.

    Refuses: ``PermissionDenied`` unless ``staff`` is acting site staff with a second
    factor, ``ClaimError`` without a reason, ``ClaimNotApproved`` unless the claim is
    approved now. Effects: the claim is revoked (who, when, why; audited as
    ``reviews.claim_revoked`` with the reason and how many replies it touched); the
    member gets a review notice. Their replies stay published as written, but are no
    longer shown as the page's official voice (``ReviewReply.voice_ended_at``); they can
    no longer reply or dispute, and may review the entry again (no known conflict).
    Their open disputes stay with the moderators."""
    check_decide_claims(staff)
    reason = _reason(reason)
    current = ProviderClaim.objects.select_for_update().get(pk=claim.pk)
    if current.status != ClaimStatus.APPROVED:
        raise ClaimNotApproved
    now = timezone.now()
    current.status = ClaimStatus.REVOKED
    current.decided_by = staff
    current.decided_at = now
    current.reason = reason
    current.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    # updated_at moves too: the review cards are remembered by the reply's state.
    replies = ReviewReply.objects.filter(claim=current, voice_ended_at__isnull=True).update(
        voice_ended_at=now, updated_at=now
    )
    audit.record(
        actor=staff,
        action="reviews.claim_revoked",
        target=current,
        reason=reason,
        data={
            "kind": current.kind,
            "claimant": str(current.user.public_id),
            "replies": replies,
        },
    )
    _notify(current.user, NoticeKind.CLAIM_REVOKED, text=reason, claim=current)
    return current


# --- replies ------------------------------------------------------------------------------


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise ReviewError(pgettext_lazy("reply error", "Write your reply."))
    if len(body) > ReviewReply.MAX_BODY_LENGTH:
        raise ReviewError(
            pgettext_lazy("reply error", "Please keep your reply under %(limit)s characters."),
            limit=ReviewReply.MAX_BODY_LENGTH,
        )
    return body


def _tell_reviewer(reply: ReviewReply) -> None:
    """The reviewer hears of a reply once, when it is first published."""
    review = reply.review
    if review.author is not None and review.author_id != reply.author_id:
        _notify(review.author, NoticeKind.REPLY, review=review)


@transaction.atomic
def reply_to_review(
    *, author: User, review: Review, body: str, language: str = "sv"
) -> PublishResult:
    """A claimed provider's public reply to ``review`` (one per review).

    Refuses: ``PermissionDenied`` for a visitor, ``Http404`` for a review that is not
    published, ``NotAProvider`` without an approved claim on the reviewed physician or
    clinic, ``MemberSanctioned``, ``ReplyExists`` when the review has a reply,
    ``ReviewError`` for an empty or too long text. Effects: the reply goes through the
    publishing pipeline (held like any content when a text check holds it); once
    published, the reviewer gets an in-app notice."""
    claim = check_reply(author, review)
    check_may_post(author, None)
    body = _check_body(body)
    if ReviewReply.objects.filter(review=review).exists():
        raise ReplyExists
    reply = ReviewReply(
        review=review,
        claim=claim,
        author=author,
        author_role=claim.role,
        body=body,
        language=language,
    )
    try:
        with transaction.atomic():
            result = publish(reply)
    except IntegrityError:
        raise ReplyExists from None
    if result.published:
        _tell_reviewer(reply)
    return result


@transaction.atomic
def edit_reply(*, editor: User, reply: ReviewReply, body: str) -> PublishResult:
    """The reply's author changes its text (while their claim is approved and the reply
    is not hidden); the previous text is kept as a revision and the reply goes through
    the pipeline again, under the claim that stands now (a reply written under a
    revoked claim speaks for the page again). The same text again changes nothing."""
    claim = check_edit_reply(editor, reply)
    check_may_post(editor, None)
    body = _check_body(body)
    if body == reply.body:
        return PublishResult(content=reply)
    ReviewReplyRevision.objects.create(reply=reply, body=reply.body)
    was_published = reply.published_at is not None
    reply.body = body
    reply.edited_at = timezone.now()
    # Written again under the claim that stands now (after a revoked one, a new one).
    reply.claim = claim
    reply.author_role = claim.role
    reply.voice_ended_at = None
    result = publish(reply)
    if result.published and not was_published:
        _tell_reviewer(reply)
    return result


@transaction.atomic
def mark_reply_helped(*, reviewer: User, reply: ReviewReply, helped: bool = True) -> ReviewReply:
    """The reviewer says the reply helped (``helped=False`` takes it back)."""
    check_reviewer(reviewer, reply)
    if helped == (reply.helped_at is not None):
        return reply
    reply.helped_at = timezone.now() if helped else None
    reply.save(update_fields=["helped_at", "updated_at"])
    return reply


@transaction.atomic
def mark_change_made(
    *, reviewer: User, reply: ReviewReply, made: bool = True, note: str = ""
) -> ReviewReply:
    """The reviewer confirms that a change was made (shown publicly with the review),
    with an optional short ``note`` of what changed (plain text, escaped when shown);
    ``made=False`` takes it back and clears the note."""
    check_reviewer(reviewer, reply)
    note = " ".join(note.split())
    if len(note) > ReviewReply.MAX_CHANGE_NOTE_LENGTH:
        raise ReviewError(
            pgettext_lazy("reply error", "Please say what changed in %(limit)s characters."),
            limit=ReviewReply.MAX_CHANGE_NOTE_LENGTH,
        )
    if made:
        reply.change_made_at = reply.change_made_at or timezone.now()
        reply.change_note = note
    else:
        reply.change_made_at = None
        reply.change_note = ""
    reply.save(update_fields=["change_made_at", "change_note", "updated_at"])
    return reply


@transaction.atomic
def set_reply_status(reply: ReviewReply, status: str) -> bool:
    """A moderator's change (through the moderation kind "review_reply"): hidden,
    removed, or published (restored, or a held reply kept). A reply published for the
    first time tells the reviewer and runs the after-publish hooks."""
    if reply.status == status:
        return False
    first_publication = status == ContentStatus.PUBLISHED and reply.published_at is None
    reply.status = status
    fields = ["status", "updated_at"]
    if status == ContentStatus.PUBLISHED:
        reply.hold_reasons = []
        fields.append("hold_reasons")
        if first_publication:
            reply.published_at = timezone.now()
            fields.append("published_at")
    reply.save(update_fields=fields)
    if first_publication:
        _tell_reviewer(reply)
    if status == ContentStatus.PUBLISHED:
        transaction.on_commit(partial(run_after_publish.enqueue, REPLY_LABEL, reply.pk))
    return True


# --- disputes -----------------------------------------------------------------------------


def _explanation(reason: str, text: str) -> str:
    """What moderators read in the report: the dispute's reason and the provider's text."""
    label = str(DisputeReason(reason).label)
    heading = pgettext("dispute report", "Dispute by the provider: %(reason)s") % {"reason": label}
    return f"{heading}\n\n{text}".strip()


@transaction.atomic
def dispute_review(*, provider: User, review: Review, reason: str, text: str = "") -> ReviewDispute:
    """A claimed provider disputes ``review`` with a ``reason`` (``DisputeReason``; "other"
    needs a ``text``).

    Refuses like a reply (``Http404``, ``NotAProvider``), ``ReviewError`` for a missing
    reason or explanation, ``DisputeExists`` while their earlier dispute of it is open,
    and moderation's ``FlagLimit``. Effects: the dispute is the provider's report in
    the review's moderation case (opened, or joined, in the site-wide queue with the
    reason "dispute by the provider"); moderators decide it with the normal flow. The
    review stays as it is: a dispute never hides anything by itself."""
    claim = check_dispute(provider, review)
    text = text.strip()
    if reason not in DisputeReason.values:
        raise ReviewError(pgettext_lazy("dispute error", "Choose why you dispute the review."))
    if reason == DisputeReason.OTHER and not text:
        raise ReviewError(pgettext_lazy("dispute error", "Tell us what is wrong with it."))
    if len(text) > ReviewDispute.MAX_TEXT_LENGTH:
        raise ReviewError(
            pgettext_lazy("dispute error", "Please keep it under %(limit)s characters."),
            limit=ReviewDispute.MAX_TEXT_LENGTH,
        )
    if ReviewDispute.objects.filter(
        review=review, provider=provider, status=DisputeStatus.OPEN
    ).exists():
        raise DisputeExists
    moderation_actions.open_case(
        kind="review",
        obj=review,
        source=CaseSource.FLAG,
        severity=Severity.MEDIUM,
        reasons=[DISPUTE_REASON],
    )
    report = moderation_actions.flag(
        reporter=provider,
        kind="review",
        obj=review,
        reason=REPORT_REASON_OF[reason],
        explanation=_explanation(reason, text)[:4000],
    )
    try:
        with transaction.atomic():
            return ReviewDispute.objects.create(
                review=review,
                provider=provider,
                claim=claim,
                reason=reason,
                text=text,
                case=report.case,
                report=report,
            )
    except IntegrityError:
        raise DisputeExists from None


def _open_dispute(dispute: ReviewDispute) -> ReviewDispute:
    current = ReviewDispute.objects.select_for_update().get(pk=dispute.pk)
    if current.status != DisputeStatus.OPEN or not current.case.is_open:
        raise DisputeClosed
    return current


@transaction.atomic
def ask_reviewer_for_context(
    *, moderator: User, dispute: ReviewDispute, question: str
) -> ReviewDispute:
    """A moderator who may decide the dispute's case asks the reviewer for context.
    ``PermissionDenied`` otherwise; ``DisputeClosed`` once decided; ``ReviewError`` for
    an empty question. Effects: the question is stored (a new one replaces an
    unanswered one), the reviewer gets an in-app notice with a link to answer;
    audited."""
    check_decide(moderator, dispute.case)
    current = _open_dispute(dispute)
    question = question.strip()
    if not question or len(question) > ReviewDispute.MAX_TEXT_LENGTH:
        raise ReviewError(
            pgettext_lazy("dispute error", "Write your question (%(limit)s characters at most)."),
            limit=ReviewDispute.MAX_TEXT_LENGTH,
        )
    current.context_question = question
    current.context_requested_at = timezone.now()
    current.context_requested_by = moderator
    current.context_answer = ""
    current.context_answered_at = None
    current.save(
        update_fields=[
            "context_question",
            "context_requested_at",
            "context_requested_by",
            "context_answer",
            "context_answered_at",
            "updated_at",
        ]
    )
    audit.record(
        actor=moderator,
        action="reviews.dispute_context_requested",
        target=current.case,
        data={"dispute": str(current.public_id), "case": str(current.case.public_id)},
    )
    _notify(
        current.review.author,
        NoticeKind.CONTEXT_REQUESTED,
        text=question,
        review=current.review,
        dispute=current,
    )
    return current


@transaction.atomic
def answer_dispute_context(*, reviewer: User, dispute: ReviewDispute, answer: str) -> ReviewDispute:
    """The reviewer answers the moderator's question. ``Http404`` for anyone else or
    when nothing was asked; ``DisputeClosed`` once decided; ``ReviewError`` for an empty
    answer. Effects: the answer is attached to the case (shown to its moderators on the
    case page)."""
    if dispute.review.author_id != getattr(reviewer, "pk", None):
        raise Http404
    if dispute.context_requested_at is None:
        raise Http404
    current = _open_dispute(dispute)
    answer = answer.strip()
    if not answer or len(answer) > ReviewDispute.MAX_TEXT_LENGTH:
        raise ReviewError(
            pgettext_lazy("dispute error", "Write your answer (%(limit)s characters at most)."),
            limit=ReviewDispute.MAX_TEXT_LENGTH,
        )
    current.context_answer = answer
    current.context_answered_at = timezone.now()
    current.save(update_fields=["context_answer", "context_answered_at", "updated_at"])
    return current


def _outcome_text(decision: Decision, language: str) -> str:
    """The decision as the provider and the reviewer read it: what was done, on which
    ground, and the moderator's explanation (the facts of a statement of reasons)."""
    with translation.override(language):
        if decision.action in (Action.KEEP, Action.RESTORE):
            what = pgettext("dispute outcome", "The review stays as it is.")
        elif decision.action in (Action.HIDE, Action.REMOVE, Action.REDACT, Action.LABEL):
            what = pgettext("dispute outcome", "Moderators decided: %(action)s.") % {
                "action": str(Action(decision.action).label).lower()
            }
        else:
            what = pgettext(
                "dispute outcome", "The review stays; moderators decided: %(action)s."
            ) % {"action": str(Action(decision.action).label).lower()}
        ground = pgettext("dispute outcome", "Why: %(ground)s.") % {
            "ground": str(ReasonCode(decision.reason_code).label)
        }
        return "\n".join([what, ground, decision.explanation])


def settle_disputes(decision: Decision) -> int:
    """Moderation's decision listener (after commit): the open disputes of a decided
    review case are closed with the decision, and the provider and the reviewer each
    get the outcome in their language. (A restriction of the review also sends the
    reviewer moderation's statement of reasons, with the appeal route.) Idempotent."""
    if decision.case.kind != "review":
        return 0
    count = 0
    with transaction.atomic():
        disputes = ReviewDispute.objects.select_for_update(of=("self",)).filter(
            case_id=decision.case_id, status=DisputeStatus.OPEN
        )
        for dispute in disputes.select_related("review__author", "provider"):
            dispute.status = DisputeStatus.DECIDED
            dispute.decision = decision
            dispute.decided_at = decision.created_at
            dispute.save(update_fields=["status", "decision", "decided_at", "updated_at"])
            for person in {dispute.provider, dispute.review.author}:
                if person is not None:
                    _notify(
                        person,
                        NoticeKind.DISPUTE_DECIDED,
                        text=_outcome_text(decision, person.preferred_language),
                        review=dispute.review,
                        dispute=dispute,
                    )
            count += 1
    return count
