"""Patient advocacy organisations, healthcare providers and sponsors, and their staff."""

from __future__ import annotations

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
