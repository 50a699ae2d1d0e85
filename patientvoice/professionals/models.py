"""Verified healthcare professionals (issue 6, items 1-3; decisions/0033).

* :class:`VerificationRequest`: a member's application, with the evidence file kept in
  private storage until a verifier decides.
* :class:`Credential`: what an approval gives. The *current* credential of a person is
  the one neither revoked nor superseded (at most one, a database constraint); it is
  *active* while it has not expired. Later parts (expert notes, questions, advisers) ask
  ``queries.credential_of(user)`` or ``queries.active_credentials(user_ids)``.
* :class:`ProfessionalNotice`: what the applicant or holder is told in the app (and by
  e-mail): a decision, a revocation, an expiry coming or come.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import PublicIdModel


class Profession(models.TextChoices):
    """The 22 professions Socialstyrelsen licenses (legitimationsyrken), by their
    English names; the Swedish titles come from the catalogue. ``SWEDISH_TITLES``
    keeps the register's own words for registry backends."""

    PHARMACIST = "pharmacist", pgettext_lazy("profession", "Pharmacist")
    OCCUPATIONAL_THERAPIST = (
        "occupational_therapist",
        pgettext_lazy("profession", "Occupational therapist"),
    )
    AUDIOLOGIST = "audiologist", pgettext_lazy("profession", "Audiologist")
    MIDWIFE = "midwife", pgettext_lazy("profession", "Midwife")
    BIOMEDICAL_SCIENTIST = (
        "biomedical_scientist",
        pgettext_lazy("profession", "Biomedical scientist"),
    )
    DIETITIAN = "dietitian", pgettext_lazy("profession", "Dietitian")
    PHYSIOTHERAPIST = "physiotherapist", pgettext_lazy("profession", "Physiotherapist")
    MEDICAL_SOCIAL_WORKER = (
        "medical_social_worker",
        pgettext_lazy("profession", "Health and medical care social worker"),
    )
    CHIROPRACTOR = "chiropractor", pgettext_lazy("profession", "Chiropractor")
    SPEECH_THERAPIST = (
        "speech_therapist",
        pgettext_lazy("profession", "Speech and language therapist"),
    )
    PHYSICIAN = "physician", pgettext_lazy("profession", "Physician")
    NAPRAPATH = "naprapath", pgettext_lazy("profession", "Naprapath")
    OPTICIAN = "optician", pgettext_lazy("profession", "Optician")
    PROSTHETIST = "prosthetist", pgettext_lazy("profession", "Prosthetist and orthotist")
    PSYCHOLOGIST = "psychologist", pgettext_lazy("profession", "Psychologist")
    PSYCHOTHERAPIST = "psychotherapist", pgettext_lazy("profession", "Psychotherapist")
    DISPENSING_PHARMACIST = (
        "dispensing_pharmacist",
        pgettext_lazy("profession", "Dispensing pharmacist"),
    )
    RADIOGRAPHER = "radiographer", pgettext_lazy("profession", "Radiographer")
    MEDICAL_PHYSICIST = "medical_physicist", pgettext_lazy("profession", "Medical physicist")
    NURSE = "nurse", pgettext_lazy("profession", "Registered nurse")
    DENTAL_HYGIENIST = "dental_hygienist", pgettext_lazy("profession", "Dental hygienist")
    DENTIST = "dentist", pgettext_lazy("profession", "Dentist")
    OUTSIDE_SWEDEN = "outside_sweden", pgettext_lazy("profession", "Licensed outside Sweden")


# The title each profession has in Socialstyrelsen's register of licensed health care
# personnel (HOSP), for registry backends; not shown (the catalogue translates labels).
SWEDISH_TITLES: dict[str, str] = {
    Profession.PHARMACIST: "Apotekare",
    Profession.OCCUPATIONAL_THERAPIST: "Arbetsterapeut",
    Profession.AUDIOLOGIST: "Audionom",
    Profession.MIDWIFE: "Barnmorska",
    Profession.BIOMEDICAL_SCIENTIST: "Biomedicinsk analytiker",
    Profession.DIETITIAN: "Dietist",
    Profession.PHYSIOTHERAPIST: "Fysioterapeut",
    Profession.MEDICAL_SOCIAL_WORKER: "Hälso- och sjukvårdskurator",
    Profession.CHIROPRACTOR: "Kiropraktor",
    Profession.SPEECH_THERAPIST: "Logoped",
    Profession.PHYSICIAN: "Läkare",
    Profession.NAPRAPATH: "Naprapat",
    Profession.OPTICIAN: "Optiker",
    Profession.PROSTHETIST: "Ortopedingenjör",
    Profession.PSYCHOLOGIST: "Psykolog",
    Profession.PSYCHOTHERAPIST: "Psykoterapeut",
    Profession.DISPENSING_PHARMACIST: "Receptarie",
    Profession.RADIOGRAPHER: "Röntgensjuksköterska",
    Profession.MEDICAL_PHYSICIST: "Sjukhusfysiker",
    Profession.NURSE: "Sjuksköterska",
    Profession.DENTAL_HYGIENIST: "Tandhygienist",
    Profession.DENTIST: "Tandläkare",
}


class RequestStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("verification status", "Waiting for a verifier")
    APPROVED = "approved", pgettext_lazy("verification status", "Approved")
    REJECTED = "rejected", pgettext_lazy("verification status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("verification status", "Withdrawn")


class EvidenceKind(models.TextChoices):
    PDF = "pdf", pgettext_lazy("evidence kind", "PDF document")
    IMAGE = "image", pgettext_lazy("evidence kind", "Picture")


class ProfessionFields(PublicIdModel):
    """What an application states and a credential keeps: the profession (or, licensed
    outside Sweden, the country and the profession in the person's words), the
    specialty, the name on the licence and the public conflict-of-interest
    declaration."""

    MAX_TEXT = 200
    MAX_TIES = 2_000

    profession = models.CharField(
        pgettext_lazy("professional field", "profession"),
        max_length=32,
        choices=Profession.choices,
    )
    # ISO 3166-1 alpha-2: "SE" for a Swedish licence.
    country = models.CharField(
        pgettext_lazy("professional field", "country of licence"), max_length=2, default="SE"
    )
    profession_text = models.CharField(
        pgettext_lazy("professional field", "profession (as licensed there)"),
        max_length=MAX_TEXT,
        blank=True,
    )
    specialty = models.CharField(
        pgettext_lazy("professional field", "specialty"), max_length=MAX_TEXT, blank=True
    )
    real_name = models.CharField(
        pgettext_lazy("professional field", "name on the licence"), max_length=MAX_TEXT
    )
    shows_real_name = models.BooleanField(
        pgettext_lazy("professional field", "appear under my real name"), default=True
    )
    employer = models.CharField(
        pgettext_lazy("professional field", "employer"), max_length=MAX_TEXT, blank=True
    )
    # Ties to pharmaceutical or medical device companies in the last three years; empty
    # only when the person ticked "none".
    industry_ties = models.TextField(
        pgettext_lazy("professional field", "ties to pharmaceutical or device companies"),
        max_length=MAX_TIES,
        blank=True,
    )

    class Meta:
        abstract = True

    @property
    def is_outside_sweden(self) -> bool:
        return self.profession == Profession.OUTSIDE_SWEDEN

    def profession_label(self) -> str:
        """ "Registered nurse", or for a licence outside Sweden "Nurse (NO)"."""
        if self.is_outside_sweden:
            return f"{self.profession_text} ({self.country})"
        return str(Profession(self.profession).label)


def _profession_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(profession__in=Profession.values), name=f"{prefix}_profession_valid"
        ),
        # Licensed outside Sweden: a country other than Sweden and the profession in
        # words; a Swedish profession: Sweden and no free text.
        models.CheckConstraint(
            condition=(
                Q(profession=Profession.OUTSIDE_SWEDEN)
                & ~Q(country="SE")
                & ~Q(profession_text="")
                & Q(country__regex=r"^[A-Z]{2}$")
            )
            | (~Q(profession=Profession.OUTSIDE_SWEDEN) & Q(country="SE", profession_text="")),
            name=f"{prefix}_country_fits_profession",
        ),
        models.CheckConstraint(condition=~Q(real_name=""), name=f"{prefix}_real_name_given"),
    ]


