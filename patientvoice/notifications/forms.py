from __future__ import annotations

from django import forms
from django.utils.translation import pgettext_lazy

from .models import EmailFrequency


class FollowForm(forms.Form):
    """A follow button: what to follow, and whether to follow or stop."""

    kind = forms.ChoiceField(choices=[("thread", "thread"), ("community", "community")])
    target = forms.UUIDField()
    follow = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    next = forms.CharField(required=False, max_length=2000)


class PreferencesForm(forms.Form):
    email_frequency = forms.ChoiceField(
        label=pgettext_lazy("notification settings", "E-mail me about notifications"),
        choices=EmailFrequency.choices,
        widget=forms.RadioSelect,
        help_text=pgettext_lazy(
            "notification settings",
            "E-mails name the discussion and show a short excerpt. They never include "
            "anything you can no longer read on the site.",
        ),
    )
