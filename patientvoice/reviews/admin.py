"""Reviews in the admin: to look at, never to change.

A review changes only through its author's actions or a moderator's audited decision
(issue 5: nobody else may hide, reorder or edit reviews), and summaries only with
them; an edit here would bypass both. Staff repair summaries with
``manage.py rebuild_review_summaries``."""

from __future__ import annotations

from django.contrib import admin

from patientvoice.moderation.admin import ReadOnlyAdmin

from .models import RatingSummary, Review, ReviewRevision


class ReviewRevisionInline(admin.TabularInline[ReviewRevision, Review]):
    model = ReviewRevision
    extra = 0
    can_delete = False
    fields = ["created_at", "scores", "body", "details"]
    readonly_fields = ["created_at", "scores", "body", "details"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "kind", "author", "status", "is_verified_experience", "created_at"]
    list_filter = ["kind", "status", "is_verified_experience", "on_behalf"]
    list_select_related = ["author"]
    search_fields = ["public_id"]
    inlines = [ReviewRevisionInline]


@admin.register(RatingSummary)
class RatingSummaryAdmin(ReadOnlyAdmin):
    list_display = ["kind", "medicine", "physician", "clinic", "condition", "count", "adjusted"]
    list_filter = ["kind"]
    list_select_related = ["medicine", "physician", "clinic", "condition"]
