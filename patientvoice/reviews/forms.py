"""The review form, generated from :mod:`patientvoice.reviews.dimensions`: one 1–5 radio
group per dimension, the medicine questions for medicines, the waiting time for
physicians, and the conflict-of-interest question for every kind.

The form checks only the shape of what was sent; the rules (a required score, a stop
without a reason, a declared conflict...) are the actions', which refuse with a
translated message the view puts on the right field. One place decides, so the page
and the API refuse the same things the same way.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import get_language, pgettext_lazy

from patientvoice.directory.models import Condition
from patientvoice.directory.queries import name_sort_key

from .dimensions import SCORES, SIDE_EFFECTS, ReviewKind
from .errors import CONFLICT_UNANSWERED, InvalidScores
from .models import SIDE_EFFECTS_TEXT_LENGTH, Conflict, Duration, Review, StopReason

BODY_HELP = pgettext_lazy(
    "review form",
    "Optional. What would you tell someone in your place? You can write **bold** and "
    "*italic* text, make lists with - and add links. Do not write names of staff, phone "
    "numbers or personal identity numbers.",
)
CONFLICT_HELP = pgettext_lazy(
    "review form",
    "Reviews here come only from people without ties to what they rate, so that readers "
    "can trust them. If one of these is true, you cannot review this: thank you for "
    "saying so.",
)
YES_NO = [
    ("yes", pgettext_lazy("review form", "Yes")),
    ("no", pgettext_lazy("review form", "No")),
]
SCORE_PREFIX = "score_"


def _score_choices() -> list[tuple[str, Any]]:
    words = {
        1: pgettext_lazy("review score", "1 – very poor"),
        2: pgettext_lazy("review score", "2 – poor"),
        3: pgettext_lazy("review score", "3 – neither good nor poor"),
        4: pgettext_lazy("review score", "4 – good"),
        5: pgettext_lazy("review score", "5 – very good"),
    }
    return [(str(score), words[score]) for score in SCORES]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _as_yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


class ScoreField(forms.ChoiceField):
    """A dimension's 1..5 radio group. Shown as required (a ``*``); a missing answer is
    named by ``ReviewForm.clean`` in the action's words (``InvalidScores``), not by
    Django's generic "This field is required"."""

    def validate(self, value: Any) -> None:
        if value in self.empty_values:
            return
        super().validate(value)


