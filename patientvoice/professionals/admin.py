"""Professionals in the admin: to look at, never to change. Requests are decided and
credentials revoked on the verifiers' pages (audited, the person told); an edit here
would bypass both."""

from __future__ import annotations

from django.contrib import admin

from patientvoice.moderation.admin import ReadOnlyAdmin

from .models import Credential, ProfessionalNotice, VerificationRequest


@admin.register(VerificationRequest)
class VerificationRequestAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "applicant", "profession", "country", "status", "created_at"]
    list_filter = ["status", "profession", "evidence_kind"]
    list_select_related = ["applicant"]
    search_fields = ["public_id", "applicant__handle"]
    exclude = ["evidence_name"]


@admin.register(Credential)
class CredentialAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "user", "profession", "verified_at", "expires_at", "revoked_at"]
    list_filter = ["profession"]
    list_select_related = ["user"]
    search_fields = ["public_id", "user__handle"]


@admin.register(ProfessionalNotice)
class ProfessionalNoticeAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    list_select_related = ["recipient"]
