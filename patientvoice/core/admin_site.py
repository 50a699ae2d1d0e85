from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.http import HttpRequest


class AdminSite(admin.AdminSite):
    """Django admin for data repair. Staff need a second factor to enter."""

    site_header = "PatientVoice staff"
    site_title = "PatientVoice staff"

    def has_permission(self, request: HttpRequest) -> bool:
        from patientvoice.accounts.permissions import has_mfa

        return super().has_permission(request) and has_mfa(request.user)


class AdminConfig(DjangoAdminConfig):
    default_site = "patientvoice.core.admin_site.AdminSite"