class ReviewForm(forms.Form):
    """The whole review of one kind. ``answers()`` gives the keyword arguments of
    ``actions.submit_review``/``edit_review`` (scores, details, body, conflict)."""

    def clean(self) -> dict[str, Any]:
        """Every unanswered required question at once, in the actions' own words (the
        actions refuse the first they meet; a person on a phone should not have to
        send the form once per missing answer). The actions still check it all."""
        cleaned = super().clean() or {}
        for dimension in self.kind.dimensions:
            name = SCORE_PREFIX + dimension.key
            if dimension.required and not cleaned.get(name) and name not in self.errors:
                self.add_error(name, str(InvalidScores(dimension.key, dimension.label)))
        if not cleaned.get("conflict") and "conflict" not in self.errors:
            self.add_error("conflict", str(CONFLICT_UNANSWERED))
        return cleaned

    on_behalf = forms.BooleanField(
        label=pgettext_lazy("review form", "I am writing for someone I care for"),
        help_text=pgettext_lazy(
            "review form",
            "Tick this if the experience is of the person you care for (a child, a parent, "
            "a partner). It is shown with your review.",
        ),
        required=False,
    )
    conflict = forms.ChoiceField(
        label=pgettext_lazy("review form", "Do you have ties to what you review?"),
        help_text=CONFLICT_HELP,
        choices=Conflict.choices,
        widget=forms.RadioSelect,
        # Required, and marked so; unanswered, it says so in the actions' words.
        error_messages={"required": CONFLICT_UNANSWERED},
    )
    body = forms.CharField(
        label=pgettext_lazy("review form", "Your experience in your own words"),
        help_text=BODY_HELP,
        max_length=Review.MAX_BODY_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(self, *args: Any, kind: ReviewKind, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind.works_for:  # "I work for …" in this kind's words
            conflict = cast(forms.ChoiceField, self.fields["conflict"])
            conflict.choices = [
                (value, kind.works_for if value == Conflict.WORKS_FOR else label)
                for value, label in Conflict.choices
            ]
        fields: dict[str, forms.Field] = {}
        for dimension in kind.dimensions:
            fields[SCORE_PREFIX + dimension.key] = ScoreField(
                label=str(dimension.label),
                help_text=str(dimension.help),
                choices=_score_choices(),
                widget=forms.RadioSelect,
                required=dimension.required,
            )
        if kind.has_medicine_details:
            fields.update(self._medicine_fields())
        if kind.has_waiting_minutes:
            fields["waiting_minutes"] = forms.IntegerField(
                label=pgettext_lazy("review form", "How long did you wait, in minutes?"),
                help_text=pgettext_lazy(
                    "review form",
                    "Optional. From the time of your appointment until you were seen.",
                ),
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
        # The questions in the order a person answers them: scores, details, then the
        # rest (on behalf, ties, the written part).
        self.fields = {**fields, **self.fields}

    @staticmethod
    def _medicine_fields() -> dict[str, forms.Field]:
        language = get_language()
        conditions = sorted(Condition.objects.all(), key=lambda c: name_sort_key(c.name(language)))
        condition = forms.ModelChoiceField(
            label=pgettext_lazy("review form", "What did you take it for?"),
            queryset=Condition.objects.all(),
            required=False,
            empty_label=pgettext_lazy("review form", "Choose a condition (optional)"),
        )
        # Sorted by the name in the page's language (a query ordered by slug would not be).
        condition.choices = [("", condition.empty_label)] + [
            (c.pk, c.name(language)) for c in conditions
        ]
        return {
            "condition": condition,
            "duration": forms.ChoiceField(
                label=pgettext_lazy("review form", "How long did you take it?"),
                choices=[
                    ("", pgettext_lazy("review form", "Choose (optional)")),
                    *Duration.choices,
                ],
                required=False,
            ),
            "still_taking": forms.ChoiceField(
                label=pgettext_lazy("review form", "Are you still taking it?"),
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            ),
            "stop_reason": forms.ChoiceField(
                label=pgettext_lazy("review form", "If you stopped: why?"),
                help_text=pgettext_lazy("review form", "Needed when you have stopped taking it."),
                choices=StopReason.choices,
                widget=forms.RadioSelect,
                required=False,
            ),
            "side_effects": forms.MultipleChoiceField(
                label=pgettext_lazy("review form", "Side effects you noticed"),
                help_text=pgettext_lazy("review form", "Tick all that fit, or none."),
                choices=list(SIDE_EFFECTS.items()),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            ),
            "side_effects_text": forms.CharField(
                label=pgettext_lazy("review form", "Other side effects, in your own words"),
                max_length=SIDE_EFFECTS_TEXT_LENGTH,
                required=False,
            ),
            "would_recommend": forms.ChoiceField(
                label=pgettext_lazy("review form", "Would you recommend it to someone like you?"),
                choices=YES_NO,
                widget=forms.RadioSelect,
                required=False,
            ),
        }

    @property
    def score_fields(self) -> list[forms.BoundField]:
        return [self[SCORE_PREFIX + key] for key in self.kind.keys]

    @property
    def detail_fields(self) -> list[forms.BoundField]:
        names = (
            "condition",
            "duration",
            "still_taking",
            "stop_reason",
            "side_effects",
            "side_effects_text",
            "would_recommend",
            "waiting_minutes",
        )
        return [self[name] for name in names if name in self.fields]

    @classmethod
    def initial_for(cls, review: Review) -> dict[str, Any]:
        """The form prefilled with ``review``'s answers (the edit page). The conflict
        question is answered "none": the review could not exist otherwise."""
        initial: dict[str, Any] = {
            SCORE_PREFIX + key: str(value) for key, value in (review.scores or {}).items()
        }
        initial.update(
            on_behalf=review.on_behalf,
            conflict=Conflict.NONE,
            body=review.body,
            condition=review.condition_id,
            duration=review.duration,
            still_taking=_as_yes_no(review.still_taking),
            stop_reason=review.stop_reason,
            side_effects=list(review.side_effects or []),
            side_effects_text=review.side_effects_text,
            would_recommend=_as_yes_no(review.would_recommend),
            waiting_minutes=review.waiting_minutes,
        )
        return initial

    def answers(self) -> dict[str, Any]:
        """The cleaned form as the actions' keyword arguments."""
        data = self.cleaned_data
        answers: dict[str, Any] = {
            "scores": {key: data.get(SCORE_PREFIX + key) or None for key in self.kind.keys},
            "conflict": data.get("conflict") or "",
            "body": data.get("body") or "",
            "on_behalf": bool(data.get("on_behalf")),
        }
        if self.kind.has_medicine_details:
            answers.update(
                condition=data.get("condition"),
                duration=data.get("duration") or "",
                still_taking=_yes_no(data.get("still_taking") or ""),
                stop_reason=data.get("stop_reason") or "",
                side_effects=list(data.get("side_effects") or []),
                side_effects_text=data.get("side_effects_text") or "",
                would_recommend=_yes_no(data.get("would_recommend") or ""),
            )
        if self.kind.has_waiting_minutes:
            answers["waiting_minutes"] = data.get("waiting_minutes")
        return answers

    def field_for_error(self, name: str) -> str | None:
        """The form field an action's refusal is about (None: the whole form)."""
        if SCORE_PREFIX + name in self.fields:
            return SCORE_PREFIX + name
        return name if name in self.fields else None
