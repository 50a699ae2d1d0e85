from django.contrib import admin
from django.http import HttpRequest

from patientvoice.core.admin_site import AuditedModelAdmin

from .models import Community, Thread


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
