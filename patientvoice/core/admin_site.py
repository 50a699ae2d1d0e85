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
