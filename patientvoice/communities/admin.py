from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from patientvoice.accounts.models import User
from patientvoice.core.admin_site import AuditedModelAdmin

from . import actions
from .models import Community, CommunityGuidelines, Post, PostRevision, Thread


@admin.register(Community)
class CommunityAdmin(AuditedModelAdmin):
    """Repair of names, descriptions and visibility. Members and posts change through
    the site (actions), so counts stay right."""

    list_display = ["name", "slug", "organization", "visibility", "member_count", "thread_count"]
    list_filter = ["visibility", "language"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["conditions"]
    readonly_fields = ["public_id", "member_count", "thread_count", "created_at", "updated_at"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Thread)
class ThreadAdmin(AuditedModelAdmin):
    list_display = ["title", "community", "is_published", "post_count", "last_post_at"]
    list_filter = ["is_published"]
    search_fields = ["title"]
    autocomplete_fields = ["conditions"]
    readonly_fields = [
        "public_id", "community", "author", "is_published", "post_count", "last_post_at",
        "created_at", "updated_at",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(CommunityGuidelines)
class CommunityGuidelinesAdmin(AuditedModelAdmin):
    """Staff publish a community's guidelines here. Adding one publishes the next
    version through ``actions.publish_guidelines``; a published version is never edited
    or deleted, because acceptances name the exact text people agreed to."""

    list_display = ["community", "version", "published_by", "created_at"]
    list_select_related = ["community", "published_by"]
    search_fields = ["community__name", "community__slug"]
    autocomplete_fields = ["community"]
    published_fields = ["community", "version", "body", "published_by", "created_at"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["community", "body"] if obj is None else self.published_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else self.published_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Not AuditedModelAdmin.save_model: the action writes and audits. The admin then
        # needs ``obj`` to be the saved row for its message, log entry and redirect.
        assert not change, "published guidelines are never edited"
        actor = request.user if isinstance(request.user, User) else None
        published = actions.publish_guidelines(
            actor=actor, community=form.cleaned_data["community"], body=form.cleaned_data["body"]
        )
        obj.__dict__.update(published.__dict__)


class PostRevisionInline(admin.TabularInline):  # type: ignore[type-arg]
    """Earlier versions of a post, for staff only; kept as they were written."""

    model = PostRevision
    fields = ["created_at", "edited_by", "body"]
    readonly_fields = ["created_at", "edited_by", "body"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Post)
class PostAdmin(AuditedModelAdmin):
    """Read-only: posts change through the site (actions and the pipeline). Staff see
    a post's earlier versions here."""

    list_display = ["public_id", "thread", "author", "status", "created_at", "edited_at"]
    list_filter = ["status"]
    list_select_related = ["thread", "author"]
    search_fields = ["public_id"]
    inlines = [PostRevisionInline]
    readonly_fields = [
        "public_id", "thread", "community", "author", "body", "language", "status",
        "hold_reasons", "published_at", "edited_at", "deleted_at", "helpful_count",
        "hug_count", "me_too_count", "created_at", "updated_at",
    ]  # fmt: skip

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
