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
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganizationKind.values), name="organization_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"slug": self.slug})


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
