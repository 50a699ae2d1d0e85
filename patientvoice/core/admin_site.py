from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.http import HttpRequest, HttpResponse


class AdminSite(admin.AdminSite):
    """Django admin for data repair. Staff enter only with a session that passed
    two-step verification; logging in goes through allauth (rate limits, TOTP)."""

    site_header = "PatientVoice staff"
    site_title = "PatientVoice staff"

    def has_permission(self, request: HttpRequest) -> bool:
        from patientvoice.accounts.permissions import privileges_active

        return super().has_permission(request) and privileges_active(request.user)

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # Never Django's own login form: it would skip the second factor and the
        # login rate limits. Signed-in people without access get a 403.
        from allauth.account.decorators import secure_admin_login

        response: HttpResponse = secure_admin_login(super().login)(request, extra_context)
        return response


class AdminConfig(DjangoAdminConfig):
    default_site = "patientvoice.core.admin_site.AdminSite"


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """The admin is for data repair; every change made there goes to the audit log
    (who, what, which fields), like the actions' own entries."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from patientvoice.core import audit

        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user if request.user.is_authenticated else None,
            action=f"admin.{obj._meta.label_lower}.{'changed' if change else 'added'}",
            target=obj,
            data={"fields": sorted(form.changed_data)},
            request=request,
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        from patientvoice.core import audit

        audit.record(
            actor=request.user if request.user.is_authenticated else None,
            action=f"admin.{obj._meta.label_lower}.deleted",
            target=obj,
            request=request,
        )
        super().delete_model(request, obj)
