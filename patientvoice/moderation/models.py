"""Moderation: reports and notices, the cases they open, decisions with their statements
of reasons, appeals, sanctions, labels, trusted flaggers and moderators' notes
(EU Digital Services Act arts. 15-24; decisions/0028).

Content is referred to by ``kind`` (a key of :mod:`patientvoice.moderation.registry`,
"post", "profile", ...) and ``object_id``, not by a foreign key: every later kind of
content plugs in without a migration here, and a record outlives the content it is
about (the law keeps decisions and statements; the content may be erased).

Decisions and statements of reasons are append-only records with one timestamp
(decisions/0017): their querysets refuse updates and deletes. The only exception is
``StatementOfReasons.read_at``, the in-app delivery receipt.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import PublicIdModel, TimeStampedModel

# An item of content is shown in a queue and a statement by at most this many
# characters of plain text.
EXCERPT_LENGTH = 300
# DSA art. 20(1): an appeal can be made for at least six months after the decision.
APPEAL_DAYS = 183


class ReportReason(models.TextChoices):
    MEDICAL_MISINFORMATION = (
        "medical_misinformation",
        pgettext_lazy("report reason", "Dangerous or misleading medical information"),
    )
    SPAM = "spam", pgettext_lazy("report reason", "Spam or advertising")
    HARASSMENT = "harassment", pgettext_lazy("report reason", "Harassment or hate")
    PERSONAL_INFORMATION = (
        "personal_information",
        pgettext_lazy("report reason", "Personal information about someone"),
    )
    SIDE_EFFECT = "side_effect", pgettext_lazy("report reason", "Possible side effect")
    ILLEGAL = "illegal", pgettext_lazy("report reason", "Illegal content")
    SELF_HARM = "self_harm", pgettext_lazy("report reason", "Risk of self-harm")
    OTHER = "other", pgettext_lazy("report reason", "Other")


class IllegalType(models.TextChoices):
    """What kind of illegal content a notice alleges (DSA art. 16(2)(a), and the
    categories of the transparency report, art. 15(1)(b))."""

    DEFAMATION = "defamation", pgettext_lazy("illegal content type", "Defamation")
    HATE_SPEECH = "hate_speech", pgettext_lazy("illegal content type", "Unlawful hate speech")
    PRIVACY_VIOLATION = (
        "privacy_violation",
        pgettext_lazy("illegal content type", "Violation of privacy or data protection"),
    )
    INTELLECTUAL_PROPERTY = (
        "intellectual_property",
        pgettext_lazy("illegal content type", "Copyright or trademark infringement"),
    )
    FRAUD = "fraud", pgettext_lazy("illegal content type", "Fraud or scam")
    MEDICINE_ADVERTISING = (
        "medicine_advertising",
        pgettext_lazy(
            "illegal content type", "Advertising of prescription medicines to the public"
        ),
    )
    CHILD_SAFETY = (
        "child_safety",
        pgettext_lazy("illegal content type", "Sexual abuse or exploitation of children"),
    )
    OTHER = "other", pgettext_lazy("illegal content type", "Other illegal content")


class CaseSource(models.TextChoices):
    FLAG = "flag", pgettext_lazy("case source", "Flagged by a member")
    NOTICE = "notice", pgettext_lazy("case source", "Notice of illegal content")
    PIPELINE = "pipeline", pgettext_lazy("case source", "Held by the automatic checks")
    CRISIS = "crisis", pgettext_lazy("case source", "Crisis language")
    ESCALATION = "escalation", pgettext_lazy("case source", "Escalated")


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("case status", "Open")
    DECIDED = "decided", pgettext_lazy("case status", "Decided")


class Severity(models.IntegerChoices):
    """Queue order within the urgent and the other items (higher first)."""

    LOW = 1, pgettext_lazy("case severity", "Low")
    MEDIUM = 2, pgettext_lazy("case severity", "Medium")
    HIGH = 3, pgettext_lazy("case severity", "High")


# How serious each report reason is: risk to life and illegal content first, then
# harm to health or to a person, then nuisance.
REASON_SEVERITY: dict[str, int] = {
    ReportReason.SELF_HARM: Severity.HIGH,
    ReportReason.ILLEGAL: Severity.HIGH,
    ReportReason.SIDE_EFFECT: Severity.MEDIUM,
    ReportReason.MEDICAL_MISINFORMATION: Severity.MEDIUM,
    ReportReason.HARASSMENT: Severity.MEDIUM,
    ReportReason.PERSONAL_INFORMATION: Severity.MEDIUM,
    ReportReason.SPAM: Severity.LOW,
    ReportReason.OTHER: Severity.LOW,
}


def hold_reason_severity(code: str) -> int:
    """The severity of a pipeline hold reason (``core.textchecks`` codes)."""
    if code.startswith("crisis."):
        return Severity.HIGH
    if code.startswith("personal_data."):
        return Severity.MEDIUM
    return Severity.LOW


class Action(models.TextChoices):
    KEEP = "keep", pgettext_lazy("moderation action", "Keep (no action)")
    HIDE = "hide", pgettext_lazy("moderation action", "Hide")
    REMOVE = "remove", pgettext_lazy("moderation action", "Remove")
    REDACT = "redact", pgettext_lazy("moderation action", "Edit out personal data")
    LABEL = "label", pgettext_lazy("moderation action", "Add a label")
    LOCK = "lock", pgettext_lazy("moderation action", "Lock the discussion")
    MOVE = "move", pgettext_lazy("moderation action", "Move the discussion")
    MERGE = "merge", pgettext_lazy("moderation action", "Merge discussions")
    WARN = "warn", pgettext_lazy("moderation action", "Warn the member")
    SUSPEND = "suspend", pgettext_lazy("moderation action", "Suspend the member")
    BAN = "ban", pgettext_lazy("moderation action", "Ban the member")
    ESCALATE_EXPERT = (
        "escalate_expert",
        pgettext_lazy("moderation action", "Ask a professional for an expert note"),
    )
    ESCALATE_SAFETY = (
        "escalate_safety",
        pgettext_lazy("moderation action", "Send to the safety queue"),
    )
    RESTORE = "restore", pgettext_lazy("moderation action", "Restore")


# Actions that restrict something of a member's: each comes with a statement of reasons
# (DSA art. 17). Keeping, restoring and escalating restrict nothing.
RESTRICTIONS = frozenset(
    {
        Action.HIDE,
        Action.REMOVE,
        Action.REDACT,
        Action.LABEL,
        Action.LOCK,
        Action.MOVE,
        Action.MERGE,
        Action.WARN,
        Action.SUSPEND,
        Action.BAN,
    }
)
# Actions on the person rather than on the content (they make a Sanction).
PERSON_ACTIONS = frozenset({Action.WARN, Action.SUSPEND, Action.BAN})


class ReasonCode(models.TextChoices):
    """The rule or law a decision rests on (DSA art. 17(3)(d)/(e))."""

    NO_VIOLATION = "no_violation", pgettext_lazy("decision ground", "No rule was broken")
    COMMUNITY_GUIDELINES = (
        "community_guidelines",
        pgettext_lazy("decision ground", "The community's guidelines"),
    )
    TERMS_CONDUCT = (
        "terms_conduct",
        pgettext_lazy("decision ground", "Terms of use: how we treat one another"),
    )
    TERMS_ADVERTISING = (
        "terms_advertising",
        pgettext_lazy("decision ground", "Terms of use: no advertising or promotion"),
    )
    TERMS_ACCOUNTS = (
        "terms_accounts",
        pgettext_lazy("decision ground", "Terms of use: one person, one honest account"),
    )
    MEDICAL_MISINFORMATION = (
        "medical_misinformation",
        pgettext_lazy("decision ground", "Policy on dangerous or misleading medical information"),
    )
    PERSONAL_DATA = (
        "personal_data",
        pgettext_lazy("decision ground", "Personal data about someone (GDPR)"),
    )
    SELF_HARM = (
        "self_harm",
        pgettext_lazy("decision ground", "Safety of people at risk of self-harm"),
    )
    SPAM = "spam", pgettext_lazy("decision ground", "Spam")
    ILLEGAL_CONTENT = (
        "illegal_content",
        pgettext_lazy("decision ground", "Illegal content under Swedish law"),
    )


# Grounds that are law rather than our own rules (DSA art. 17(3)(d) vs (e)).
LEGAL_GROUNDS = frozenset({ReasonCode.ILLEGAL_CONTENT})


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Refuses bulk updates and deletes (decisions/0017). Setting a foreign key to NULL
    when a person is erased is done by Django's deletion collector, not through here."""

    def update(self, **kwargs: Any) -> int:
        raise TypeError("This record is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("This record is append-only.")


class AppendOnlyModel(models.Model):
    """A record that is written once: ``save()`` of a stored row and ``delete()`` raise."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("This record is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("This record is append-only.")


class TrustedFlagger(TimeStampedModel):
    """An organisation whose reports go first (DSA art. 22), designated by site staff.
    Revoked by setting ``revoked_at``; a new designation is a new row."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="trusted_flaggers"
    )
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("trusted flagger field", "designated by"),
    )
    designated_at = models.DateTimeField(
        pgettext_lazy("trusted flagger field", "designated at"), default=timezone.now
    )
    reason = models.TextField(pgettext_lazy("trusted flagger field", "reason"), blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-designated_at", "-id"]
        verbose_name = pgettext_lazy("model", "trusted flagger")
        verbose_name_plural = pgettext_lazy("model", "trusted flaggers")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(revoked_at__isnull=True),
                name="trusted_flagger_one_active",
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=False) | models.Q(revoked_by__isnull=True),
                name="trusted_flagger_revoker_needs_revocation",
            ),
        ]

    def __str__(self) -> str:
        return f"Trusted flagger {self.organization_id}"


