"""Forms of the professionals' pages. Field limits match the models; the rules live in
``actions.clean_application``, which the form and the action both run, so a refusal
is shown on its field with everything else kept."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from patientvoice.core.formrendering import ErrorSummaryMixin

from .actions import clean_application
from .errors import InvalidApplication
from .evidence import EvidenceField
from .models import Profession, ProfessionFields, VerificationRequest

REAL_NAME = "real_name"
HANDLE = "handle"


def profession_choices() -> list[tuple[str, str]]:
    """The professions by their name in the page's language, "licensed outside
    Sweden" last (evaluated per form, so the order follows the language)."""
    licensed = sorted(
        (
            (value, str(label))
            for value, label in Profession.choices
            if value != Profession.OUTSIDE_SWEDEN
        ),
        key=lambda choice: choice[1].casefold(),
    )
    return [
        ("", str(pgettext_lazy("professional form", "Choose your profession"))),
        *licensed,
        (Profession.OUTSIDE_SWEDEN.value, str(Profession.OUTSIDE_SWEDEN.label)),
    ]


class ApplicationForm(ErrorSummaryMixin, forms.Form):
    summary_names: ClassVar[dict[str, str | Promise]] = {
        "industry_ties": pgettext_lazy("professional form", "Ties to companies"),
        "confirm": pgettext_lazy("professional form", "Confirmation"),
    }

    profession = forms.ChoiceField(
        label=pgettext_lazy("professional form", "Profession"),
        choices=profession_choices,
        help_text=pgettext_lazy(
            "professional form",
            "The profession you are licensed in. Licensed in another country? Choose "
            "“Licensed outside Sweden” and fill in the two fields below it.",
        ),
    )
    country = forms.CharField(
        label=pgettext_lazy("professional form", "Country of your licence (outside Sweden only)"),
        help_text=pgettext_lazy(
            "professional form", "Its two-letter code, such as NO, DK, FI or DE."
        ),
        max_length=2,
        required=False,
        widget=forms.TextInput(attrs={"size": 3, "autocomplete": "off"}),
    )
    profession_text = forms.CharField(
        label=pgettext_lazy("professional form", "Your profession there (outside Sweden only)"),
        help_text=pgettext_lazy(
            "professional form", "As your licence names it, for example “Sykepleier”."
        ),
        max_length=ProfessionFields.MAX_TEXT,
        required=False,
    )
    licence_number = forms.CharField(
        label=pgettext_lazy("professional form", "Licence or registration number"),
        max_length=VerificationRequest.MAX_LICENCE,
    )
    specialty = forms.CharField(
        label=pgettext_lazy("professional form", "Specialty (optional)"),
        help_text=pgettext_lazy(
            "professional form",
            "For example “Cardiology” or “Diabetes nursing”. Shown on your badge.",
        ),
        max_length=ProfessionFields.MAX_TEXT,
        required=False,
    )
    workplace = forms.CharField(
        label=pgettext_lazy("professional form", "Workplace"),
        help_text=pgettext_lazy(
            "professional form", "Where you work now. Only verifiers see it, to check your request."
        ),
        max_length=ProfessionFields.MAX_TEXT,
    )
    real_name = forms.CharField(
        label=pgettext_lazy("professional form", "Your name as on your licence"),
        max_length=ProfessionFields.MAX_TEXT,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    shows_real_name = forms.ChoiceField(
        label=pgettext_lazy("professional form", "How you appear"),
        choices=[
            (
                REAL_NAME,
                pgettext_lazy(
                    "professional form",
                    "Under my real name, with the badge (recommended: members trust a "
                    "named professional more)",
                ),
            ),
            (HANDLE, pgettext_lazy("professional form", "Under my handle, with the badge")),
        ],
        initial=REAL_NAME,
        widget=forms.RadioSelect,
        help_text=pgettext_lazy(
            "professional form",
            "Your badge and your public professional card show the name you choose here.",
        ),
    )
    employer = forms.CharField(
        label=pgettext_lazy("professional form", "Employer"),
        help_text=pgettext_lazy(
            "professional form",
            "Part of your conflict-of-interest declaration. Anyone can read it on your "
            "professional card, which your badge links to.",
        ),
        max_length=ProfessionFields.MAX_TEXT,
        required=False,
    )
    industry_ties = forms.CharField(
        label=pgettext_lazy(
            "professional form",
            "Ties to pharmaceutical or medical device companies in the last three years",
        ),
        help_text=pgettext_lazy(
            "professional form",
            "Employment, consulting, lectures, research funding, shares, travel paid for. "
            "Anyone can read it on your professional card, which your badge links to.",
        ),
        max_length=ProfessionFields.MAX_TIES,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    no_industry_ties = forms.BooleanField(
        label=pgettext_lazy(
            "professional form", "None: I have had no such ties in the last three years"
        ),
        required=False,
    )
    evidence = EvidenceField(label=pgettext_lazy("professional form", "Evidence of your licence"))
    confirm = forms.BooleanField(
        label=pgettext_lazy(
            "professional form",
            "I hold this licence, and what I wrote is true. I will say if it changes.",
        ),
        error_messages={
            "required": pgettext_lazy(
                "professional form",
                "Tick the box to confirm that you hold this licence and that what you "
                "wrote is true.",
            )
        },
    )

    ANSWERS = (
        "profession",
        "country",
        "profession_text",
        "licence_number",
        "specialty",
        "workplace",
        "real_name",
        "employer",
        "industry_ties",
        "no_industry_ties",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if any(name in self.errors for name in self.ANSWERS):
            return cleaned
        try:
            clean_application(
                **{
                    name: cleaned.get(name) or ""
                    for name in self.ANSWERS
                    if name != "no_industry_ties"
                },
                no_industry_ties=bool(cleaned.get("no_industry_ties")),
            )
        except InvalidApplication as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))
        return cleaned

    def answers(self) -> dict[str, Any]:
        """What ``actions.submit_request`` takes, from a valid form."""
        data = self.cleaned_data
        answers: dict[str, Any] = {name: data.get(name) or "" for name in self.ANSWERS}
        answers["no_industry_ties"] = bool(data.get("no_industry_ties"))
        answers["shows_real_name"] = data.get("shows_real_name") == REAL_NAME
        answers["evidence"] = data["evidence"]
        return answers

    @classmethod
    def initial_from(cls, request: VerificationRequest | None) -> dict[str, Any]:
        """Earlier answers, to re-apply (re-confirmation) without typing them again.
        The evidence is never carried over: a new file is needed each time."""
        if request is None:
            return {}
        initial: dict[str, Any] = {
            name: getattr(request, name) for name in cls.ANSWERS if name != "no_industry_ties"
        }
        if request.profession != "outside_sweden":
            initial["country"] = ""
        initial["no_industry_ties"] = not request.industry_ties
        initial["shows_real_name"] = REAL_NAME if request.shows_real_name else HANDLE
        return initial


class DecisionForm(ErrorSummaryMixin, forms.Form):
    summary_names: ClassVar[dict[str, str | Promise]] = {
        "reason": pgettext_lazy("verification decision", "Reason"),
    }

    decision = forms.ChoiceField(
        label=pgettext_lazy("verification decision", "Decision"),
        choices=[
            ("approve", pgettext_lazy("verification decision", "Approve")),
            ("reject", pgettext_lazy("verification decision", "Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=pgettext_lazy("verification decision", "Reason (the applicant reads it)"),
        help_text=pgettext_lazy(
            "verification decision",
            "Required when you reject. How you checked it, when you approve.",
        ),
        max_length=VerificationRequest.MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "reject" and not str(cleaned.get("reason", "")).strip():
            self.add_error(
                "reason",
                pgettext_lazy(
                    "verification decision", "Say why you reject it: the applicant reads it."
                ),
            )
        return cleaned


class RevokeForm(ErrorSummaryMixin, forms.Form):
    summary_names: ClassVar[dict[str, str | Promise]] = {
        "reason": pgettext_lazy("credential revocation", "Reason"),
    }

    reason = forms.CharField(
        label=pgettext_lazy("credential revocation", "Reason (the professional reads it)"),
        max_length=VerificationRequest.MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
