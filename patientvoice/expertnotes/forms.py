"""The note form (add and edit) and the reply form. The actions decide; the forms only
carry what was typed back to the page (a refused note comes back with every field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from .models import (
    MAX_SOURCE_TITLE,
    MAX_SOURCE_URL,
    MAX_SOURCES,
    EvidenceLevel,
    ExpertNote,
    NoteAuthorReply,
    NoteKind,
)

# Shown on the form; the server never fetches them (no network access from the server).
SUGGESTED_SOURCES = (
    ("FASS", "https://www.fass.se/"),
    ("1177", "https://www.1177.se/"),
    ("Läkemedelsverket", "https://www.lakemedelsverket.se/"),
    ("Socialstyrelsen", "https://www.socialstyrelsen.se/"),
)
SOURCE_ROWS_SHOWN = 3


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("expert note form", "Kind of note"),
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        help_text=pgettext_lazy(
            "expert note form",
            "A correction says the text could mislead and what is right; context adds "
            "what a reader should also know; a confirmation says it agrees with current "
            "knowledge.",
        ),
    )
    body = forms.CharField(
        label=pgettext_lazy("expert note form", "Your note"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=ExpertNote.MAX_BODY_LENGTH,
        help_text=pgettext_lazy(
            "expert note form",
            "General information for everyone who reads this, in plain language. Not "
            "advice about the writer's own care. Markdown works.",
        ),
    )
    evidence_level = forms.ChoiceField(
        label=pgettext_lazy("expert note form", "Level of evidence (optional)"),
        choices=[("", pgettext_lazy("expert note form", "Not given")), *EvidenceLevel.choices],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(MAX_SOURCES):
            self.fields[f"source_title_{i}"] = forms.CharField(
                label=pgettext_lazy("expert note form", "Source %(number)s: title")
                % {"number": i + 1},
                max_length=MAX_SOURCE_TITLE,
                required=False,
            )
            self.fields[f"source_url_{i}"] = forms.CharField(
                label=pgettext_lazy("expert note form", "Source %(number)s: web address")
                % {"number": i + 1},
                max_length=MAX_SOURCE_URL,
                required=False,
                widget=forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
            )

    @classmethod
    def initial_from(cls, note: ExpertNote) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": note.kind,
            "body": note.body,
            "evidence_level": note.evidence_level,
        }
        for i, source in enumerate(note.source_list()):
            initial[f"source_title_{i}"] = source["title"]
            initial[f"source_url_{i}"] = source["url"]
        return initial

    def sources(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data.get(f"source_title_{i}", ""), data.get(f"source_url_{i}", ""))
            for i in range(MAX_SOURCES)
        ]

    def answers(self) -> dict[str, Any]:
        return {
            "kind": self.cleaned_data["kind"],
            "body": self.cleaned_data["body"],
            "evidence_level": self.cleaned_data.get("evidence_level", ""),
            "sources": self.sources(),
        }

    def source_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"source_title_{i}"], self[f"source_url_{i}"]) for i in range(MAX_SOURCES)]

    def rows_shown(self) -> int:
        """The first rows are always open; the rest open when something is in them."""
        filled = [
            i
            for i in range(MAX_SOURCES)
            if self[f"source_title_{i}"].value() or self[f"source_url_{i}"].value()
        ]
        return max(SOURCE_ROWS_SHOWN, (max(filled) + 1) if filled else 0)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=pgettext_lazy("expert note form", "Your reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=NoteAuthorReply.MAX_BODY_LENGTH,
    )