class Case(PublicIdModel):
    """One item of content (or a profile) waiting for a moderator: what every report,
    notice, pipeline hold and crisis alert about it joins. At most one open case per
    item. ``community`` NULL: the site-wide queue (staff only), unless ``organization``
    names the organisation whose staff moderate the item (a campaign's submission)."""

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_cases",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_cases",
    )
    # Whose content it is (the member a decision on the person would act on).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # What the queue shows, taken when the case opened (and again when a report joins),
    # so the queue is one query whatever the kinds.
    excerpt = models.CharField(max_length=EXCERPT_LENGTH, blank=True)
    url = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=16, choices=CaseSource.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, default=Severity.LOW)
    trusted = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)
    # The pipeline's reasons for holding the content (a copy of its ``hold_reasons``).
    reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The queue's order (queries.queue): urgent, severity, trusted flaggers, oldest.
        ordering = ["-urgent", "-severity", "-trusted", "opened_at", "id"]
        verbose_name = pgettext_lazy("model", "moderation case")
        verbose_name_plural = pgettext_lazy("model", "moderation cases")
        indexes = [
            models.Index(
                fields=["status", "-urgent", "-severity", "-trusted", "opened_at"],
                name="moderation_case_queue",
            ),
            models.Index(fields=["community", "status"], name="moderation_case_community"),
            models.Index(fields=["kind", "object_id"], name="moderation_case_object"),
            models.Index(fields=["author", "status"], name="moderation_case_author"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                condition=models.Q(status="open"),
                name="moderation_case_one_open",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=CaseSource.values),
                name="moderation_case_source_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=CaseStatus.values),
                name="moderation_case_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(severity__in=Severity.values),
                name="moderation_case_severity_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="open", decided_at__isnull=True)
                    | models.Q(status="decided", decided_at__isnull=False)
                ),
                name="moderation_case_decided_at_with_status",
            ),
            models.CheckConstraint(
                condition=models.Q(assignee__isnull=False) | models.Q(claimed_at__isnull=True),
                name="moderation_case_claim_has_assignee",
            ),
        ]

    def __str__(self) -> str:
        return f"Case {self.public_id} ({self.kind} {self.object_id})"

    @property
    def is_open(self) -> bool:
        return self.status == CaseStatus.OPEN