class VerificationRequest(ProfessionFields):
    """A member asks to be verified as a licensed professional. A verifier approves
    (a :class:`Credential` is made) or rejects it with a reason the member reads; the
    member may withdraw it while it waits. At most one waits per person."""

    MAX_LICENCE = 64
    MAX_REASON = 2_000

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="verification_requests",
    )
    licence_number = models.CharField(
        pgettext_lazy("professional field", "licence or registration number"),
        max_length=MAX_LICENCE,
    )
    workplace = models.CharField(
        pgettext_lazy("professional field", "workplace"), max_length=ProfessionFields.MAX_TEXT
    )
    # The evidence file: its name in storages["private"] while it is kept (empty after
    # the decision unless PV_KEEP_VERIFICATION_EVIDENCE), and for good its kind, the
    # SHA-256 and size of the file as sent.
    evidence_name = models.CharField(max_length=200, blank=True, editable=False)
    evidence_kind = models.CharField(max_length=8, choices=EvidenceKind.choices)
    evidence_sha256 = models.CharField(max_length=64)
    evidence_size = models.PositiveIntegerField()
    evidence_deleted_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = models.CharField(
        max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
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
        pgettext_lazy("professional field", "reason"), max_length=MAX_REASON, blank=True
    )
    # What registry backends answered (professionals.registries), newest run only.
    registry_results = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "verification request")
        verbose_name_plural = pgettext_lazy("model", "verification requests")
        indexes = [models.Index(fields=["status", "created_at"], name="verification_queue")]
        constraints = [
            *_profession_constraints("verification"),
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="verification_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(evidence_kind__in=EvidenceKind.values),
                name="verification_evidence_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(licence_number=""), name="verification_licence_given"
            ),
            models.CheckConstraint(
                condition=Q(status=RequestStatus.PENDING, decided_at__isnull=True)
                | (~Q(status=RequestStatus.PENDING) & Q(decided_at__isnull=False)),
                name="verification_decided_at_with_status",
            ),
            # A rejection always carries the reason the applicant reads.
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.REJECTED, reason=""),
                name="verification_rejection_has_reason",
            ),
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status=RequestStatus.PENDING),
                name="verification_one_pending_per_person",
            ),
        ]

    def __str__(self) -> str:
        # No names: audit entries keep this label after the person is erased.
        return f"verification request {self.public_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_name)


