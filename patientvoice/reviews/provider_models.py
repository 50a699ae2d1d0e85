"""The provider's voice: claims on a physician's or clinic's page, public replies to
reviews, disputes and the notices about them (issue 5, items 5-6; decisions/0032).
Kept apart from :mod:`patientvoice.reviews.models`, which re-exports these models."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import Content, PublicIdModel
from patientvoice.directory.models import Clinic, Physician

from .models import Kind, Review, ReviewRevisionQuerySet


class ClaimStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("claim status", "Waiting for staff")
    APPROVED = "approved", pgettext_lazy("claim status", "Approved")
    REJECTED = "rejected", pgettext_lazy("claim status", "Rejected")
    REVOKED = "revoked", pgettext_lazy("claim status", "Revoked")


# A claim that counts (blocks a second request, and an approved one gives a voice).
LIVE_CLAIM_STATUSES = (ClaimStatus.PENDING, ClaimStatus.APPROVED)


class ProviderClaim(PublicIdModel):
    """A member's request to speak for a physician (they are that physician) or a
    clinic (they represent it). Site staff approve or reject it with a reason; an
    approved claim lets the member reply to and dispute reviews of the entry, and
    stops them reviewing it (``permissions.known_conflict``)."""

    MAX_ROLE_LENGTH = 120
    MAX_EVIDENCE_LENGTH = 2_000
    MAX_REASON_LENGTH = 2_000

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provider_claims"
    )
    physician = models.ForeignKey(
        Physician, on_delete=models.CASCADE, null=True, blank=True, related_name="claims"
    )
    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, null=True, blank=True, related_name="claims"
    )
    role = models.CharField(pgettext_lazy("claim field", "your role"), max_length=MAX_ROLE_LENGTH)
    evidence = models.TextField(
        pgettext_lazy("claim field", "how we can check it"),
        max_length=MAX_EVIDENCE_LENGTH,
        blank=True,
    )
    status = models.CharField(
        max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(
        pgettext_lazy("claim field", "reason"), max_length=MAX_REASON_LENGTH, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "provider claim")
        verbose_name_plural = pgettext_lazy("model", "provider claims")
        indexes = [
            models.Index(fields=["status", "created_at"], name="claim_queue"),
            models.Index(fields=["physician", "status"], name="claim_physician"),
            models.Index(fields=["clinic", "status"], name="claim_clinic"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(physician__isnull=False, clinic__isnull=True)
                | Q(physician__isnull=True, clinic__isnull=False),
                name="claim_one_entry",
            ),
            models.CheckConstraint(
                condition=Q(status=ClaimStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=ClaimStatus.PENDING) & Q(decided_at__isnull=False)),
                name="claim_decided_at_with_status",
            ),
            models.CheckConstraint(condition=~Q(role=""), name="claim_role_given"),
            models.UniqueConstraint(
                fields=["user", "physician"],
                condition=Q(physician__isnull=False, status__in=LIVE_CLAIM_STATUSES),
                name="claim_one_live_per_physician",
            ),
            models.UniqueConstraint(
                fields=["user", "clinic"],
                condition=Q(clinic__isnull=False, status__in=LIVE_CLAIM_STATUSES),
                name="claim_one_live_per_clinic",
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.public_id} ({self.status})"

    @property
    def kind(self) -> str:
        return Kind.PHYSICIAN if self.physician_id else Kind.CLINIC

    @property
    def entry(self) -> Any:
        return self.physician if self.physician_id else self.clinic

    @property
    def is_approved(self) -> bool:
        return self.status == ClaimStatus.APPROVED


class ReviewReply(Content):
    """A claimed provider's public answer to a review: one per review, editable (each
    earlier text kept as a :class:`ReviewReplyRevision`), through the publishing
    pipeline. The reviewer may say the reply helped and that a change was made. When
    the claim is revoked the reply stays, no longer marked as the page's voice."""

    MAX_BODY_LENGTH: ClassVar[int] = 3_000
    MAX_CHANGE_NOTE_LENGTH = 280

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="reply")
    claim = models.ForeignKey(
        ProviderClaim, on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    # The replier's role when they wrote it ("Verksamhetschef"), shown with the reply.
    author_role = models.CharField(max_length=ProviderClaim.MAX_ROLE_LENGTH, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When staff revoked the claim it was written under: the reply stays published, as
    # written, but is no longer shown as the page's official voice (decisions/0032).
    # Cleared when its author edits it under a new approved claim.
    voice_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The reviewer's answers (each once; taken back by clearing).
    helped_at = models.DateTimeField(null=True, blank=True, editable=False)
    change_made_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Plain text, escaped when shown (not Markdown): what the reviewer says changed.
    change_note = models.CharField(
        pgettext_lazy("reply field", "what changed"), max_length=MAX_CHANGE_NOTE_LENGTH, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "provider reply")
        verbose_name_plural = pgettext_lazy("model", "provider replies")
        constraints = [
            models.CheckConstraint(
                condition=Q(change_made_at__isnull=False) | Q(change_note=""),
                name="reply_change_note_only_with_change",
            ),
        ]

    def __str__(self) -> str:
        return f"reply {self.public_id} to review {self.review_id}"

    @property
    def anchor(self) -> str:
        return f"reply-{self.public_id}"

    @property
    def speaks_for_entry(self) -> bool:
        """Whether the reply is shown as the page's official voice (its claim stands)."""
        return self.voice_ended_at is None


class ReviewReplyRevision(models.Model):
    """What a reply said before an edit (append-only, one timestamp: decisions/0017)."""

    reply = models.ForeignKey(ReviewReply, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ReviewRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "provider reply revision")
        verbose_name_plural = pgettext_lazy("model", "provider reply revisions")

    def __str__(self) -> str:
        return f"revision of reply {self.reply_id}"


class DisputeReason(models.TextChoices):
    NOT_A_PATIENT = (
        "not_a_patient",
        pgettext_lazy("dispute reason", "The reviewer was not a patient or customer of ours"),
    )
    NAMES_STAFF = "names_staff", pgettext_lazy("dispute reason", "It names other staff")
    FACTUALLY_WRONG = "factually_wrong", pgettext_lazy("dispute reason", "It is factually wrong")
    OFFENSIVE = "offensive", pgettext_lazy("dispute reason", "It is offensive")
    OTHER = "other", pgettext_lazy("dispute reason", "Something else")


class DisputeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispute status", "Waiting for a moderator")
    DECIDED = "decided", pgettext_lazy("dispute status", "Decided")


class ReviewDispute(PublicIdModel):
    """A claimed provider's dispute of a review. It is a report in a moderation case
    (``case``, ``report``): moderators decide it with the normal decision flow. They
    may ask the reviewer for context first; the answer is attached to the case. A
    dispute never hides a review by itself (decisions/0032)."""

    MAX_TEXT_LENGTH = 2_000

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="disputes")
    provider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review_disputes",
    )
    claim = models.ForeignKey(
        ProviderClaim, on_delete=models.SET_NULL, null=True, blank=True, related_name="disputes"
    )
    reason = models.CharField(
        pgettext_lazy("dispute field", "reason"), max_length=24, choices=DisputeReason.choices
    )
    text = models.TextField(
        pgettext_lazy("dispute field", "explanation"), max_length=MAX_TEXT_LENGTH, blank=True
    )
    case = models.ForeignKey(
        "moderation.Case", on_delete=models.PROTECT, related_name="review_disputes"
    )
    report = models.ForeignKey(
        "moderation.Report",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    # The moderator's question to the reviewer, and the reviewer's answer.
    context_question = models.TextField(max_length=MAX_TEXT_LENGTH, blank=True)
    context_requested_at = models.DateTimeField(null=True, blank=True)
    context_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    context_answer = models.TextField(max_length=MAX_TEXT_LENGTH, blank=True)
    context_answered_at = models.DateTimeField(null=True, blank=True)
    # The decision that closed the case.
    decision = models.ForeignKey(
        "moderation.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "review dispute")
        verbose_name_plural = pgettext_lazy("model", "review disputes")
        indexes = [models.Index(fields=["case"], name="dispute_case")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=DisputeReason.values), name="dispute_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DisputeStatus.values), name="dispute_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(reason=DisputeReason.OTHER, text=""), name="dispute_other_explained"
            ),
            models.UniqueConstraint(
                fields=["review", "provider"],
                condition=Q(status="open", provider__isnull=False),
                name="dispute_one_open_per_provider",
            ),
        ]

    def __str__(self) -> str:
        return f"dispute {self.public_id} of review {self.review_id}"

    @property
    def is_open(self) -> bool:
        return self.status == DisputeStatus.OPEN

    @property
    def awaits_context(self) -> bool:
        return self.context_requested_at is not None and self.context_answered_at is None


