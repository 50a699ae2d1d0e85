from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language, pgettext_lazy

from patientvoice.directory.models import Condition, ConditionCategory
from patientvoice.directory.queries import name_sort_key

from .models import Community, JoinRequest, Post, ReactionKind, Thread

BODY_HELP = pgettext_lazy(
    "post form",
    "You can write **bold** and *italic* text, make lists with - and add links. Do not "
    "share names, phone numbers or personal identity numbers.",
)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=pgettext_lazy("post form", "Your reply"),
        max_length=Post.MAX_BODY_LENGTH,
        min_length=2,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=BODY_HELP,
    )


class PostEditForm(forms.Form):
    body = forms.CharField(
        label=pgettext_lazy("post form", "Your post"),
        max_length=Post.MAX_BODY_LENGTH,
        min_length=2,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=BODY_HELP,
    )


class ReactionForm(forms.Form):
    """One toggle button: ``pressed`` says whether the reaction should be on after
    the click, so a repeated click (or a resubmitted form) changes nothing more."""

    kind = forms.ChoiceField(choices=ReactionKind.choices)
    pressed = forms.BooleanField(required=False)


class ThreadForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("thread form", "Title"),
        max_length=Thread._meta.get_field("title").max_length,
        min_length=4,
    )
    body = forms.CharField(
        label=pgettext_lazy("thread form", "What do you want to say or ask?"),
        max_length=Post.MAX_BODY_LENGTH,
        min_length=2,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=BODY_HELP,
    )
    # Filled in __init__: the community's own conditions as checkboxes when it has
    # some, else every condition in a list grouped by category. Values are slugs.
    conditions = forms.MultipleChoiceField(
        label=pgettext_lazy("thread form", "Conditions"),
        required=False,
        help_text=pgettext_lazy(
            "thread form",
            "Optional. Choose what the discussion is about: it is then listed on the "
            "condition's page too.",
        ),
    )

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "sv"
        own = list(community.conditions.all()) if community is not None else []
        field = self.fields["conditions"]
        assert isinstance(field, forms.MultipleChoiceField)
        if own:
            self._offered = {c.slug: c for c in own}
            own.sort(key=lambda c: name_sort_key(c.name(language)))
            field.widget = forms.CheckboxSelectMultiple()  # before the choices: they go to it
            field.choices = [(c.slug, c.name(language)) for c in own]
        else:
            every = list(Condition.objects.all())
            self._offered = {c.slug: c for c in every}
            every.sort(key=lambda c: name_sort_key(c.name(language)))
            field.widget = forms.SelectMultiple(attrs={"size": 8})
            field.choices = [
                (label, [(c.slug, c.name(language)) for c in every if c.category == value])
                for value, label in ConditionCategory.choices
                if any(c.category == value for c in every)
            ]
            field.help_text = pgettext_lazy(
                "thread form",
                "Optional. Choose what the discussion is about: it is then listed on the "
                "condition's page too. Hold Ctrl (Cmd on a Mac) to choose more than one.",
            )

    def clean_conditions(self) -> list[Condition]:
        return [self._offered[slug] for slug in self.cleaned_data["conditions"]]


class AcceptGuidelinesForm(forms.Form):
    """Shown with the post form, in the same ``<form>``, to a person who has not
    accepted the community's current guidelines. ``guidelines_version`` says which
    version they were shown, so a version published while they wrote is shown too
    before anything is recorded."""

    accept_guidelines = forms.BooleanField(
        label=pgettext_lazy("guidelines form", "I have read and accept the guidelines"),
        error_messages={
            "required": pgettext_lazy(
                "guidelines form", "Tick the box to accept the guidelines before you publish."
            )
        },
    )
    guidelines_version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class JoinRequestForm(forms.Form):
    """The answer to a community's join questions. Required when asking to join a
    private community (moderators decide on it); optional for any other."""

    answer = forms.CharField(
        label=pgettext_lazy("join request form", "Your answer"),
        max_length=JoinRequest.MAX_ANSWER_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, answer_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = answer_required


class JoinRequestDecisionForm(forms.Form):
    request = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(
        choices=[
            ("approve", pgettext_lazy("join request", "Approve")),
            ("decline", pgettext_lazy("join request", "Decline")),
        ]
    )