class Credential(ProfessionFields):
    """A verified professional's credential: made by an approval, active until it
    expires (``expires_at``), is revoked by staff, or is superseded by a newer
    approval (a re-confirmation). The badge shows the profession, specialty and
    ``verified_at``; the profile also shows the conflict-of-interest declaration."""

    MAX_REASON = 2_000

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credentials"
    )
    request = models.OneToOneField(
        VerificationRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="credential",
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    # The holder was told once that it expires soon; the expiry was handled (group
    # left, holder told, audited) by expire_credentials.
    expiry_warned_at = models.DateTimeField(null=True, blank=True)
    expiry_handled_at = models.DateTimeField(null=True, blank=True)
    # A newer approval took its place.
    superseded_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_reason = models.TextField(max_length=MAX_REASON, blank=True)

    class Meta:
        ordering = ["-verified_at", "-id"]
        verbose_name = pgettext_lazy("model", "professional credential")
        verbose_name_plural = pgettext_lazy("model", "professional credentials")
        indexes = [
            # active_credentials(): current credentials of a page of authors.
            models.Index(
                fields=["user", "expires_at"],
                condition=Q(revoked_at__isnull=True, superseded_at__isnull=True),
                name="credential_current",
            ),
            models.Index(
                fields=["expires_at"],
                condition=Q(
                    revoked_at__isnull=True,
                    superseded_at__isnull=True,
                    expiry_handled_at__isnull=True,
                ),
                name="credential_to_expire",
            ),
        ]
        constraints = [
            *_profession_constraints("credential"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("verified_at")),
                name="credential_expires_after_verification",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="credential_revocation_has_reason",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True, superseded_at__isnull=True),
                name="credential_one_current_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"credential {self.public_id}"

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None and self.superseded_at is None

    def is_active(self, now: datetime | None = None) -> bool:
        """Current and not expired: the person may act as a professional."""
        return self.is_current and self.expires_at > (now or timezone.now())

    @property
    def active(self) -> bool:
        return self.is_active()

    @property
    def is_expired(self) -> bool:
        return self.is_current and self.expires_at <= timezone.now()

    @property
    def declares_no_ties(self) -> bool:
        return not self.industry_ties

    def days_left(self, now: datetime | None = None) -> int:
        return max(0, (self.expires_at - (now or timezone.now())).days)


class NoticeKind(models.TextChoices):
    APPROVED = (
        "approved",
        pgettext_lazy("professional notice", "You are verified as a professional"),
    )
    REJECTED = (
        "rejected",
        pgettext_lazy("professional notice", "Your verification request was not approved"),
    )
    REVOKED = (
        "revoked",
        pgettext_lazy("professional notice", "Your professional verification was revoked"),
    )
    EXPIRING = (
        "expiring",
        pgettext_lazy("professional notice", "Your professional verification expires soon"),
    )
    EXPIRED = (
        "expired",
        pgettext_lazy("professional notice", "Your professional verification has expired"),
    )
    ADVISER_INVITED = (
        "adviser_invited",
        pgettext_lazy("professional notice", "An organisation invites you to be an adviser"),
    )


class ProfessionalNotice(PublicIdModel):
    """One thing the applicant or holder is told: a decision with its reason, a
    revocation, an expiry coming or come. Listed on their verification page (linked
    from the notification centre) and e-mailed to a verified address."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="professional_notices"
    )
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    request = models.ForeignKey(
        VerificationRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    credential = models.ForeignKey(
        Credential, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The verifier's or staff's reason, as written.
    text = models.TextField(blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "professional notice")
        verbose_name_plural = pgettext_lazy("model", "professional notices")
        indexes = [models.Index(fields=["recipient", "read_at"], name="professional_notice_unread")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NoticeKind.values), name="professional_notice_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


# --- questions for professionals (issue 6, item 5; decisions/0037) -------------------------


class QuestionField(models.TextChoices):
    """What a question for professionals is about: a short fixed list, so that the
    queue can offer each professional the questions of their field."""

    MEDICINES = "medicines", pgettext_lazy("question field", "Medicines and pharmacy")
    NURSING = "nursing", pgettext_lazy("question field", "Nursing and care")
    GENERAL_MEDICINE = "general_medicine", pgettext_lazy("question field", "General medicine")
    MENTAL_HEALTH = "mental_health", pgettext_lazy("question field", "Mental health")
    NUTRITION = "nutrition", pgettext_lazy("question field", "Food and nutrition")
    REHABILITATION = (
        "rehabilitation",
        pgettext_lazy("question field", "Physiotherapy and rehabilitation"),
    )
    DENTAL = "dental", pgettext_lazy("question field", "Teeth and mouth")
    PREGNANCY = "pregnancy", pgettext_lazy("question field", "Pregnancy and birth")
    OTHER = "other", pgettext_lazy("question field", "Other")


# The fields whose questions a profession sees in its queue by default ("show all
# fields" shows the rest). A licence outside Sweden says nothing we can map: all fields.
FIELDS_BY_PROFESSION: dict[str, frozenset[str]] = {
    Profession.PHARMACIST: frozenset({QuestionField.MEDICINES}),
    Profession.DISPENSING_PHARMACIST: frozenset({QuestionField.MEDICINES}),
    Profession.PHYSICIAN: frozenset(
        {
            QuestionField.GENERAL_MEDICINE,
            QuestionField.MEDICINES,
            QuestionField.MENTAL_HEALTH,
            QuestionField.PREGNANCY,
            QuestionField.OTHER,
        }
    ),
    Profession.NURSE: frozenset(
        {
            QuestionField.NURSING,
            QuestionField.GENERAL_MEDICINE,
            QuestionField.MEDICINES,
            QuestionField.OTHER,
        }
    ),
    Profession.MIDWIFE: frozenset({QuestionField.PREGNANCY, QuestionField.NURSING}),
    Profession.PSYCHOLOGIST: frozenset({QuestionField.MENTAL_HEALTH}),
    Profession.PSYCHOTHERAPIST: frozenset({QuestionField.MENTAL_HEALTH}),
    Profession.MEDICAL_SOCIAL_WORKER: frozenset({QuestionField.MENTAL_HEALTH, QuestionField.OTHER}),
    Profession.DIETITIAN: frozenset({QuestionField.NUTRITION}),
    Profession.PHYSIOTHERAPIST: frozenset({QuestionField.REHABILITATION}),
    Profession.OCCUPATIONAL_THERAPIST: frozenset({QuestionField.REHABILITATION}),
    Profession.CHIROPRACTOR: frozenset({QuestionField.REHABILITATION}),
    Profession.NAPRAPATH: frozenset({QuestionField.REHABILITATION}),
    Profession.PROSTHETIST: frozenset({QuestionField.REHABILITATION}),
    Profession.SPEECH_THERAPIST: frozenset({QuestionField.REHABILITATION, QuestionField.OTHER}),
    Profession.DENTIST: frozenset({QuestionField.DENTAL}),
    Profession.DENTAL_HYGIENIST: frozenset({QuestionField.DENTAL}),
    Profession.RADIOGRAPHER: frozenset({QuestionField.GENERAL_MEDICINE, QuestionField.OTHER}),
    Profession.BIOMEDICAL_SCIENTIST: frozenset(
        {QuestionField.GENERAL_MEDICINE, QuestionField.OTHER}
    ),
    Profession.AUDIOLOGIST: frozenset({QuestionField.OTHER}),
    Profession.OPTICIAN: frozenset({QuestionField.OTHER}),
    Profession.MEDICAL_PHYSICIST: frozenset({QuestionField.OTHER}),
    Profession.OUTSIDE_SWEDEN: frozenset(QuestionField.values),
}


class ProfessionalQuestion(PublicIdModel):
    """A thread its author marked as a question for verified professionals, in a
    ``field``. The first professional answer is kept on write (``questions``): the
    earliest published reply, not by the asker, whose author held an active credential
    when it was published; with the profession of that credential and how long the
    question waited (``answer_seconds``, for the organisations' median)."""

    thread = models.OneToOneField(
        "communities.Thread", on_delete=models.CASCADE, related_name="professional_question"
    )
    field = models.CharField(
        pgettext_lazy("question field", "field"), max_length=32, choices=QuestionField.choices
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="professional_questions",
    )
    asked_at = models.DateTimeField()
    first_answer_post = models.ForeignKey(
        "communities.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    first_answer_at = models.DateTimeField(null=True, blank=True)
    first_answer_credential = models.ForeignKey(
        Credential, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A Profession key, kept with the answer (the credential may later be erased).
    first_answer_profession = models.CharField(max_length=32, blank=True)
    # From asked_at to first_answer_at, in seconds; 0 when a professional had answered
    # before the thread was marked.
    answer_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = pgettext_lazy("model", "question for professionals")
        verbose_name_plural = pgettext_lazy("model", "questions for professionals")
        indexes = [models.Index(fields=["asked_at"], name="professional_question_asked")]
        constraints = [
            models.CheckConstraint(
                condition=Q(field__in=QuestionField.values), name="professional_question_field"
            ),
            models.CheckConstraint(
                condition=Q(
                    first_answer_at__isnull=True,
                    first_answer_profession="",
                    answer_seconds__isnull=True,
                )
                | (
                    Q(first_answer_at__isnull=False, answer_seconds__isnull=False)
                    & Q(first_answer_profession__in=Profession.values)
                ),
                name="professional_question_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"question {self.public_id}"

    @property
    def is_answered(self) -> bool:
        return self.first_answer_at is not None


# --- advisers (issue 6, item 7; decisions/0037) ---------------------------------------------


class AdviserStatus(models.TextChoices):
    INVITED = "invited", pgettext_lazy("adviser status", "Invited")
    ACTIVE = "active", pgettext_lazy("adviser status", "Adviser")
    DECLINED = "declined", pgettext_lazy("adviser status", "Declined")
    ENDED = "ended", pgettext_lazy("adviser status", "Ended")


OPEN_ADVISER_STATUSES = (AdviserStatus.INVITED, AdviserStatus.ACTIVE)


class AdviserRole(PublicIdModel):
    """A verified professional invited by the administrators of the organisation that
    hosts ``community`` to advise it: invited, then accepted (active) or declined; the
    administrators may end it. The organisation is the community's, so a community
    moved to another organisation takes its advisers with it. At most one open
    (invited or active) role per community and professional."""

    MAX_REASON = 2_000

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="adviser_roles"
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adviser_roles"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        max_length=16, choices=AdviserStatus.choices, default=AdviserStatus.INVITED
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ended_reason = models.TextField(max_length=MAX_REASON, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "adviser role")
        verbose_name_plural = pgettext_lazy("model", "adviser roles")
        indexes = [
            models.Index(fields=["professional", "status"], name="adviser_role_professional"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AdviserStatus.values), name="adviser_role_status_valid"
            ),
            models.UniqueConstraint(
                fields=["community", "professional"],
                condition=Q(status__in=OPEN_ADVISER_STATUSES),
                name="adviser_role_one_open",
            ),
            models.CheckConstraint(
                condition=Q(status=AdviserStatus.ENDED, ended_at__isnull=False)
                | (~Q(status=AdviserStatus.ENDED) & Q(ended_at__isnull=True)),
                name="adviser_role_ended_at_with_status",
            ),
        ]

    def __str__(self) -> str:
        # No names: audit entries keep this label after the person is erased.
        return f"adviser role {self.public_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ADVISER_STATUSES
