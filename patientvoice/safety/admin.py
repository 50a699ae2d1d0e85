"""Safety records in the admin: to look at, never to change. Signals are decided and
cases written on the safety officers' pages (audited, with the deadline kept right);
an edit here would bypass both.

Not registered, on purpose: ``ReporterRef`` (the one table that links a person to
their pseudonymous reference; nobody browses it) and ``SafetyMessage`` (a member's
private messages)."""

from __future__ import annotations

from django.contrib import admin

from patientvoice.moderation.admin import ReadOnlyAdmin

from .models import CaseEscalation, FollowUpAttempt, SafetyCase, SafetySignal


@admin.register(SafetySignal)
class SafetySignalAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "content_kind",
        "medicine_slug",
        "reaction",
        "confidence",
        "status",
        "day_zero",
        "created_at",
    ]
    list_filter = ["status", "origin", "source", "content_kind"]
    search_fields = ["public_id", "medicine_slug", "reaction"]
    exclude = ["decided_by"]


@admin.register(SafetyCase)
class SafetyCaseAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "reaction", "status", "day_zero", "due_at"]
    list_filter = ["status", "origin"]
    search_fields = ["public_id"]
    exclude = ["created_by", "updated_by"]


@admin.register(FollowUpAttempt)
class FollowUpAttemptAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "signal", "outcome", "created_at", "answered_at"]
    list_filter = ["outcome"]
    exclude = ["sent_by"]


@admin.register(CaseEscalation)
class CaseEscalationAdmin(ReadOnlyAdmin):
    list_display = ["case", "days_before", "sent_at", "recipients"]
