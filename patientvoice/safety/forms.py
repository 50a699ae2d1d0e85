"""Forms of the safety pages. Field limits match the models; the case's rules live in
``actions.clean_case``, which the form and the action both run, so a refusal is shown
on its field with everything else kept."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy

from patientvoice.core.formrendering import ErrorSummaryMixin

from .actions import clean_case
from .actions.signals import MAX_REASON_LENGTH
from .concepts import reaction_choices
from .errors import InvalidInput
from .models import (
    CRITERIA_FIELDS,
    SERIOUSNESS_FIELDS,
    FollowUpAttempt,
    MissingDetail,
    Origin,
    SafetyCase,
    SafetySignal,
)

NOT_A_CASE = "not_a_case"
FOLLOW_UP = "follow_up"
CASE = "case"


class DecisionForm(ErrorSummaryMixin, forms.Form):
    """Triage of one signal: not a case (with the reason), needs follow-up (the
    follow-up form comes next), or a case (the case form comes next)."""

    decision = forms.ChoiceField(
        label=pgettext_lazy("safety decision form", "Decision"),
        choices=[
            (NOT_A_CASE, pgettext_lazy("safety decision form", "Not a case")),
            (FOLLOW_UP, pgettext_lazy("safety decision form", "Needs follow-up: ask the author")),
            (CASE, pgettext_lazy("safety decision form", "A case: fill in the case form")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=pgettext_lazy("safety decision form", "Why it is not a case"),
        help_text=pgettext_lazy(
            "safety decision form",
            "Required for “Not a case”. For example: the medicine is not what caused it, or "
            "the writer says they did not get the reaction.",
        ),
        max_length=MAX_REASON_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == NOT_A_CASE and not (data.get("reason") or "").strip():
            self.add_error(
                "reason",
                pgettext_lazy("safety error", "Say why this is not a case. The reason is kept."),
            )
        return data


class FollowUpForm(ErrorSummaryMixin, forms.Form):
    asked_for = forms.MultipleChoiceField(
        label=pgettext_lazy("safety follow-up form", "What to ask for"),
        help_text=pgettext_lazy(
            "safety follow-up form",
            "The message always asks whether the author may be contacted again.",
        ),
        choices=MissingDetail.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=pgettext_lazy("safety follow-up form", "A sentence of your own (optional)"),
        help_text=pgettext_lazy(
            "safety follow-up form",
            "Shown to the author as you write it. Write plainly; do not name the company "
            "or the author.",
        ),
        max_length=FollowUpAttempt.MAX_NOTE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MedicineChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        from patientvoice.directory.queries import medicine_name

        return medicine_name(obj, get_language())


class CaseForm(ErrorSummaryMixin, forms.Form):
    summary_names: ClassVar[dict[str, str | Promise]] = {}

    identifiable_reporter = forms.BooleanField(
        label=pgettext_lazy("safety case form", "An identifiable reporter"),
        help_text=pgettext_lazy(
            "safety case form", "Someone who could be contacted: here, through PatientVoice."
        ),
        required=False,
    )
    identifiable_patient = forms.BooleanField(
        label=pgettext_lazy("safety case form", "An identifiable patient"),
        help_text=pgettext_lazy(
            "safety case form", "At least one of: age, age group, sex, initials."
        ),
        required=False,
    )
    suspect_medicine_known = forms.BooleanField(
        label=pgettext_lazy("safety case form", "A suspect medicine"), required=False
    )
    reaction_known = forms.BooleanField(
        label=pgettext_lazy("safety case form", "A suspected reaction"), required=False
    )
    death = forms.BooleanField(
        label=pgettext_lazy("safety case form", "Resulted in death"), required=False
    )
    life_threatening = forms.BooleanField(
        label=pgettext_lazy("safety case form", "Life-threatening"), required=False
    )
    hospitalisation = forms.BooleanField(
        label=pgettext_lazy("safety case form", "Hospitalisation, or a longer stay in hospital"),
        required=False,
    )
    disability = forms.BooleanField(
        label=pgettext_lazy("safety case form", "Persistent or significant disability"),
        required=False,
    )
    congenital_anomaly = forms.BooleanField(
        label=pgettext_lazy("safety case form", "Congenital anomaly or birth defect"),
        required=False,
    )
    other_medically_important = forms.BooleanField(
        label=pgettext_lazy("safety case form", "Other medically important condition"),
        required=False,
    )
    origin = forms.ChoiceField(
        label=pgettext_lazy("safety case form", "Origin"),
        help_text=pgettext_lazy(
            "safety case form",
            "Solicited: from the side-effect questions of a review. Spontaneous: anything "
            "else a member wrote.",
        ),
        choices=Origin.choices,
        widget=forms.RadioSelect,
    )
    suspect_medicine = MedicineChoiceField(
        label=pgettext_lazy("safety case form", "Suspect medicine"),
        queryset=None,
        required=False,
    )
    reaction = forms.ChoiceField(
        label=pgettext_lazy("safety case form", "Reaction"), choices=(), required=False
    )
    narrative = forms.CharField(
        label=pgettext_lazy("safety case form", "Narrative"),
        help_text=pgettext_lazy(
            "safety case form",
            "What happened, in your words. Only what the case needs: no names, e-mail "
            "addresses or handles.",
        ),
        max_length=SafetyCase.MAX_NARRATIVE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from patientvoice.directory.models import Medicine

        medicine = self.fields["suspect_medicine"]
        assert isinstance(medicine, MedicineChoiceField)
        medicine.queryset = Medicine.objects.filter(is_active=True).order_by("name_sv", "slug")
        reaction = self.fields["reaction"]
        assert isinstance(reaction, forms.ChoiceField)
        reaction.choices = [
            ("", pgettext_lazy("safety case form", "Choose a reaction")),
            *reaction_choices(get_language()),
        ]

    @property
    def criteria(self) -> list[forms.BoundField]:
        return [self[name] for name in CRITERIA_FIELDS]

    @property
    def seriousness(self) -> list[forms.BoundField]:
        return [self[name] for name in SERIOUSNESS_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            clean_case(**self.case_arguments(data))
        except InvalidInput as error:
            self.add_error(error.field if error.field in self.fields else None, str(error))
        return data

    def case_arguments(self, data: dict[str, Any] | None = None) -> dict[str, Any]:
        data = self.cleaned_data if data is None else data
        arguments: dict[str, Any] = {
            name: bool(data.get(name)) for name in (*CRITERIA_FIELDS, *SERIOUSNESS_FIELDS)
        }
        arguments.update(
            origin=data.get("origin", ""),
            narrative=data.get("narrative", ""),
            suspect_medicine=data.get("suspect_medicine"),
            reaction=data.get("reaction", ""),
        )
        return arguments


def case_initial(signal: SafetySignal) -> dict[str, Any]:
    """What the case form starts from: the signal's medicine, reaction and origin; a
    reporter reachable through PatientVoice when the author's account exists."""
    return {
        "origin": signal.origin,
        "suspect_medicine": signal.medicine_id,
        "reaction": signal.reaction,
        "suspect_medicine_known": bool(signal.medicine_id),
        "reaction_known": bool(signal.reaction),
        "identifiable_reporter": bool(signal.reporter_ref),
    }


