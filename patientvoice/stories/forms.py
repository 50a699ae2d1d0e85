"""The story form (drafts and publishing), the comment forms (members and guests) and
the feature form. Field limits match the models; every message is translated."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language, pgettext_lazy

from patientvoice.communities.models import Community
from patientvoice.core.images import ImageField
from patientvoice.directory.models import Condition, ConditionCategory
from patientvoice.directory.queries import name_sort_key

from .covers import STORY_COVER
from .models import MAX_ALT_LENGTH, MAX_GUEST_NAME_LENGTH, MAX_TITLE_LENGTH, Story, StoryComment

BODY_HELP = pgettext_lazy(
    "story form",
    "Tell it in your own words. You can write **bold** and *italic* text, make lists with "
    "- and add links. Do not share names, phone numbers or personal identity numbers.",
)
MIN_TITLE = 4
MIN_BODY = 20
EVERYONE = ""
# The audience offered first when the draft's community can no longer be used: nothing
# is chosen (never "everyone" by default) until the author picks again.
CHOOSE_AGAIN = "choose-again"

# Which button sent the form.
SAVE_DRAFT = "save_draft"
PUBLISH = "publish"


TOO_LONG = pgettext_lazy(
    "story form",
    "This is too long: at most %(limit_value)d characters (it has %(show_value)d).",
)


def _too_long() -> dict[str, Any]:
    return {"max_length": TOO_LONG}


class StoryForm(forms.Form):
    """One form for a draft and for publishing it (``publishing=True`` asks for a title,
    a text and a description of the picture); for an edit of a published story
    (``editing=True``) the audience is not offered."""

    title = forms.CharField(
        label=pgettext_lazy("story form", "Title"),
        max_length=MAX_TITLE_LENGTH,
        required=False,
        error_messages=_too_long(),
    )
    body = forms.CharField(
        label=pgettext_lazy("story form", "Your story"),
        max_length=Story.MAX_BODY_LENGTH,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=BODY_HELP,
        error_messages=_too_long(),
    )
    audience = forms.ChoiceField(
        label=pgettext_lazy("story form", "Who can read it"),
        required=False,
        help_text=pgettext_lazy(
            "story form",
            "Everyone, or only the people who can read one of your communities.",
        ),
        error_messages={
            "invalid_choice": pgettext_lazy(
                "story form", "Choose everyone or one of your communities."
            )
        },
    )
    conditions = forms.MultipleChoiceField(
        label=pgettext_lazy("story form", "Conditions"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=pgettext_lazy(
            "story form",
            "Optional. What is your story about? Hold Ctrl (Cmd on a Mac) to choose more than one.",
        ),
    )
    cover = ImageField(
        spec=STORY_COVER, label=pgettext_lazy("story form", "Picture (optional)"), required=False
    )
    cover_alt = forms.CharField(
        label=pgettext_lazy("story form", "Describe the picture"),
        max_length=MAX_ALT_LENGTH,
        required=False,
        help_text=pgettext_lazy(
            "story form",
            "For people who cannot see it: what does the picture show? Required with a picture.",
        ),
        error_messages=_too_long(),
    )
    remove_cover = forms.BooleanField(
        label=pgettext_lazy("story form", "Remove the picture"), required=False
    )

    def __init__(
        self,
        *args: Any,
        communities: list[Community] | None = None,
        has_cover: bool = False,
        publishing: bool = False,
        editing: bool = False,
        current_audience: Community | None = None,
        audience_lost: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.publishing = publishing
        self.has_cover = has_cover
        self._communities = {c.slug: c for c in communities or []}
        # The draft's audience can no longer be used (the author left the community or
        # it was deleted): it is kept, not replaced, until the author picks again.
        self.audience_lost = not editing and (
            audience_lost
            or (current_audience is not None and current_audience.slug not in self._communities)
        )
        self._current_audience = current_audience
        self.audience_kept = False
        audience = self.fields["audience"]
        assert isinstance(audience, forms.ChoiceField)
        choose_again = [(CHOOSE_AGAIN, pgettext_lazy("story form", "Choose again"))]
        audience.choices = [
            *(choose_again if self.audience_lost else []),
            (EVERYONE, pgettext_lazy("story form", "Everyone")),
            *[(c.slug, c.name) for c in communities or []],
        ]
        if self.audience_lost:
            self.initial["audience"] = CHOOSE_AGAIN
            if not self.is_bound:
                # Shown on the page at once (an unbound form has no cleaning to do).
                errors = self.errors
                errors["audience"] = self.error_class(
                    [self.audience_lost_message()], renderer=self.renderer
                )
        if editing:
            del self.fields["audience"]
        if not has_cover:
            del self.fields["remove_cover"]
        self._offer_conditions()

    def _offer_conditions(self) -> None:
        language = get_language() or "sv"
        every = list(Condition.objects.all())
        every.sort(key=lambda c: name_sort_key(c.name(language)))
        self._offered = {c.slug: c for c in every}
        field = self.fields["conditions"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (label, [(c.slug, c.name(language)) for c in every if c.category == value])
            for value, label in ConditionCategory.choices
            if any(c.category == value for c in every)
        ]

    def audience_lost_message(self) -> str:
        if self._current_audience is not None:
            return str(
                pgettext_lazy(
                    "story form",
                    "You can no longer tell this story to %(community)s. Choose who can read it.",
                )
                % {"community": self._current_audience.name}
            )
        return str(
            pgettext_lazy(
                "story form",
                "The community you chose for this story is gone. Choose who can read it.",
            )
        )

    def clean_audience(self) -> Community | None:
        slug = self.cleaned_data.get("audience") or EVERYONE
        if slug == CHOOSE_AGAIN or (self.audience_lost and "audience" not in self.data):
            # Not chosen again: the draft keeps the audience it had (see audience_kept).
            self.audience_kept = True
            if self.publishing:
                raise forms.ValidationError(self.audience_lost_message(), code="audience_lost")
            return self._current_audience
        return self._communities.get(slug) if slug else None

    def clean_conditions(self) -> list[Condition]:
        return [self._offered[slug] for slug in self.cleaned_data["conditions"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.publishing:
            return data
        title = (data.get("title") or "").strip()
        body = data.get("body") or ""
        if "title" not in self.errors and len(title) < MIN_TITLE:
            self.add_error(
                "title",
                forms.ValidationError(
                    pgettext_lazy(
                        "story form", "Give your story a title of at least %(min)d characters."
                    ),
                    code="title_missing",
                    params={"min": MIN_TITLE},
                ),
            )
        if "body" not in self.errors and len(body.strip()) < MIN_BODY:
            self.add_error(
                "body",
                forms.ValidationError(
                    pgettext_lazy("story form", "Write your story: at least %(min)d characters."),
                    code="body_missing",
                    params={"min": MIN_BODY},
                ),
            )
        keeps_cover = (self.has_cover and not data.get("remove_cover")) or data.get("cover")
        if keeps_cover and not (data.get("cover_alt") or "").strip():
            self.add_error(
                "cover_alt",
                forms.ValidationError(
                    pgettext_lazy(
                        "story form",
                        "Describe the picture for people who cannot see it, or remove it.",
                    ),
                    code="alt_missing",
                ),
            )
        return data


class CommentForm(forms.Form):
    """A member's comment. ``parent``: the comment it answers (a reply)."""

    body = forms.CharField(
        label=pgettext_lazy("comment form", "Your comment"),
        max_length=StoryComment.MAX_BODY_LENGTH,
        min_length=2,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": pgettext_lazy("comment form", "Write your comment."),
            "min_length": pgettext_lazy("comment form", "Write your comment."),
            **_too_long(),
        },
    )
    parent = forms.UUIDField(required=False, widget=forms.HiddenInput)


