"""Writes about organisations and their staff."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import check_mfa_for_privileged_role
from patientvoice.core import audit
from patientvoice.core.slugs import free_slug

from .models import Organization, OrganizationStaff, StaffRole


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
    language: str = "sv",
    contact_email: str = "",
    registration_number: str = "",
    funding: str = "",
) -> Organization:
    """Register an organisation; audited. Without ``slug`` one is made from ``name``
    that no other organisation uses (two "Diabetesföreningen" must both get a page)."""
    org = Organization.objects.create(
        name=name,
        slug=slug or free_slug(Organization, name, fallback="organisation"),
        kind=kind,
        description=description,
        website=website,
        language=language,
        contact_email=contact_email,
        registration_number=registration_number,
        funding=funding,
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


class LastAdministrator(ValueError):
    """An organisation must keep at least one administrator."""


@transaction.atomic
def remove_staff(*, actor: User | None, organization: Organization, user: User) -> bool:
    """Take away ``user``'s role. Refuses to remove the last administrator."""
    staff = OrganizationStaff.objects.filter(organization=organization, user=user).first()
    if staff is None:
        return False
    admins = OrganizationStaff.objects.filter(organization=organization, role=StaffRole.ADMIN)
    if staff.role == StaffRole.ADMIN and admins.count() <= 1:
        raise LastAdministrator(organization.slug)
    staff.delete()
    audit.record(
        actor=actor, action="organizations.staff_removed", target=organization,
        data={"user": str(user.public_id), "role": staff.role},
    )  # fmt: skip
    return True
