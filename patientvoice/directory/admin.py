from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from patientvoice.core.admin_site import AuditedModelAdmin

from .models import Clinic, Condition, EntrySuggestion, Medicine, Physician


@admin.register(Condition)
class ConditionAdmin(AuditedModelAdmin):
    """Repair of names, synonyms and codes. The starter set comes from
    ``data/conditions.csv`` (``manage.py import_conditions``)."""

    list_display = ["slug", "name_sv", "name_en", "icd10", "category"]
    list_filter = ["category"]
    search_fields = ["slug", "name_sv", "name_en", "icd10", "search_text"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.search_text = obj.build_search_text()  # derived from the fields just edited
        super().save_model(request, obj, form, change)


class _EntryAdmin(AuditedModelAdmin):
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.search_text = obj.build_search_text()  # derived from the fields just edited
        super().save_model(request, obj, form, change)


@admin.register(Medicine)
class MedicineAdmin(_EntryAdmin):
    """Repair of names, brands and links. Catalogues come through
    ``manage.py import_medicines``."""

    list_display = ["slug", "name_sv", "inn_en", "atc_code", "prescription", "is_active"]
    list_filter = ["prescription", "is_active"]
    search_fields = ["slug", "name_sv", "inn_en", "atc_code", "search_text"]


@admin.register(Clinic)
class ClinicAdmin(_EntryAdmin):
    list_display = ["slug", "name", "kind", "region", "municipality", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["slug", "name", "municipality", "hsa_id", "search_text"]


@admin.register(Physician)
class PhysicianAdmin(_EntryAdmin):
    list_display = ["slug", "name", "profession", "specialty", "is_active"]
    list_filter = ["profession", "is_active"]
    search_fields = ["slug", "name", "specialty", "licence_id", "search_text"]
    autocomplete_fields = ["workplaces"]


@admin.register(EntrySuggestion)
class EntrySuggestionAdmin(AuditedModelAdmin):
    """For looking up suggestions; staff decide through ``actions.approve_suggestion``
    and ``decline_suggestion`` (which create the entry and audit), not by editing here."""

    list_display = ["name", "kind", "status", "suggested_by", "created_at", "decided_by"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "details"]
    readonly_fields = [
        "kind", "name", "details", "suggested_by", "status", "decided_by", "decided_at",
        "reason", "entry_slug", "created_at", "updated_at",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