def case_values(case: SafetyCase) -> dict[str, Any]:
    values: dict[str, Any] = {
        name: getattr(case, name) for name in (*CRITERIA_FIELDS, *SERIOUSNESS_FIELDS)
    }
    values.update(
        origin=case.origin,
        narrative=case.narrative,
        suspect_medicine=case.suspect_medicine_id,
        reaction=case.reaction,
    )
    return values


class CloseCaseForm(ErrorSummaryMixin, forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("safety case form", "Why the case is closed"),
        help_text=pgettext_lazy(
            "safety case form",
            "For example: reported to the authority on a date, with its reference.",
        ),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerForm(ErrorSummaryMixin, forms.Form):
    """The member's answer to a follow-up."""

    consent_to_contact = forms.ChoiceField(
        label=pgettext_lazy("safety answer form", "May we contact you again about this?"),
        help_text=pgettext_lazy(
            "safety answer form", "Only here on PatientVoice. You can say no and still answer."
        ),
        choices=[
            ("yes", pgettext_lazy("safety answer form", "Yes")),
            ("no", pgettext_lazy("safety answer form", "No")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=pgettext_lazy("safety answer form", "Your answer (optional)"),
        help_text=pgettext_lazy(
            "safety answer form",
            "Write only what you want to share. Do not write your name, phone number or address.",
        ),
        max_length=FollowUpAttempt.MAX_ANSWER_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
