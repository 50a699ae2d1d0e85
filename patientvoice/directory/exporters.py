"""What the directory holds about a person (data export) and how it forgets them
(erasure): the entries they suggested. Staff who decided a suggestion are named on it
only for the audit; that link is set to NULL with their user row."""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import register_exporter, rows

from .models import EntrySuggestion


@register_exporter("directory", models=["directory.EntrySuggestion"])
def export_directory(user: Any) -> dict[str, Any]:
    return {
        "entries_you_suggested": rows(
            EntrySuggestion.objects.filter(suggested_by=user).order_by("created_at", "pk"),
            "kind",
            "name",
            "details",
            "status",
            "created_at",
        ),
    }


@register_eraser("directory")
def erase_directory(user: Any, mode: str) -> None:
    # A suggestion's details are the person's own words; staff need none of them once
    # the person is gone (an approved entry stays, it is not theirs).
    EntrySuggestion.objects.filter(suggested_by=user).delete()