class GuestCommentForm(CommentForm):
    """A visitor's comment: name and e-mail address required, the address never shown.
    ``website`` is a honeypot (hidden from people; robots fill it)."""

    HONEYPOT = "website"

    name = forms.CharField(
        label=pgettext_lazy("comment form", "Name"),
        max_length=MAX_GUEST_NAME_LENGTH,
        help_text=pgettext_lazy("comment form", "Shown with your comment."),
        error_messages={
            "required": pgettext_lazy("comment form", "Write your name."),
            **_too_long(),
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=pgettext_lazy("comment form", "E-mail address"),
        max_length=254,
        help_text=pgettext_lazy(
            "comment form", "We send you a link to confirm your comment, or delete it."
        ),
        error_messages={
            "required": pgettext_lazy("comment form", "Write your e-mail address."),
            "invalid": pgettext_lazy(
                "comment form", "Write a whole e-mail address, like name@example.se."
            ),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(
        label=pgettext_lazy("comment form", "Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    field_order = ["name", "email", "body", "parent", "website"]

    @property
    def caught(self) -> bool:
        """A robot filled in the honeypot."""
        return bool(str(self.data.get(self.HONEYPOT, "")).strip())


class FeatureForm(forms.Form):
    organization = forms.SlugField()
    feature = forms.BooleanField(required=False)
