"""Safety signals, safety cases and what they need (issue 7, items 2-3;
decisions/0036).

* A :class:`SafetySignal` is one possible adverse reaction found in one piece of
  content: a medicine and a reaction, with a snapshot of what the safety officer needs
  (the excerpt around the mention, its spans, the medicine, the reaction, the
  confidence, the language and the place). Content is named by ``content_kind`` (the
  model's ``app_label.model``) and ``object_id``, not by a foreign key: every kind of
  content, now and later, is screened without a migration here, and a signal outlives
  the content (deleted, erased) as pharmacovigilance requires.
* The author is named only by ``reporter_ref``, a random UUID. :class:`ReporterRef`
  maps a member to their ref; erasure deletes that row, after which nothing links the
  signal to a person.
* A :class:`SafetyCase` is a signal a safety officer judged to be a case: the four
  minimum criteria, the seriousness criteria, origin, narrative, suspect medicine and
  reaction, Day 0 and the deadline (15 days if serious, else 90).
* :class:`FollowUpAttempt` logs every private message asking the author for details;
  :class:`SafetyMessage` is that message as the member reads and answers it.
* :class:`CaseEscalation` records each reminder sent to the safety officers (one per
  case and number of days before the deadline).
* :class:`FirstSight` records when someone working for the operator first saw held
  content (Day 0 of held content).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import PublicIdModel, TimeStampedModel

# Days from Day 0 to the deadline (EMA GVP Module VI.C.3: serious cases within 15
# days, non-serious within 90).
SERIOUS_DAYS = 15
NON_SERIOUS_DAYS = 90
EXCERPT_MAX_LENGTH = 2_000


class SignalStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("safety signal status", "Not reviewed")
    NOT_A_CASE = "not_a_case", pgettext_lazy("safety signal status", "Not a case")
    CASE = "case", pgettext_lazy("safety signal status", "Case")
    FOLLOW_UP = "follow_up", pgettext_lazy("safety signal status", "Needs follow-up")


class Origin(models.TextChoices):
    """GVP VI.B.1.1 and VI.B.1.2: spontaneous reports, and solicited ones from organised
    data collection (the review form's side-effect questions)."""

    SPONTANEOUS = "spontaneous", pgettext_lazy("safety origin", "Spontaneous")
    SOLICITED = "solicited", pgettext_lazy("safety origin", "Solicited")


class SignalSource(models.TextChoices):
    DETECTOR = "detector", pgettext_lazy("safety signal source", "Found in the text")
    FORM = "form", pgettext_lazy("safety signal source", "Side-effect questions of a review")
    MODERATOR = "moderator", pgettext_lazy("safety signal source", "Sent by a moderator")


class DayZeroBasis(models.TextChoices):
    PUBLISHED = "published", pgettext_lazy("day zero basis", "Published")
    SEEN = "seen", pgettext_lazy("day zero basis", "First seen by staff while held")


class ReporterRef(TimeStampedModel):
    """The pseudonymous reference of a member whose content raised a signal. Erasure
    deletes the row: the ref on signals and cases then names nobody."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_reporter_ref"
    )
    ref = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "safety reporter reference")
        verbose_name_plural = pgettext_lazy("model", "safety reporter references")

    def __str__(self) -> str:
        return f"reporter {self.ref}"


class FirstSight(models.Model):
    """When someone working for the operator first saw an item of held content (the
    moderation case page, the safety queue): Day 0 of signals about held content.
    Append-only, one row per item."""

    content_kind = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    seen_at = models.DateTimeField()

    class Meta:
        ordering = ["seen_at", "id"]
        verbose_name = pgettext_lazy("model", "first sight of held content")
        verbose_name_plural = pgettext_lazy("model", "first sights of held content")
        constraints = [
            models.UniqueConstraint(
                fields=["content_kind", "object_id"], name="safety_first_sight_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_kind} {self.object_id} seen {self.seen_at:%Y-%m-%d %H:%M}"


class SafetySignal(PublicIdModel):
    """One possible adverse reaction in one item of content (decisions/0036)."""

    # The content: its model label ("communities.post") and row id; its public id for
    # the record. No foreign key, so the signal outlives the content.
    content_kind = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    content_public_id = models.UUIDField(null=True, blank=True)
    # Which text raised it: "body" (what the member wrote) or "form" (a review's
    # side-effect answers).
    field = models.CharField(max_length=16, default="body")
    source = models.CharField(max_length=16, choices=SignalSource.choices)
    origin = models.CharField(max_length=16, choices=Origin.choices)
    # The medicine named (its directory slug, kept if the entry goes) or "" for a class
    # name ("SSRI"), with the slugs it may mean.
    medicine_slug = models.CharField(max_length=80, blank=True)
    medicine = models.ForeignKey(
        "directory.Medicine", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    medicine_candidates = models.JSONField(default=list, blank=True)
    # The reaction concept of the detector's lexicon ("headache"), "" when unknown (a
    # moderator's escalation).
    reaction = models.CharField(max_length=64, blank=True)
    # What the officer reads: plain text around the mention, and [start, end) offsets
    # into it (null when the mention is not in the excerpt: the reviewed medicine).
    excerpt = models.TextField(max_length=EXCERPT_MAX_LENGTH)
    medicine_span = models.JSONField(null=True, blank=True)
    reaction_span = models.JSONField(null=True, blank=True)
    confidence = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    always_review = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True)
    # Where it was written, as it was then.
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    place = models.CharField(max_length=200, blank=True)
    audience = models.CharField(max_length=16, blank=True)  # public, members, private
    content_status = models.CharField(max_length=16, blank=True)  # published or held
    # The author, pseudonymously (ReporterRef); null for content without an author.
    reporter_ref = models.UUIDField(null=True, blank=True, db_index=True)
    # Day 0: when the operator could first see the text. Null while it is held and
    # nobody working for the operator has seen it.
    day_zero = models.DateTimeField(null=True, blank=True)
    day_zero_basis = models.CharField(max_length=16, choices=DayZeroBasis.choices, blank=True)
    status = models.CharField(
        max_length=16, choices=SignalStatus.choices, default=SignalStatus.NEW, db_index=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "safety signal")
        verbose_name_plural = pgettext_lazy("model", "safety signals")
        indexes = [
            models.Index(fields=["status", "created_at"], name="safety_signal_queue"),
            models.Index(fields=["content_kind", "object_id"], name="safety_signal_content"),
        ]
        constraints = [
            # A retried hook, or an edit that repeats a mention, opens nothing new.
            models.UniqueConstraint(
                fields=["content_kind", "object_id", "field", "medicine_slug", "reaction"],
                name="safety_signal_once_per_mention",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SignalStatus.values), name="safety_signal_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(origin__in=Origin.values), name="safety_signal_origin_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=SignalSource.values), name="safety_signal_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(confidence__gte=0) & Q(confidence__lte=1),
                name="safety_signal_confidence_range",
            ),
            models.CheckConstraint(
                condition=Q(day_zero__isnull=True, day_zero_basis="")
                | Q(day_zero__isnull=False, day_zero_basis__in=DayZeroBasis.values),
                name="safety_signal_day_zero_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"safety signal {self.public_id}"

    @property
    def serious_deadline(self) -> datetime | None:
        """The deadline if the case turns out serious (the earliest one possible)."""
        return self.day_zero + timedelta(days=SERIOUS_DAYS) if self.day_zero else None


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("safety case status", "Open")
    CLOSED = "closed", pgettext_lazy("safety case status", "Closed")


SERIOUSNESS_FIELDS: tuple[str, ...] = (
    "death",
    "life_threatening",
    "hospitalisation",
    "disability",
    "congenital_anomaly",
    "other_medically_important",
)
CRITERIA_FIELDS: tuple[str, ...] = (
    "identifiable_reporter",
    "identifiable_patient",
    "suspect_medicine_known",
    "reaction_known",
)


class SafetyCase(PublicIdModel):
    """A signal a safety officer judged to be a case (decisions/0036). It holds only
    what the case needs: no e-mail address, no handle, the reporter's pseudonymous
    reference."""

    MAX_NARRATIVE_LENGTH: ClassVar[int] = 10_000

    signal = models.OneToOneField(SafetySignal, on_delete=models.PROTECT, related_name="case")
    # The four minimum criteria of a valid case (GVP VI.B.2).
    identifiable_reporter = models.BooleanField(
        pgettext_lazy("safety case field", "identifiable reporter"), default=False
    )
    identifiable_patient = models.BooleanField(
        pgettext_lazy("safety case field", "identifiable patient"), default=False
    )
    suspect_medicine_known = models.BooleanField(
        pgettext_lazy("safety case field", "suspect medicine"), default=False
    )
    reaction_known = models.BooleanField(
        pgettext_lazy("safety case field", "suspected reaction"), default=False
    )
    # Seriousness (ICH E2A): any one makes the case serious.
    death = models.BooleanField(
        pgettext_lazy("safety case field", "results in death"), default=False
    )
    life_threatening = models.BooleanField(
        pgettext_lazy("safety case field", "life-threatening"), default=False
    )
    hospitalisation = models.BooleanField(
        pgettext_lazy("safety case field", "hospitalisation or longer stay in hospital"),
        default=False,
    )
    disability = models.BooleanField(
        pgettext_lazy("safety case field", "persistent or significant disability"), default=False
    )
    congenital_anomaly = models.BooleanField(
        pgettext_lazy("safety case field", "congenital anomaly or birth defect"), default=False
    )
    other_medically_important = models.BooleanField(
        pgettext_lazy("safety case field", "other medically important condition"), default=False
    )
    origin = models.CharField(
        pgettext_lazy("safety case field", "origin"), max_length=16, choices=Origin.choices
    )
    narrative = models.TextField(
        pgettext_lazy("safety case field", "narrative"), max_length=MAX_NARRATIVE_LENGTH, blank=True
    )
    suspect_medicine = models.ForeignKey(
        "directory.Medicine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="safety_cases",
        verbose_name=pgettext_lazy("safety case field", "suspect medicine"),
    )
    reaction = models.CharField(
        pgettext_lazy("safety case field", "reaction"), max_length=64, blank=True
    )
    reporter_ref = models.UUIDField(null=True, blank=True)
    day_zero = models.DateTimeField()
    # day_zero + 15 or 90 days, kept by the actions (the queue and the reminders sort
    # and filter by it).
    due_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = pgettext_lazy("model", "safety case")
        verbose_name_plural = pgettext_lazy("model", "safety cases")
        indexes = [models.Index(fields=["status", "due_at"], name="safety_case_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(origin__in=Origin.values), name="safety_case_origin_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="safety_case_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_at__gt=models.F("day_zero")), name="safety_case_due_after_day_zero"
            ),
        ]

    def __str__(self) -> str:
        return f"safety case {self.reference}"

    @property
    def reference(self) -> str:
        """What officers say and write: "PV-2025-000042"."""
        return f"PV-{self.created_at:%Y}-{self.pk:06d}" if self.pk and self.created_at else ""

    @property
    def is_valid(self) -> bool:
        """A valid case has all four minimum criteria (GVP VI.B.2)."""
        return all(getattr(self, name) for name in CRITERIA_FIELDS)

    @property
    def missing_criteria(self) -> list[str]:
        return [name for name in CRITERIA_FIELDS if not getattr(self, name)]

    @property
    def missing_criteria_labels(self) -> list[str]:
        """The missing minimum criteria as the case form names them."""
        fields = [self._meta.get_field(name) for name in self.missing_criteria]
        return [str(getattr(field, "verbose_name", field.name)) for field in fields]

    @property
    def is_serious(self) -> bool:
        return any(getattr(self, name) for name in SERIOUSNESS_FIELDS)

    @property
    def deadline_days(self) -> int:
        return SERIOUS_DAYS if self.is_serious else NON_SERIOUS_DAYS

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


def due_from(day_zero: datetime, *, serious: bool) -> datetime:
    return day_zero + timedelta(days=SERIOUS_DAYS if serious else NON_SERIOUS_DAYS)


class CaseEscalation(models.Model):
    """A reminder to the safety officers that a case's deadline is near: one per case
    and number of days before it, so the periodic task may run any number of times."""

    case = models.ForeignKey(SafetyCase, on_delete=models.PROTECT, related_name="escalations")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = pgettext_lazy("model", "safety case reminder")
        verbose_name_plural = pgettext_lazy("model", "safety case reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "days_before"], name="safety_escalation_once_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.days_before} days before"


class MissingDetail(models.TextChoices):
    """What a follow-up message may ask the author for."""

    PATIENT = "patient", pgettext_lazy("safety follow-up", "Who had the reaction (age, sex)")
    REACTION = (
        "reaction",
        pgettext_lazy("safety follow-up", "What happened, when it started and how it ended"),
    )
    MEDICINE = (
        "medicine",
        pgettext_lazy("safety follow-up", "The medicine: its name, dose and when it was taken"),
    )
    OUTCOME = (
        "outcome",
        pgettext_lazy("safety follow-up", "Whether a doctor or a hospital was involved"),
    )


class FollowUpOutcome(models.TextChoices):
    SENT = "sent", pgettext_lazy("safety follow-up outcome", "Sent, no answer yet")
    ANSWERED = "answered", pgettext_lazy("safety follow-up outcome", "Answered")
    NOT_DELIVERED = (
        "not_delivered",
        pgettext_lazy(
            "safety follow-up outcome", "Not delivered: the author's account no longer exists"
        ),
    )


class FollowUpAttempt(PublicIdModel):
    """One attempt to reach the author of a signal's content, logged on the signal (and
    so on its case). Kept when the author is erased; their answer is case data."""

    MAX_NOTE_LENGTH: ClassVar[int] = 1_000
    MAX_ANSWER_LENGTH: ClassVar[int] = 4_000

    signal = models.ForeignKey(SafetySignal, on_delete=models.PROTECT, related_name="follow_ups")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    asked_for = models.JSONField(default=list, blank=True)  # MissingDetail values
    note = models.TextField(max_length=MAX_NOTE_LENGTH, blank=True)
    language = models.CharField(max_length=8, blank=True)
    outcome = models.CharField(
        max_length=16, choices=FollowUpOutcome.choices, default=FollowUpOutcome.SENT
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    consent_to_contact = models.BooleanField(null=True, blank=True)
    answer = models.TextField(max_length=MAX_ANSWER_LENGTH, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "safety follow-up")
        verbose_name_plural = pgettext_lazy("model", "safety follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=FollowUpOutcome.values),
                name="safety_follow_up_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.public_id}"

    @property
    def asked_for_labels(self) -> list[str]:
        return [str(MissingDetail(k).label) for k in self.asked_for if k in MissingDetail.values]


class SafetyMessage(PublicIdModel):
    """A follow-up as its recipient reads it (``/<language>/safety/messages/``), in the
    language they chose. Deleted with the account; the attempt stays."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_messages"
    )
    attempt = models.OneToOneField(
        FollowUpAttempt, on_delete=models.CASCADE, related_name="message"
    )
    subject = models.CharField(max_length=200)
    text = models.TextField()
    read_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "safety message")
        verbose_name_plural = pgettext_lazy("model", "safety messages")
        indexes = [models.Index(fields=["recipient", "read_at"], name="safety_message_unread")]

    def __str__(self) -> str:
        return f"safety message {self.public_id}"
