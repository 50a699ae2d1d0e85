from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import pgettext

from patientvoice.core.admin_site import AuditedModelAdmin

from .models import ConsentRecord, PastHandle, PolicyVersion, User
from .permissions import has_mfa


class UserAdminForm(forms.ModelForm[User]):
    class Meta:
        model = User
        exclude = ["user_permissions"]  # noqa: DJ006 - the admin chooses fields per fieldset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        privileged = data.get("is_staff") or data.get("is_superuser") or data.get("groups")
        if privileged and not has_mfa(self.instance):
            raise forms.ValidationError(
                pgettext(
                    "admin",
                    "This person has no two-step verification. They must turn it on "
                    "before they can be given a privileged role.",
                )
            )
        return data


@admin.register(User)
class UserAdmin(AuditedModelAdmin):
    form = UserAdminForm
    list_display = ["handle", "presence", "is_staff", "is_active", "date_joined"]
    search_fields = ["handle", "email"]
    list_filter = ["is_staff", "is_active", "presence"]
    # The handle changes only through accounts.actions.change_handle, which keeps the
    # old one reserved; erasure goes through the person's own deletion.
    readonly_fields = [
        "public_id", "handle", "handle_canonical", "date_joined", "last_login", "password",
        "erasure_requested_at", "erasure_mode", "published_count",
    ]  # fmt: skip
    exclude = ["user_permissions"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PolicyVersion)
class PolicyVersionAdmin(AuditedModelAdmin):
    """A published version is what people consented to: add new ones, never edit."""

    list_display = ["kind", "version", "effective_at"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin[ConsentRecord]):
    """Read-only: a consent is given or withdrawn by the person, never by staff."""

    list_display = ["user", "purpose", "granted", "policy", "at"]
    list_filter = ["purpose", "granted"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(PastHandle)
class PastHandleAdmin(admin.ModelAdmin[PastHandle]):
    """Read-only: freeing a past handle would let someone impersonate its owner."""

    list_display = ["handle", "created_at"]
    search_fields = ["handle"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
