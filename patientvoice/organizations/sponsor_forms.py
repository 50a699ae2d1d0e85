"""Forms of the funding pages: recording and ending a sponsorship, and recording the
approval of a sponsor's text (site staff only). Limits match the actions' and the
columns'."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from patientvoice.communities.models import Community
from patientvoice.core.formrendering import ErrorSummaryMixin

from . import sponsor_approval, sponsorship
from .models import MedicalInformationRequest, Organization, OrganizationKind, Sponsorship


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class SponsorshipForm(forms.Form):
    sponsor = forms.ModelChoiceField(
        label=pgettext_lazy("sponsorship form", "Sponsor"),
        queryset=Organization.objects.filter(kind=OrganizationKind.SPONSOR).order_by("name"),
        empty_label=pgettext_lazy("sponsorship form", "Choose a sponsor"),
        help_text=pgettext_lazy(
            "sponsorship form",
            "Only organisations of the kind sponsor are listed. Register the funder as a "
            "new organisation first if it is missing.",
        ),
        error_messages={
            "required": pgettext_lazy("sponsorship form", "Choose a sponsor."),
            "invalid_choice": pgettext_lazy("sponsorship form", "Choose a sponsor from the list."),
        },
    )
    community = forms.SlugField(
        label=pgettext_lazy("sponsorship form", "Community"),
        help_text=pgettext_lazy(
            "sponsorship form",
            "The community's short name, as in its address /c/short-name/. Leave it empty "
            "when the sponsor funds the whole site.",
        ),
        max_length=Community._meta.get_field("slug").max_length,
        required=False,
    )
    purpose = forms.CharField(
        label=pgettext_lazy("sponsorship form", "What the money pays for"),
        help_text=pgettext_lazy(
            "sponsorship form", "Shown to everyone, in plain words: what the funding is used for."
        ),
        max_length=sponsorship.MAX_PURPOSE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    language = forms.ChoiceField(
        label=pgettext_lazy("sponsorship form", "Language of the texts"),
        choices=settings.LANGUAGES,
    )
    starts_on = forms.DateField(
        label=pgettext_lazy("sponsorship form", "Starts on"),
        widget=DateInput(),
        error_messages={"invalid": pgettext_lazy("sponsorship form", "Write a date: 2026-01-31.")},
    )
    ends_on = forms.DateField(
        label=pgettext_lazy("sponsorship form", "Ends on"),
        help_text=pgettext_lazy("sponsorship form", "Leave it empty if the agreement has no end."),
        widget=DateInput(),
        required=False,
        error_messages={"invalid": pgettext_lazy("sponsorship form", "Write a date: 2026-01-31.")},
    )
    amount = forms.DecimalField(
        label=pgettext_lazy("sponsorship form", "Amount"),
        help_text=pgettext_lazy(
            "sponsorship form", "Optional. The page says so when the amount is not stated."
        ),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    currency = forms.CharField(
        label=pgettext_lazy("sponsorship form", "Currency"),
        help_text=pgettext_lazy("sponsorship form", "Three capital letters, such as SEK or EUR."),
        max_length=3,
        required=False,
    )
    agreement_summary = forms.CharField(
        label=pgettext_lazy("sponsorship form", "Summary of the agreement"),
        help_text=pgettext_lazy(
            "sponsorship form",
            "Shown to everyone: what the sponsor gets and does not get. Say that it has "
            "no editorial control.",
        ),
        max_length=sponsorship.MAX_SUMMARY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    agreement_url = forms.URLField(
        label=pgettext_lazy("sponsorship form", "Link to the agreement"),
        help_text=pgettext_lazy("sponsorship form", "Optional: where the public can read it."),
        max_length=Sponsorship._meta.get_field("agreement_url").max_length,
        required=False,
    )

    def clean_community(self) -> Community | None:
        slug = self.cleaned_data.get("community") or ""
        if not slug:
            return None
        found = Community.objects.filter(slug=slug).first()
        if found is None:
            raise forms.ValidationError(
                pgettext_lazy("sponsorship form", "No community has that short name."),
                code="unknown",
            )
        return found

    def clean_currency(self) -> str:
        currency: str = self.cleaned_data.get("currency") or ""
        return currency.strip().upper()


class EndSponsorshipForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("sponsorship form", "Why does it end?"),
        help_text=pgettext_lazy("sponsorship form", "Kept in the audit log."),
        max_length=sponsorship.MAX_END_REASON_LENGTH,
        error_messages={"required": pgettext_lazy("sponsorship form", "Say why it ends.")},
    )


class ApprovalForm(forms.Form):
    approver = forms.CharField(
        label=pgettext_lazy("sponsor approval", "Approved by (name and role)"),
        help_text=pgettext_lazy(
            "sponsor approval",
            "The sponsor's medical signatory and legal reviewer who approved the text.",
        ),
        max_length=sponsor_approval.MAX_APPROVER_LENGTH,
        error_messages={
            "required": pgettext_lazy(
                "sponsor approval", "Write who approved the text, with their role."
            )
        },
    )
    reference = forms.CharField(
        label=pgettext_lazy("sponsor approval", "The sponsor's reference"),
        help_text=pgettext_lazy(
            "sponsor approval", "The number of the approval in the sponsor's own records."
        ),
        max_length=sponsor_approval.MAX_REFERENCE_LENGTH,
        error_messages={
            "required": pgettext_lazy(
                "sponsor approval", "Write the sponsor's reference for the approval."
            )
        },
    )


class MedicalInformationForm(ErrorSummaryMixin, forms.Form):
    """A private question to a sponsor's medical information service. Limits match
    ``medical_information``'s."""

    summary_names: ClassVar[dict[str, str | Promise]] = {
        "medicine": pgettext_lazy("medical information form", "Medicine"),
        "consent": pgettext_lazy("medical information form", "Consent"),
    }

    medicine = forms.CharField(
        label=pgettext_lazy("medical information form", "Which medicine is it about?"),
        max_length=200,
    )
    question = forms.CharField(
        label=pgettext_lazy("medical information form", "Your question"),
        help_text=pgettext_lazy(
            "medical information form",
            "Do not write your personal identity number. The service may ask for more "
            "when it answers you.",
        ),
        max_length=MedicalInformationRequest.MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    consent = forms.BooleanField(
        label=pgettext_lazy(
            "medical information form",
            "Send my question and my e-mail address to the service so that it can answer me",
        ),
        error_messages={
            "required": pgettext_lazy(
                "medical information form",
                "Nothing is sent without your consent: tick the box to send the question.",
            )
        },
    )
