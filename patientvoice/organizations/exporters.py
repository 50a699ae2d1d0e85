from __future__ import annotations

from typing import Any

from patientvoice.accounts.exporting import register_exporter, rows

from .models import OrganizationStaff


@register_exporter("organization_roles", models=["organizations.OrganizationStaff"])
def export_roles(user: Any) -> list[dict[str, Any]]:
    return rows(
        OrganizationStaff.objects.filter(user=user), "organization__name", "role", "created_at"
    )
