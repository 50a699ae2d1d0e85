from __future__ import annotations

from typing import Any

from patientvoice.accounts.exporting import register_exporter, rows

from .models import Organization, OrganizationStaff


@register_exporter("organization_roles", models=["organizations.OrganizationStaff"])
def export_roles(user: Any) -> list[dict[str, Any]]:
    return rows(
        OrganizationStaff.objects.filter(user=user), "organization__name", "role", "created_at"
    )


@register_exporter("organizations_verified", models=["organizations.Organization"])
def export_verifications(user: Any) -> list[dict[str, Any]]:
    """Organisations the person verified, as site staff."""
    return rows(Organization.objects.filter(verified_by=user), "name", "slug", "verified_at")
