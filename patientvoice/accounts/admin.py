from django.contrib import admin

from .models import ConsentRecord, PastHandle, PolicyVersion, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ["handle", "presence", "is_staff", "is_active", "date_joined"]
    search_fields = ["handle", "email"]
    list_filter = ["is_staff", "is_active", "presence"]
    readonly_fields = ["public_id", "handle_canonical", "date_joined", "last_login", "password"]
    exclude = ["user_permissions"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin[PolicyVersion]):
    list_display = ["kind", "version", "effective_at"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin[ConsentRecord]):
    list_display = ["user", "purpose", "granted", "policy", "at"]
    list_filter = ["purpose", "granted"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


admin.site.register(PastHandle)
