from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import pgettext_lazy

from patientvoice.core.admin_site import AuditedModelAdmin

from .models import (
    Organization,
    OrganizationKind,
    OrganizationStaff,
    SponsorContentApproval,
    Sponsorship,
)
from .sponsorship_queries import forget_sponsor_labels, forget_sponsorships


class OrganizationAdminForm(forms.ModelForm[Organization]):
    """The kind rules of decisions/0038 in words, before the database's triggers refuse
    them: a sponsor hosts no community, and a funder stays a sponsor."""

    class Meta:
        model = Organization
        fields = [
            "name", "slug", "kind", "description", "language", "website", "contact_email",
            "registration_number", "funding",
        ]  # fmt: skip

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"]
        organization = self.instance
        if organization.pk is None or kind == organization.kind:
            return kind
        if kind == OrganizationKind.SPONSOR and organization.communities.exists():
            raise forms.ValidationError(
                pgettext_lazy(
                    "organisation admin",
                    "This organisation hosts communities; a sponsor cannot host one. Move "
                    "its communities to another host first.",
                )
            )
        if kind != OrganizationKind.SPONSOR and organization.sponsorships.exists():
            raise forms.ValidationError(
                pgettext_lazy(
                    "organisation admin",
                    "This organisation has funded the site: it stays a sponsor, so the "
                    "public record of its funding stays true.",
                )
            )
        return kind


@admin.register(Organization)
class OrganizationAdmin(AuditedModelAdmin):
    """Verification is read-only here: staff verify on /organisations/manage/, where
    ``verify_organization`` records who and why. The logo changes only through the
    picture pipeline (core.images), on the organisation's edit page."""

    form = OrganizationAdminForm
    list_display = ["name", "slug", "kind", "verified_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    readonly_fields = [
        "public_id", "created_at", "updated_at", "verified_at", "verified_by", "logo",
    ]  # fmt: skip

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # A sponsor's name and slug are in the funding notices and its staff's labels.
        if obj.kind == OrganizationKind.SPONSOR or "kind" in form.changed_data:
            transaction.on_commit(forget_sponsorships)
            transaction.on_commit(forget_sponsor_labels)


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


class ReadOnlyAdmin(AuditedModelAdmin):
    """Public records written only by their actions (audited there): nothing to add,
    change or delete here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Sponsorship)
class SponsorshipAdmin(ReadOnlyAdmin):
    """Recorded and ended on /organisations/funding/ (``sponsorship``)."""

    list_display = ["sponsor", "community", "starts_on", "ends_on", "ended_at", "amount"]
    list_select_related = ["sponsor", "community"]
    list_filter = ["starts_on"]
    search_fields = ["sponsor__name", "community__name"]


@admin.register(SponsorContentApproval)
class SponsorContentApprovalAdmin(ReadOnlyAdmin):
    """Recorded on /organisations/funding/approvals/ (``sponsor_approval``)."""

    list_display = ["content_type", "object_id", "sponsor", "approver", "reference", "created_at"]
    list_select_related = ["sponsor"]
    search_fields = ["reference", "approver"]
