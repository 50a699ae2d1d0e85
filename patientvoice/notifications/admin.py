from django.contrib import admin

from patientvoice.core.admin_site import AuditedModelAdmin

from .models import Notification, NotificationState, Subscription


@admin.register(NotificationState)
class NotificationStateAdmin(AuditedModelAdmin):
    list_display = ("user", "email_frequency", "unread_count", "last_digest_at")
    list_filter = ("email_frequency",)
    readonly_fields = ("user", "unread_count", "last_digest_at")
    raw_id_fields = ("user",)


@admin.register(Subscription)
class SubscriptionAdmin(AuditedModelAdmin):
    list_display = ("user", "thread", "community", "created_at")
    raw_id_fields = ("user", "thread", "community")


@admin.register(Notification)
class NotificationAdmin(AuditedModelAdmin):
    list_display = ("recipient", "kind", "post", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    readonly_fields = ("recipient", "post", "kind", "read_at", "emailed_at")
    raw_id_fields = ("recipient", "post")