class NoticeKind(models.TextChoices):
    CLAIM_APPROVED = "claim_approved", pgettext_lazy("review notice", "Your claim was approved")
    CLAIM_REJECTED = "claim_rejected", pgettext_lazy("review notice", "Your claim was rejected")
    CLAIM_REVOKED = "claim_revoked", pgettext_lazy("review notice", "Your claim was revoked")
    REPLY = "reply", pgettext_lazy("review notice", "A provider replied to your review")
    CONTEXT_REQUESTED = (
        "context_requested",
        pgettext_lazy("review notice", "A moderator asks about your review"),
    )
    DISPUTE_DECIDED = (
        "dispute_decided",
        pgettext_lazy("review notice", "A dispute about a review was decided"),
    )


class ReviewNotice(PublicIdModel):
    """One thing a person is told in the app about reviews: their claim decided, a
    reply to their review, a moderator's question, a dispute decided. Shown in the
    notification centre and counted in the header with the other notifications."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_notices"
    )
    kind = models.CharField(max_length=24, choices=NoticeKind.choices)
    claim = models.ForeignKey(
        ProviderClaim, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    dispute = models.ForeignKey(
        ReviewDispute, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What the person reads (the staff's reason, the decision's outcome), in their
    # language when it was written.
    text = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "review notice")
        verbose_name_plural = pgettext_lazy("model", "review notices")
        indexes = [models.Index(fields=["recipient", "read_at"], name="review_notice_unread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="review_notice_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
