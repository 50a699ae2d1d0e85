"""Forms of the directory's pages. They check what a person typed; the rules that
matter live in the actions (``actions.suggest_entry``)."""

from __future__ import annotations

from django import forms
from django.utils.translation import pgettext_lazy

from .models import SuggestionKind


class SuggestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=pgettext_lazy("suggestion form", "What is missing?"),
        choices=SuggestionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": pgettext_lazy("suggestion form", "Choose what is missing.")},
    )
    name = forms.CharField(
        label=pgettext_lazy("suggestion form", "Name"),
        max_length=200,
        help_text=pgettext_lazy(
            "suggestion form",
            "The medicine's substance or brand name, or the clinic's or person's name.",
        ),
        error_messages={
            "required": pgettext_lazy("suggestion form", "Write the name."),
            "max_length": pgettext_lazy(
                "suggestion form", "The name can be at most 200 characters."
            ),
        },
    )
    details = forms.CharField(
        label=pgettext_lazy("suggestion form", "Details (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=pgettext_lazy(
            "suggestion form",
            "For example a brand name, a town or a web address. Do not write about your health.",
        ),
        error_messages={
            "max_length": pgettext_lazy(
                "suggestion form", "The details can be at most 2,000 characters."
            ),
        },
    )
