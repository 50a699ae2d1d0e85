from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from patientvoice.core.admin_site import AuditedModelAdmin

from .models import Condition


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
