from __future__ import annotations

from django import forms
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.accounts.queries import person_by_handle

from .models import StaffRole


class AddStaffForm(forms.Form):
    handle = forms.CharField(
        label=pgettext_lazy("organisation staff", "Handle of the person"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=pgettext_lazy("organisation staff", "Role"),
        choices=StaffRole.choices,
        initial=StaffRole.MODERATOR,
        widget=forms.RadioSelect,
    )

    def clean_handle(self) -> User:
        person = person_by_handle(self.cleaned_data["handle"])
        if person is None or not person.is_active or person.erasure_pending:
            raise forms.ValidationError(
                pgettext_lazy("organisation staff", "Nobody has that handle."), code="unknown"
            )
        return person