class Report(PublicIdModel):
    """A member's flag or a visitor's notice of illegal content (DSA art. 16), with the
    human reference number the sender is given."""

    MAX_EXPLANATION_LENGTH = 4000

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    # What the sender pointed at, as it was then.
    excerpt = models.CharField(max_length=EXCERPT_LENGTH, blank=True)
    url = models.CharField(max_length=500, blank=True)
    # A member's flag has a reporter; a visitor's notice a name and an address.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_reports",
    )
    reporter_name = models.CharField(
        pgettext_lazy("notice field", "name"), max_length=150, blank=True
    )
    reporter_email = models.EmailField(pgettext_lazy("notice field", "e-mail address"), blank=True)
    # The language the sender wrote in: the acknowledgement and the outcome use it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="sv")
    reason = models.CharField(max_length=32, choices=ReportReason.choices)
    illegal_type = models.CharField(max_length=32, choices=IllegalType.choices, blank=True)
    explanation = models.TextField(
        pgettext_lazy("report field", "explanation"),
        max_length=MAX_EXPLANATION_LENGTH,
        blank=True,
    )
    # DSA art. 16(2)(d): the sender's statement that the notice is accurate and complete.
    good_faith = models.BooleanField(default=False)
    is_notice = models.BooleanField(default=False)
    reference = models.CharField(max_length=32, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reports")
    # The reporter acted for a trusted-flagger organisation when they reported.
    trusted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "report")
        verbose_name_plural = pgettext_lazy("model", "reports")
        indexes = [
            models.Index(fields=["reporter", "-created_at"], name="moderation_report_reporter"),
            models.Index(fields=["reporter_email", "-created_at"], name="moderation_report_email"),
            models.Index(fields=["kind", "object_id"], name="moderation_report_object"),
        ]
        constraints = [
            # A member flags an item once per case (a second flag returns the first).
            models.UniqueConstraint(
                fields=["reporter", "case"],
                condition=models.Q(is_notice=False, reporter__isnull=False),
                name="moderation_report_one_flag_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(reason__in=ReportReason.values),
                name="moderation_report_reason_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(illegal_type__in=[*IllegalType.values, ""]),
                name="moderation_report_illegal_type_valid",
            ),
            # Illegal content names its type; other reasons have none.
            models.CheckConstraint(
                condition=(
                    models.Q(reason="illegal", illegal_type__in=IllegalType.values)
                    | (~models.Q(reason="illegal") & models.Q(illegal_type=""))
                ),
                name="moderation_report_illegal_type_with_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(reason="other", explanation=""),
                name="moderation_report_other_explained",
            ),
            # A notice (DSA art. 16): an explanation and the good-faith statement, and a
            # name and address except for child sexual abuse material (art. 16(2)(c)).
            models.CheckConstraint(
                condition=(
                    models.Q(is_notice=False)
                    | (
                        models.Q(is_notice=True, good_faith=True)
                        & ~models.Q(explanation="")
                        & (~models.Q(reporter_email="") | models.Q(illegal_type="child_safety"))
                    )
                ),
                name="moderation_report_notice_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class Decision(AppendOnlyModel):
    """What a moderator (or, with ``automated``, the system) did about a case, on which
    ground and why. Append-only: a reversed decision stays, its appeal says so."""

    MAX_EXPLANATION_LENGTH = 4000

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_decisions",
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    reason_code = models.CharField(max_length=32, choices=ReasonCode.choices)
    explanation = models.TextField(max_length=MAX_EXPLANATION_LENGTH)
    automated = models.BooleanField(default=False)
    suspension_until = models.DateTimeField(null=True, blank=True)
    label_text = models.CharField(max_length=200, blank=True)
    # What the content was before (status, community, ...) and what the action needed
    # (the community a thread moved to): what an appeal's reversal puts back.
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "moderation decision")
        verbose_name_plural = pgettext_lazy("model", "moderation decisions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=Action.values),
                name="moderation_decision_action_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(reason_code__in=ReasonCode.values),
                name="moderation_decision_reason_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(explanation=""), name="moderation_decision_explained"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(action="suspend", suspension_until__isnull=False)
                    | (~models.Q(action="suspend") & models.Q(suspension_until__isnull=True))
                ),
                name="moderation_decision_suspension_until",
            ),
            models.CheckConstraint(
                condition=~models.Q(action="label", label_text=""),
                name="moderation_decision_label_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} on case {self.case_id}"

    @property
    def is_restriction(self) -> bool:
        return self.action in RESTRICTIONS


class StatementOfReasonsQuerySet(AppendOnlyQuerySet):
    def mark_read(self, now: Any) -> int:
        """The one change a statement takes: when its recipient first opened it."""
        return models.QuerySet.update(self.filter(read_at__isnull=True), read_at=now)


class StatementOfReasons(AppendOnlyModel):
    """What the member was told about a restriction (DSA art. 17), as it was told: the
    texts are stored in the recipient's language at the time of the decision."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="statement")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_statements",
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="sv")
    # What was restricted: the action, the kind of content, and the content as it was.
    restriction = models.CharField(max_length=16, choices=Action.choices)
    restriction_text = models.TextField()
    content_kind = models.CharField(max_length=32)
    content_excerpt = models.CharField(max_length=EXCERPT_LENGTH, blank=True)
    # The ground: the rule or law (code, and its wording then), and whether it is law.
    ground = models.CharField(max_length=32, choices=ReasonCode.choices)
    ground_text = models.TextField()
    illegal = models.BooleanField(default=False)
    # The facts and circumstances (the moderator's explanation).
    facts = models.TextField()
    automated_detection = models.BooleanField(default=False)
    automated_decision = models.BooleanField(default=False)
    # How to appeal (internal complaint, out-of-court settlement, court).
    redress_text = models.TextField()
    appeal_deadline = models.DateTimeField()
    reference = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = StatementOfReasonsQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "statement of reasons")
        verbose_name_plural = pgettext_lazy("model", "statements of reasons")
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="moderation_sor_recipient"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(restriction__in=sorted(a.value for a in RESTRICTIONS)),
                name="moderation_sor_restriction_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(ground__in=ReasonCode.values),
                name="moderation_sor_ground_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.reference


class AppealStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("appeal status", "Waiting for a decision")
    UPHELD = "upheld", pgettext_lazy("appeal status", "Decision upheld")
    REVERSED = "reversed", pgettext_lazy("appeal status", "Decision reversed")


class Appeal(PublicIdModel):
    """The member's complaint against a statement's decision (DSA art. 20), decided by
    another moderator. One per statement."""

    MAX_TEXT_LENGTH = 4000

    statement = models.OneToOneField(
        StatementOfReasons, on_delete=models.PROTECT, related_name="appeal"
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_appeals",
    )
    text = models.TextField(
        pgettext_lazy("appeal field", "your appeal"), max_length=MAX_TEXT_LENGTH
    )
    status = models.CharField(
        max_length=16, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "appeal")
        verbose_name_plural = pgettext_lazy("model", "appeals")
        indexes = [models.Index(fields=["status", "created_at"], name="moderation_appeal_queue")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=AppealStatus.values),
                name="moderation_appeal_status_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="open", decided_at__isnull=True)
                    | (
                        ~models.Q(status="open")
                        & models.Q(decided_at__isnull=False)
                        & ~models.Q(outcome_reason="")
                    )
                ),
                name="moderation_appeal_decided_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Appeal against {self.statement_id}"


class SanctionKind(models.TextChoices):
    WARNING = "warning", pgettext_lazy("sanction", "Warning")
    SUSPENSION = "suspension", pgettext_lazy("sanction", "Suspension")
    BAN = "ban", pgettext_lazy("sanction", "Ban")


class Sanction(PublicIdModel):
    """A warning, suspension or ban of a member, in one community or (``community``
    NULL) on the whole site. A suspension ends at ``until``; a ban (``until`` NULL) does
    not. ``lifted_at`` is set when an appeal reverses it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_sanctions"
    )
    kind = models.CharField(max_length=16, choices=SanctionKind.choices)
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    until = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="sanctions")
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "sanction")
        verbose_name_plural = pgettext_lazy("model", "sanctions")
        indexes = [models.Index(fields=["user", "kind"], name="moderation_sanction_user")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SanctionKind.values),
                name="moderation_sanction_kind_valid",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="suspension", until__isnull=False)
                    | models.Q(kind__in=["warning", "ban"], until__isnull=True)
                ),
                name="moderation_sanction_until_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.user_id}"


class ModeratorNote(PublicIdModel):
    """A moderator's private note about a member. ``organization`` set: seen by that
    organisation's moderators and administrators (and site staff); NULL: site staff
    only."""

    MAX_TEXT_LENGTH = 2000

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_notes_about"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderator_notes_written",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(
        pgettext_lazy("moderator note field", "note"), max_length=MAX_TEXT_LENGTH
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "moderator note")
        verbose_name_plural = pgettext_lazy("model", "moderator notes")
        indexes = [models.Index(fields=["subject", "-created_at"], name="moderation_note_subject")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="moderation_note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Note on {self.subject_id}"


class ContentLabel(TimeStampedModel):
    """A label shown with an item of content ("disputed — see the professional's
    note"), put there by a decision; ``removed_at`` when an appeal reverses it."""

    kind = models.CharField(max_length=32)
    object_id = models.PositiveBigIntegerField()
    text = models.CharField(max_length=200)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="labels")
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = pgettext_lazy("model", "content label")
        verbose_name_plural = pgettext_lazy("model", "content labels")
        indexes = [models.Index(fields=["kind", "object_id"], name="moderation_label_object")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="moderation_label_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text
