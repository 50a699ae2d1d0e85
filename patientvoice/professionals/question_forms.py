"""Forms for questions for professionals and advisers (decisions/0037). The rules live
in the actions (``questions``, ``advisers``); a refusal is shown on its field with
everything else kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.accounts.queries import person_by_handle
from patientvoice.communities.models import Community

from .models import AdviserRole, QuestionField
from .question_queries import field_label


def question_field_choices() -> list[tuple[str, str]]:
    """The fields in their order, "Other" last, after an empty "Choose" (evaluated per
    form, in the page's language)."""
    return [
        ("", str(pgettext_lazy("professional question", "Choose what it is about"))),
        *((value, field_label(value)) for value in QuestionField.values),
    ]


QUESTION_FIELD_HELP = pgettext_lazy(
    "professional question",
    "Verified professionals of this field see your question first. They give general "
    "information, not advice about your own care.",
)


class AskProfessionalsForm(forms.Form):
    """The "Ask verified professionals" page: ask (or change the field), or stop."""

    ASK = "ask"
    STOP = "stop"

    field = forms.ChoiceField(
        label=pgettext_lazy("professional question", "What is your question about?"),
        choices=question_field_choices,
        required=False,
        help_text=QUESTION_FIELD_HELP,
    )
    action = forms.ChoiceField(
        choices=[(ASK, ASK), (STOP, STOP)], initial=ASK, widget=forms.HiddenInput
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("action") == self.ASK and not cleaned.get("field"):
            self.add_error(
                "field",
                pgettext_lazy(
                    "professional question", "Choose what your question is about from the list."
                ),
            )
        return cleaned


class InviteAdviserForm(forms.Form):
    """An administrator invites a verified professional, by handle, to advise one or
    more of the organisation's communities."""

    handle = forms.CharField(
        label=pgettext_lazy("adviser form", "Handle of the verified professional"),
        max_length=User._meta.get_field("handle").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    communities = forms.MultipleChoiceField(
        label=pgettext_lazy("adviser form", "Communities to advise"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": pgettext_lazy(
                "adviser form", "Choose at least one of your organisation's communities."
            )
        },
    )

    def __init__(self, *args: Any, communities: list[Community], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._offered = {community.slug: community for community in communities}
        field = self.fields["communities"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(community.slug, community.name) for community in communities]

    def clean_handle(self) -> User:
        person = person_by_handle(self.cleaned_data["handle"])
        if person is None or not person.is_active or person.erasure_pending:
            raise forms.ValidationError(
                pgettext_lazy("adviser form", "Nobody has that handle."), code="unknown"
            )
        return person

    def clean_communities(self) -> list[Community]:
        return [self._offered[slug] for slug in self.cleaned_data["communities"]]


class EndAdviserForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("adviser form", "Reason (optional, kept in the log)"),
        max_length=AdviserRole.MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- the start-thread form's two fields (communities.forms.ThreadForm) ----------------------


def ask_professionals_field() -> forms.BooleanField:
    return forms.BooleanField(
        label=pgettext_lazy("professional question", "Ask verified healthcare professionals"),
        required=False,
        help_text=pgettext_lazy(
            "professional question",
            "Optional. Your discussion is then listed for verified professionals, and "
            "their answers are marked.",
        ),
    )


def question_field_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=pgettext_lazy("professional question", "What is your question about?"),
        choices=question_field_choices,
        required=False,
        help_text=QUESTION_FIELD_HELP,
    )


def clean_question_choice(form: forms.Form, cleaned: dict[str, Any]) -> dict[str, Any]:
    """``question_field`` is required once ``ask_professionals`` is ticked."""
    if cleaned.get("ask_professionals") and not cleaned.get("question_field"):
        form.add_error(
            "question_field",
            pgettext_lazy(
                "professional question",
                "Choose what your question is about, or untick “Ask verified healthcare "
                "professionals”.",
            ),
        )
    return cleaned
