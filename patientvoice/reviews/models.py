"""Reviews of medicines, physicians and clinics, their history, and the rating
summaries kept on write (issue 5, items 2-4; decisions/0031).

What each kind asks is defined once, in :mod:`patientvoice.reviews.dimensions`; the
scores are stored as JSON keyed by dimension, so a new dimension needs no migration.
Every write goes through :mod:`patientvoice.reviews.actions`, which keeps
:class:`RatingSummary` right in the same transaction.
"""

# ruff: noqa: E402 - the provider models are imported last (they build on Review).
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import Content, TimeStampedModel
from patientvoice.directory.models import Clinic, Condition, Medicine, Physician

from .dimensions import KINDS, ReviewKind

# "Reviews older than two years are marked as such" (issue 5, item 2).
OLD_AFTER = timedelta(days=730)
MAX_WAITING_MINUTES = 24 * 60
SIDE_EFFECTS_TEXT_LENGTH = 500


class Kind(models.TextChoices):
    MEDICINE = "medicine", pgettext_lazy("review kind", "Medicine")
    PHYSICIAN = "physician", pgettext_lazy("review kind", "Physician")
    CLINIC = "clinic", pgettext_lazy("review kind", "Clinic")


class Duration(models.TextChoices):
    UNDER_A_MONTH = "under_1m", pgettext_lazy("medicine duration", "Less than a month")
    ONE_TO_SIX_MONTHS = "1_6m", pgettext_lazy("medicine duration", "1–6 months")
    SIX_TO_TWELVE_MONTHS = "6_12m", pgettext_lazy("medicine duration", "6–12 months")
    ONE_TO_TWO_YEARS = "1_2y", pgettext_lazy("medicine duration", "1–2 years")
    OVER_TWO_YEARS = "over_2y", pgettext_lazy("medicine duration", "More than 2 years")


class StopReason(models.TextChoices):
    SIDE_EFFECTS = "side_effects", pgettext_lazy("stop reason", "Side effects")
    DID_NOT_WORK = "did_not_work", pgettext_lazy("stop reason", "It did not work")
    COST = "cost", pgettext_lazy("stop reason", "It cost too much")
    OTHER = "other", pgettext_lazy("stop reason", "Another reason")


class Conflict(models.TextChoices):
    """The conflict-of-interest declaration on the review form. Anything but ``none``
    blocks the review (errors.ConflictDeclared); it is not stored."""

    NONE = "none", pgettext_lazy("review conflict", "None of these")
    WORKS_FOR = (
        "works_for",
        pgettext_lazy("review conflict", "I work for the maker, the clinic or the physician"),
    )
    PAID_BY = "paid_by", pgettext_lazy("review conflict", "I am paid by them")
    RELATED = "related", pgettext_lazy("review conflict", "I am related to them")


def _one_entry(kind: str, field: str) -> Q:
    others = {"medicine", "physician", "clinic"} - {field}
    return Q(kind=kind, **{f"{field}__isnull": False}, **{f"{o}__isnull": True for o in others})


EXACTLY_ONE_ENTRY = (
    _one_entry(Kind.MEDICINE, "medicine")
    | _one_entry(Kind.PHYSICIAN, "physician")
    | _one_entry(Kind.CLINIC, "clinic")
)


class OfEntry:
    """What reviews and summaries share: ``kind`` names the foreign key to the entry."""

    kind: str

    @property
    def review_kind(self) -> ReviewKind:
        return KINDS[self.kind]

    @property
    def entry(self) -> Any:
        """The medicine, physician or clinic reviewed."""
        return getattr(self, self.kind)


