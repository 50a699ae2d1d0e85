"""Writes about organisations and their staff."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import check_mfa_for_privileged_role
from patientvoice.core import audit

from .models import Organization, OrganizationStaff


def _free_slug(name: str) -> str:
    """A slug from ``name`` that no organisation has yet: "ledstod", "ledstod-2", ..."""
    max_length = Organization._meta.get_field("slug").max_length or 80
    base = slugify(name)[: max_length - 4].strip("-") or "organisation"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_organization(
    *,
    actor: User | None,
    name: str,
    kind: str,
    description: str = "",
    website: str = "",
    verified: bool = False,
    slug: str = "",
) -> Organization:
    """Register an organisation; audited. Without ``slug`` one is made from ``name``
    that no other organisation uses (two "Diabetesföreningen" must both get a page)."""
    org = Organization.objects.create(
        name=name,
        slug=slug or _free_slug(name),
        kind=kind,
        description=description,
        website=website,
        verified_at=timezone.now() if verified else None,
    )
    audit.record(actor=actor, action="organizations.created", target=org)
    return org


@transaction.atomic
def add_staff(
    *, actor: User | None, organization: Organization, user: User, role: str
) -> OrganizationStaff:
    """Give ``user`` a role. Raises PermissionDenied when ``user`` has no second factor."""
    check_mfa_for_privileged_role(user)
    staff, _ = OrganizationStaff.objects.update_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    audit.record(
        actor=actor,
        action="organizations.staff_added",
        target=organization,
        data={"user": str(user.public_id), "role": role},
    )
    return staff
