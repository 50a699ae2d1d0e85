"""Stories in the admin: to look at, never to change (a story changes only through its
author's actions or a moderator's audited decision). One exception: staff delete a
guest's comment when the guest asks for it after their link expired (their erasure,
decisions/0040), through the same action as the guest's own link, and audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from patientvoice.core import audit
from patientvoice.moderation.admin import ReadOnlyAdmin

from . import actions
from .models import Story, StoryComment, StoryRevision


@admin.register(Story)
class StoryAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "title", "author", "community", "status", "published_at"]
    list_filter = ["status", "language"]
    list_select_related = ["author", "community"]
    search_fields = ["public_id", "title"]


@admin.register(StoryRevision)
class StoryRevisionAdmin(ReadOnlyAdmin):
    list_display = ["story", "title", "edited_by", "created_at"]
    list_select_related = ["story", "edited_by"]


@admin.register(StoryComment)
class StoryCommentAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "story", "author", "guest_name", "status", "created_at"]
    list_filter = ["status"]
    list_select_related = ["story", "author"]
    search_fields = ["public_id", "guest_email"]
    actions = None  # no bulk deletion: one comment at a time, through the action

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is not None and obj.is_guest and bool(getattr(request.user, "is_staff", False))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(
            actor=request.user if request.user.is_authenticated else None,
            action="stories.guest_comment_deleted",
            target=obj,
            request=request,
        )
        actions.delete_guest_comment(comment=obj)
