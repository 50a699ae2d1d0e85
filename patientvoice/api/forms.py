from __future__ import annotations

from django import forms
from django.utils.translation import pgettext_lazy

from .models import TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("token form", "Name"),
        max_length=80,
        help_text=pgettext_lazy("token form", "So you can recognise it, e.g. “My diary app”."),
    )
    scope = forms.ChoiceField(
        label=pgettext_lazy("token form", "Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
    )
    lifetime_days = forms.TypedChoiceField(
        label=pgettext_lazy("token form", "Valid for"),
        coerce=int,
        choices=[
            (30, pgettext_lazy("token lifetime", "30 days")),
            (90, pgettext_lazy("token lifetime", "90 days")),
            (365, pgettext_lazy("token lifetime", "1 year")),
        ],
        initial=90,
    )
