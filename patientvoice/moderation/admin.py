"""Moderation records in the admin: to look at, never to change.

Everything moderation does goes through its actions, which write the statements of
reasons, e-mails and audit entries the law asks for; an edit here would bypass all
of it, and decisions and statements are append-only (decisions/0028). Staff decide on
the site's moderation pages; the admin shows the records for data repair questions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from patientvoice.core.admin_site import AuditedModelAdmin

from .models import (
    Appeal,
    Case,
    ContentLabel,
    Decision,
    ModeratorNote,
    Report,
    Sanction,
    StatementOfReasons,
    TrustedFlagger,
)


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "kind", "community", "source", "severity", "urgent", "status"]
    list_filter = ["status", "source", "severity", "urgent", "trusted", "kind"]
    list_select_related = ["community"]
    search_fields = ["public_id", "excerpt"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "reason", "is_notice", "trusted", "created_at"]
    list_filter = ["reason", "is_notice", "trusted", "kind"]
    search_fields = ["reference"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "action", "reason_code", "automated", "moderator", "created_at"]
    list_filter = ["action", "reason_code", "automated"]
    list_select_related = ["moderator"]


@admin.register(StatementOfReasons)
class StatementOfReasonsAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "restriction", "ground", "recipient", "created_at"]
    list_filter = ["restriction", "ground"]
    list_select_related = ["recipient"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "status", "appellant", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["appellant", "decided_by"]


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "kind", "user", "community", "until", "lifted_at"]
    list_filter = ["kind"]
    list_select_related = ["user", "community"]


@admin.register(TrustedFlagger)
class TrustedFlaggerAdmin(ReadOnlyAdmin):
    list_display = ["organization", "designated_at", "revoked_at"]
    list_select_related = ["organization"]


@admin.register(ModeratorNote)
class ModeratorNoteAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "subject", "organization", "created_at"]
    list_select_related = ["subject", "organization"]


@admin.register(ContentLabel)
class ContentLabelAdmin(ReadOnlyAdmin):
    list_display = ["kind", "object_id", "text", "removed_at"]
