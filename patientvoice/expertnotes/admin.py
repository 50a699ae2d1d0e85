"""Expert notes in the admin: to look at, never to change. A note changes only through
its author's actions or a moderator's audited decision; an edit here would bypass the
publishing pipeline and the revision history."""

from __future__ import annotations

from django.contrib import admin

from patientvoice.moderation.admin import ReadOnlyAdmin

from .models import ExpertNote, NoteAuthorReply


@admin.register(ExpertNote)
class ExpertNoteAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "kind", "author", "status", "helpful_count", "created_at"]
    list_filter = ["kind", "status"]


@admin.register(NoteAuthorReply)
class NoteAuthorReplyAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "author", "status", "created_at"]
    list_filter = ["status"]
