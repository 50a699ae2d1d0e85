from django.contrib import admin
from django.http import HttpRequest

from patientvoice.core.admin_site import AuditedModelAdmin

from .models import Organization, OrganizationStaff


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin):
    """Verification is read-only here: staff verify on /organisations/manage/, where
    ``verify_organization`` records who and why. The logo changes only through the
    picture pipeline (core.images), on the organisation's edit page."""

    list_display = ["name", "slug", "kind", "verified_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    readonly_fields = [
        "public_id", "created_at", "updated_at", "verified_at", "verified_by", "logo",
    ]  # fmt: skip


@admin.register(OrganizationStaff)
class OrganizationStaffAdmin(AuditedModelAdmin):
    """Read-only: staff roles need a second factor, which organizations.actions.add_staff
    checks; the admin would skip that check."""

    list_display = ["organization", "user", "role", "created_at"]
    list_filter = ["role"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