class Review(OfEntry, Content):
    """A member's review of one directory entry: scores per dimension, an optional
    written experience (through the publishing pipeline) and, for medicines, how it
    went. One per member per entry; edits keep a :class:`ReviewRevision`.

    Reviews are site-wide (not in a community): a published review is public.
    """

    MAX_BODY_LENGTH: ClassVar[int] = 5_000

    kind = models.CharField(pgettext_lazy("review field", "kind"), max_length=16, choices=Kind)
    medicine = models.ForeignKey(
        Medicine, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    physician = models.ForeignKey(
        Physician, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="reviews"
    )
    # {dimension key: 1..5}; the keys are those of dimensions.KINDS[kind].
    scores = models.JSONField(pgettext_lazy("review field", "scores"), default=dict)
    # A caregiver reviewing for the person they care for (shown with the review).
    on_behalf = models.BooleanField(
        pgettext_lazy("review field", "written on behalf of someone I care for"), default=False
    )
    # From an account with a verified e-mail, older than the hold period, when it was
    # sent; or approved by a moderator after a hold (decisions/0031).
    is_verified_experience = models.BooleanField(
        pgettext_lazy("review field", "verified experience"), default=False, editable=False
    )
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    # --- medicines only ---
    condition = models.ForeignKey(
        Condition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("review field", "what it was for"),
    )
    duration = models.CharField(
        pgettext_lazy("review field", "how long it was taken"),
        max_length=16,
        choices=Duration,
        blank=True,
    )
    still_taking = models.BooleanField(
        pgettext_lazy("review field", "still taking it"), null=True, blank=True
    )
    stop_reason = models.CharField(
        pgettext_lazy("review field", "why it was stopped"),
        max_length=16,
        choices=StopReason,
        blank=True,
    )
    # Keys of dimensions.SIDE_EFFECTS (checked by the actions: a JSON list carries no
    # portable CHECK on its items).
    side_effects = models.JSONField(
        pgettext_lazy("review field", "side effects"), default=list, blank=True
    )
    side_effects_text = models.CharField(
        pgettext_lazy("review field", "other side effects"),
        max_length=SIDE_EFFECTS_TEXT_LENGTH,
        blank=True,
    )
    would_recommend = models.BooleanField(
        pgettext_lazy("review field", "would recommend it"), null=True, blank=True
    )
    # --- physicians only ---
    waiting_minutes = models.PositiveSmallIntegerField(
        pgettext_lazy("review field", "waiting time in minutes"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "review")
        verbose_name_plural = pgettext_lazy("model", "reviews")
        indexes = [
            # An entry's page: its published reviews, newest first.
            models.Index(fields=["medicine", "status", "-created_at"], name="review_medicine_list"),
            models.Index(
                fields=["physician", "status", "-created_at"], name="review_physician_list"
            ),
            models.Index(fields=["clinic", "status", "-created_at"], name="review_clinic_list"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="review_kind_valid"),
            models.CheckConstraint(condition=EXACTLY_ONE_ENTRY, name="review_one_entry_of_kind"),
            models.UniqueConstraint(
                fields=["author", "medicine"],
                condition=Q(author__isnull=False, medicine__isnull=False),
                name="review_one_per_member_medicine",
            ),
            models.UniqueConstraint(
                fields=["author", "physician"],
                condition=Q(author__isnull=False, physician__isnull=False),
                name="review_one_per_member_physician",
            ),
            models.UniqueConstraint(
                fields=["author", "clinic"],
                condition=Q(author__isnull=False, clinic__isnull=False),
                name="review_one_per_member_clinic",
            ),
            models.CheckConstraint(
                condition=Q(duration="") | Q(duration__in=Duration.values),
                name="review_duration_valid",
            ),
            models.CheckConstraint(
                condition=Q(stop_reason="") | Q(stop_reason__in=StopReason.values),
                name="review_stop_reason_valid",
            ),
            # Stopped: say why. Not stopped (or not said): no reason.
            models.CheckConstraint(
                condition=(Q(still_taking=False) & ~Q(stop_reason=""))
                | (Q(stop_reason="") & (Q(still_taking__isnull=True) | Q(still_taking=True))),
                name="review_stop_reason_when_stopped",
            ),
            models.CheckConstraint(
                condition=Q(kind=Kind.MEDICINE)
                | Q(
                    condition__isnull=True,
                    duration="",
                    still_taking__isnull=True,
                    stop_reason="",
                    side_effects_text="",
                    would_recommend__isnull=True,
                ),
                name="review_medicine_details_only_for_medicines",
            ),
            models.CheckConstraint(
                condition=Q(waiting_minutes__isnull=True)
                | Q(
                    kind=Kind.PHYSICIAN,
                    waiting_minutes__gte=0,
                    waiting_minutes__lte=MAX_WAITING_MINUTES,
                ),
                name="review_waiting_minutes_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} review {self.public_id}"

    @property
    def entry_id(self) -> int | None:
        value: int | None = getattr(self, f"{self.kind}_id")
        return value

    @property
    def anchor(self) -> str:
        """The fragment that finds the review on its entry's page."""
        return f"review-{self.public_id}"

    def is_older_than_two_years(self, now: datetime | None = None) -> bool:
        """Published more than two years before ``now`` (shown as such)."""
        if self.published_at is None:
            return False
        return self.published_at < (now or timezone.now()) - OLD_AFTER

    def details(self) -> dict[str, Any]:
        """The structured answers besides the scores, as plain JSON (revisions, export)."""
        return {
            "condition": self.condition_id,
            "duration": self.duration,
            "still_taking": self.still_taking,
            "stop_reason": self.stop_reason,
            "side_effects": list(self.side_effects or []),
            "side_effects_text": self.side_effects_text,
            "would_recommend": self.would_recommend,
            "waiting_minutes": self.waiting_minutes,
            "on_behalf": self.on_behalf,
        }


class ReviewRevisionQuerySet(models.QuerySet["ReviewRevision"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("Review revisions are append-only.")


class ReviewRevision(models.Model):
    """What a review said before an edit (append-only, one timestamp: decisions/0017).
    Seen by staff (the admin) and in the author's data export."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    scores = models.JSONField(default=dict)
    body = models.TextField(blank=True)
    details = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ReviewRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "review revision")
        verbose_name_plural = pgettext_lazy("model", "review revisions")

    def __str__(self) -> str:
        return f"revision of {self.review_id} at {self.created_at:%Y-%m-%d %H:%M}"


class RatingSummary(OfEntry, TimeStampedModel):
    """The published reviews of one entry, summed up (kept on write by
    :func:`patientvoice.reviews.aggregates.apply_change`; never computed on read).

    One row per entry (``condition`` NULL), and for medicines one per (medicine,
    condition) for the reviews that name the condition. A row exists only while at
    least one published review counts in it. Sums are kept rather than means, so a
    review's contribution can be taken out again exactly.
    """

    kind = models.CharField(max_length=16, choices=Kind)
    medicine = models.ForeignKey(
        Medicine, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    physician = models.ForeignKey(
        Physician, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    count = models.PositiveIntegerField(default=0)
    verified_count = models.PositiveIntegerField(default=0)
    # {dimension: sum of scores}, {dimension: sum of squared scores},
    # {dimension: [n1, n2, n3, n4, n5]}.
    sums = models.JSONField(default=dict)
    squares = models.JSONField(default=dict)
    histograms = models.JSONField(default=dict)
    recommend_yes = models.PositiveIntegerField(default=0)
    recommend_count = models.PositiveIntegerField(default=0)
    # Bayesian-adjusted mean of the headline dimension (statistics.adjusted_score).
    adjusted = models.FloatField(default=0.0)

    class Meta:
        ordering = ["kind", "-adjusted", "id"]
        verbose_name = pgettext_lazy("model", "rating summary")
        verbose_name_plural = pgettext_lazy("model", "rating summaries")
        indexes = [
            # Ranking entries of a kind (for a condition, or overall) is one index scan.
            models.Index(
                fields=["kind", "condition", "-adjusted", "-count", "id"],
                name="rating_summary_ranking",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="rating_summary_kind_valid"
            ),
            models.CheckConstraint(
                condition=EXACTLY_ONE_ENTRY, name="rating_summary_one_entry_of_kind"
            ),
            models.CheckConstraint(
                condition=Q(condition__isnull=True) | Q(kind=Kind.MEDICINE),
                name="rating_summary_condition_for_medicines",
            ),
            models.UniqueConstraint(
                fields=["medicine"],
                condition=Q(medicine__isnull=False, condition__isnull=True),
                name="rating_summary_one_per_medicine",
            ),
            models.UniqueConstraint(
                fields=["medicine", "condition"],
                condition=Q(medicine__isnull=False, condition__isnull=False),
                name="rating_summary_one_per_medicine_condition",
            ),
            models.UniqueConstraint(
                fields=["physician"],
                condition=Q(physician__isnull=False),
                name="rating_summary_one_per_physician",
            ),
            models.UniqueConstraint(
                fields=["clinic"],
                condition=Q(clinic__isnull=False),
                name="rating_summary_one_per_clinic",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} summary ({self.count})"


# The provider's voice lives in its own module; its models are this app's too.
from .provider_models import (
    LIVE_CLAIM_STATUSES as LIVE_CLAIM_STATUSES,
)
from .provider_models import (
    ClaimStatus as ClaimStatus,
)
from .provider_models import (
    DisputeReason as DisputeReason,
)
from .provider_models import (
    DisputeStatus as DisputeStatus,
)
from .provider_models import (
    NoticeKind as NoticeKind,
)
from .provider_models import (
    ProviderClaim as ProviderClaim,
)
from .provider_models import (
    ReviewDispute as ReviewDispute,
)
from .provider_models import (
    ReviewNotice as ReviewNotice,
)
from .provider_models import (
    ReviewReply as ReviewReply,
)
from .provider_models import (
    ReviewReplyRevision as ReviewReplyRevision,
)
