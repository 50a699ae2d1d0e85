"""Patient advocacy organisations, healthcare providers and sponsors, and their staff;
sponsorships and the recorded approvals of sponsor-written texts (decisions/0038)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import PublicIdModel, TimeStampedModel


class OrganizationKind(models.TextChoices):
    ADVOCACY = "advocacy", pgettext_lazy("organisation kind", "Patient advocacy organisation")
    PROVIDER = "provider", pgettext_lazy("organisation kind", "Healthcare provider")
    SPONSOR = "sponsor", pgettext_lazy("organisation kind", "Sponsor")


class Organization(PublicIdModel):
    name = models.CharField(pgettext_lazy("organisation field", "name"), max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(
        max_length=16, choices=OrganizationKind.choices, default=OrganizationKind.ADVOCACY
    )
    description = models.TextField(pgettext_lazy("organisation field", "description"), blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="sv")
    website = models.URLField(pgettext_lazy("organisation field", "website"), blank=True)
    contact_email = models.EmailField(
        pgettext_lazy("organisation field", "contact e-mail"), blank=True
    )
    # The Swedish organisationsnummer (or a foreign registration), shown publicly.
    registration_number = models.CharField(
        pgettext_lazy("organisation field", "registration number"), max_length=40, blank=True
    )
    # Who funds the organisation, in its own words: shown on its page, so readers can
    # judge its independence (a pharmaceutical company's grant, member fees, ...).
    funding = models.TextField(pgettext_lazy("organisation field", "who funds us"), blank=True)
    # Verified: site staff checked that the organisation is who it says it is (its
    # registration, its people). The time is the flag: NULL means not verified.
    verified_at = models.DateTimeField(
        pgettext_lazy("organisation field", "verified at"), null=True, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("organisation field", "verified by"),
    )
    # A name in the default storage, written only by core.images (re-encoded, no
    # metadata, unguessable name); its size is kept for the <img> tag.
    logo = models.FileField(
        pgettext_lazy("organisation field", "logo"), max_length=200, blank=True, editable=False
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # A sponsor's medical information service (decisions/0038): members' questions to
    # the sponsor about its medicines go there privately, never to a public thread.
    medical_information_email = models.EmailField(
        pgettext_lazy("organisation field", "medical information e-mail"), blank=True
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
            # Who verified is meaningless without a verification (the time is the flag).
            models.CheckConstraint(
                condition=models.Q(verified_at__isnull=False) | models.Q(verified_by__isnull=True),
                name="organization_verifier_needs_verification",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"slug": self.slug})

    @property
    def is_verified(self) -> bool:
        """For templates: ``{% include "organizations/verified_badge.html" %}``."""
        return self.verified_at is not None


class OrganizationStaffQuerySet(models.QuerySet["OrganizationStaff"]):
    def with_powers(self) -> OrganizationStaffQuerySet:
        """Roles that carry powers over communities and content (hosting, moderating,
        guidelines, notes): every organisation's but a sponsor's. A sponsor funds without
        control: it never curates, ranks, boosts or hides anything (2001/83/EC art. 88,
        decisions/0038)."""
        return self.exclude(organization__kind=OrganizationKind.SPONSOR)

    def of_sponsors(self) -> OrganizationStaffQuerySet:
        """People who work for a sponsor: labelled wherever they appear."""
        return self.filter(organization__kind=OrganizationKind.SPONSOR)


class StaffRole(models.TextChoices):
    ADMIN = "admin", pgettext_lazy("organisation role", "Administrator")
    MODERATOR = "moderator", pgettext_lazy("organisation role", "Moderator")


class OrganizationStaff(TimeStampedModel):
    """A person acting for an organisation. Privileged: requires MFA (see actions)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organization_roles"
    )
    role = models.CharField(max_length=16, choices=StaffRole.choices)

    objects = OrganizationStaffQuerySet.as_manager()

    class Meta:
        ordering = ["organization", "role"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="org_staff_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=StaffRole.values), name="org_staff_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.role} @ {self.organization}"


# --- sponsorships (issue 7, item 6; decisions/0038) ---------------------------------------


