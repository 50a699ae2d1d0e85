from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import pgettext

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
class UserAdmin(admin.ModelAdmin[User]):
    form = UserAdminForm
    list_display = ["handle", "presence", "is_staff", "is_active", "date_joined"]
    search_fields = ["handle", "email"]
    list_filter = ["is_staff", "is_active", "presence"]
    readonly_fields = ["public_id", "handle_canonical", "date_joined", "last_login", "password"]
    exclude = ["user_permissions"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin[PolicyVersion]):
    """A published version is what people consented to: add new ones, never edit."""

    list_display = ["kind", "version", "effective_at"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin[ConsentRecord]):
    list_display = ["user", "purpose", "granted", "policy", "at"]
    list_filter = ["purpose", "granted"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


admin.site.register(PastHandle)