class Sponsorship(PublicIdModel):
    """A sponsor organisation funds a community (``community``) or the whole site
    (``community`` NULL). Public: the transparency page lists every one, past ones too.

    Recorded and ended by site staff only (``sponsorship.record_sponsorship``,
    ``end_sponsorship``), never edited: a changed agreement ends this one and records a
    new one, so the public record keeps what was disclosed when. The sponsor must be an
    organisation of kind sponsor: the action and ``clean()`` check it, and a database
    trigger refuses anything else (migration 0007: a CHECK cannot see another table).
    """

    sponsor = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="sponsorships",
        limit_choices_to={"kind": OrganizationKind.SPONSOR},
        verbose_name=pgettext_lazy("sponsorship field", "sponsor"),
    )
    community = models.ForeignKey(
        "communities.Community",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sponsorships",
        verbose_name=pgettext_lazy("sponsorship field", "community"),
    )
    # What the money pays for, in the sponsor's agreement's words (one language).
    purpose = models.TextField(pgettext_lazy("sponsorship field", "what is funded"))
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="sv")
    # Optional: not every agreement states an amount, and we say so when it does not.
    amount = models.DecimalField(
        pgettext_lazy("sponsorship field", "amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    currency = models.CharField(
        pgettext_lazy("sponsorship field", "currency"), max_length=3, blank=True
    )
    starts_on = models.DateField(pgettext_lazy("sponsorship field", "starts on"))
    ends_on = models.DateField(pgettext_lazy("sponsorship field", "ends on"), null=True, blank=True)
    agreement_summary = models.TextField(pgettext_lazy("sponsorship field", "agreement summary"))
    agreement_url = models.URLField(
        pgettext_lazy("sponsorship field", "link to the agreement"), max_length=500, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Ended early by staff (``end_sponsorship``); the time is the flag.
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = pgettext_lazy("model", "sponsorship")
        verbose_name_plural = pgettext_lazy("model", "sponsorships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="sponsorship_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(models.Q(amount__isnull=True) & models.Q(currency=""))
                | (
                    models.Q(amount__isnull=False)
                    & models.Q(amount__gte=0)
                    & models.Q(currency__regex=r"^[A-Z]{3}$")
                ),
                name="sponsorship_amount_has_currency",
            ),
            models.CheckConstraint(
                condition=~models.Q(purpose="") & ~models.Q(agreement_summary=""),
                name="sponsorship_texts_given",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=False) | models.Q(ended_by__isnull=True),
                name="sponsorship_ender_needs_end",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _ in settings.LANGUAGES]),
                name="sponsorship_language_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sponsor} – {self.community or 'site'} ({self.starts_on})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.sponsor_id is not None and self.sponsor.kind != OrganizationKind.SPONSOR:
            raise ValidationError(
                {
                    "sponsor": pgettext_lazy(
                        "sponsorship form", "Only an organisation of the kind sponsor can fund."
                    )
                }
            )

    @property
    def is_site_wide(self) -> bool:
        return self.community_id is None


class SponsorContentApproval(TimeStampedModel):
    """The recorded medical and legal approval of one text written by sponsor staff,
    which a sponsor-controlled deployment holds until it is approved
    (``sponsor_approval``). One row per approval, never changed: the text's SHA-256
    names exactly what was approved (an edit is held again and needs a new one)."""

    # The publishing pipeline's hold reason for such a text.
    HOLD_CODE: ClassVar[str] = "sponsor.approval_required"

    # The content's model (``communities.post``) and row, as moderation names them.
    content_type = models.CharField(max_length=64)
    object_id = models.PositiveBigIntegerField()
    body_sha256 = models.CharField(max_length=64)
    sponsor = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who approved it (name and role: the sponsor's medical signatory, its legal
    # reviewer) and the sponsor's own reference for the approval.
    approver = models.CharField(pgettext_lazy("approval field", "approved by"), max_length=200)
    reference = models.CharField(pgettext_lazy("approval field", "reference"), max_length=100)
    # The site staff member who recorded the approval and published the text.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "approval of a sponsor's text")
        verbose_name_plural = pgettext_lazy("model", "approvals of sponsors' texts")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="sponsor_approval_content"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(body_sha256__regex=r"^[0-9a-f]{64}$"),
                name="sponsor_approval_sha256_format",
            ),
            models.CheckConstraint(
                condition=~models.Q(approver="") & ~models.Q(reference=""),
                name="sponsor_approval_names_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type}:{self.object_id} ({self.reference})"


class MedicalInformationStatus(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("medical information status", "Being sent")
    SENT = "sent", pgettext_lazy("medical information status", "Sent to the service")


class MedicalInformationRequest(PublicIdModel):
    """A member's private question to a sponsor's medical information service
    (``medical_information``; decisions/0038): about a medicine, often about a use the
    product information does not cover, which sponsor staff may never answer in
    public. Visible to the asker and site staff only; e-mailed to the service after
    commit with the asker's address as the reply address (they consented to that)."""

    MAX_QUESTION: ClassVar[int] = 4_000

    sponsor = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="medical_information_requests"
    )
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="medical_information_requests",
    )
    medicine = models.CharField(
        pgettext_lazy("medical information field", "medicine"), max_length=200
    )
    question = models.TextField(
        pgettext_lazy("medical information field", "question"), max_length=MAX_QUESTION
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="sv")
    # The detector found a possible side effect: the e-mail's subject says so, so the
    # service (which must assess what it receives on its own legal clock) sees it first.
    possible_side_effect = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16,
        choices=MedicalInformationStatus.choices,
        default=MedicalInformationStatus.WAITING,
    )
    sent_to = models.EmailField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "question to a medical information service")
        verbose_name_plural = pgettext_lazy("model", "questions to medical information services")
        indexes = [
            models.Index(fields=["asker", "-created_at"], name="medinfo_asker_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MedicalInformationStatus.values),
                name="medinfo_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(question="") & ~models.Q(medicine=""),
                name="medinfo_question_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sponsor} · {self.medicine} ({self.created_at:%Y-%m-%d})"
