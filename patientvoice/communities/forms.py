from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language, pgettext_lazy

from patientvoice.accounts.handles import canonical_handle
from patientvoice.accounts.models import User
from patientvoice.core.images import COVER, ImageField
from patientvoice.directory.models import Condition, ConditionCategory, Medicine
from patientvoice.directory.queries import medicine_name, name_sort_key
from patientvoice.professionals.question_forms import (
    ask_professionals_field,
    clean_question_choice,
    question_field_field,
)

from .models import Community, Invitation, JoinRequest, Membership, Post, ReactionKind, Thread

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
    # The post this reply answers (set by the "Reply" and "Quote" links).
    reply_to = forms.UUIDField(required=False, widget=forms.HiddenInput)


class PostEditForm(forms.Form):
    body = forms.CharField(
        label=pgettext_lazy("post form", "Your post"),
        max_length=Post.MAX_BODY_LENGTH,
        min_length=2,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=BODY_HELP,
    )


class ReactionForm(forms.Form):
    """A post's reaction buttons, one form: the pressed button sends ``kind`` (add
    that reaction) or, when it was on already, ``take_back``. Saying the wanted state,
    not "toggle", makes a repeated click or a resubmitted form change nothing more.
    (Not ``remove``: a control of that name hides the form element's own ``remove()``,
    which htmx calls when it swaps the form.)"""

    kind = forms.ChoiceField(choices=ReactionKind.choices, required=False)
    take_back = forms.ChoiceField(choices=ReactionKind.choices, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("kind")) == bool(data.get("take_back")):
            raise forms.ValidationError(pgettext_lazy("reaction", "Choose one reaction."))
        data["pressed"] = bool(data.get("kind"))
        data["kind"] = data.get("kind") or data.get("take_back")
        return data


class BestAnswerForm(forms.Form):
    """``post``: the reply to mark; empty takes the mark away."""

    post = forms.UUIDField(required=False)


class ThreadModerationForm(forms.Form):
    DONE = {
        "pin": pgettext_lazy("thread moderation", "The discussion is pinned."),
        "unpin": pgettext_lazy("thread moderation", "The discussion is no longer pinned."),
        "lock": pgettext_lazy("thread moderation", "The discussion is locked."),
        "unlock": pgettext_lazy("thread moderation", "The discussion is open for replies again."),
    }
    action = forms.ChoiceField(choices=[(key, key) for key in DONE])


class MoveThreadForm(forms.Form):
    community = forms.ModelChoiceField(
        label=pgettext_lazy("thread moderation", "Move to"),
        queryset=Community.objects.none(),
        to_field_name="slug",
        empty_label=None,
        error_messages={
            "invalid_choice": pgettext_lazy(
                "thread moderation", "Choose one of the communities in the list."
            )
        },
    )

    def __init__(self, *args: Any, targets: QuerySet[Community], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = targets


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

    # Filled in __init__: every active medicine in a list, by the name a reader of the
    # page's language knows, with its Swedish brand names. Values are slugs.
    medicines = forms.MultipleChoiceField(
        label=pgettext_lazy("thread form", "Medicines"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=pgettext_lazy(
            "thread form",
            "Optional. Choose the medicines the discussion is about: it is then listed on "
            "the medicine's page too. Hold Ctrl (Cmd on a Mac) to choose more than one.",
        ),
    )

    # Ask verified professionals, in a field (professionals app, decisions/0037).
    ask_professionals = ask_professionals_field()
    question_field = question_field_field()

    def __init__(self, *args: Any, community: Community | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "sv"
        self._offer_medicines(language)
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

    def _offer_medicines(self, language: str) -> None:
        active = Medicine.objects.filter(is_active=True).only(
            "slug", "name_sv", "inn_en", "brands_sv"
        )
        named = [(medicine_name(m, language), m) for m in active]
        named.sort(key=lambda pair: name_sort_key(pair[0]))
        self._medicines = {m.slug: m for _, m in named}
        field = self.fields["medicines"]
        assert isinstance(field, forms.MultipleChoiceField)
        # Brand names too: many people know a medicine by the name on the box.
        field.choices = [
            (m.slug, f"{name} ({', '.join(m.brands_sv)})" if m.brands_sv else name)
            for name, m in named
        ]

    def clean_conditions(self) -> list[Condition]:
        return [self._offered[slug] for slug in self.cleaned_data["conditions"]]

    def clean_medicines(self) -> list[Medicine]:
        chosen = self.cleaned_data["medicines"]
        if len(chosen) > Thread.MAX_MEDICINES:
            raise forms.ValidationError(
                pgettext_lazy("thread form", "Choose at most %(limit)d medicines."),
                code="too_many",
                params={"limit": Thread.MAX_MEDICINES},
            )
        return [self._medicines[slug] for slug in chosen]

    def clean(self) -> dict[str, Any]:
        return clean_question_choice(self, super().clean() or {})


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


# --- Community settings and invitations ------------------------------------------------------

MAX_DESCRIPTION_LENGTH = 2000
MAX_JOIN_QUESTIONS_LENGTH = 2000


class CommunitySettingsForm(forms.Form):
    """The community's settings page: its texts, join questions, requests, cover.
    Field limits match the model (``Community.name`` 120, ``teaser`` 300)."""

    name = forms.CharField(
        label=pgettext_lazy("community settings", "Name"), max_length=120, min_length=2
    )
    description = forms.CharField(
        label=pgettext_lazy("community settings", "Description"),
        help_text=pgettext_lazy(
            "community settings",
            "Shown on the community's page. Anyone who may know the community exists "
            "reads it, members-only communities included.",
        ),
        max_length=MAX_DESCRIPTION_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    teaser = forms.CharField(
        label=pgettext_lazy("community settings", "Teaser"),
        help_text=pgettext_lazy(
            "community settings",
            "One or two sentences shown to people who are not members of a "
            "members-only community instead of its discussions.",
        ),
        max_length=300,
        required=False,
    )
    join_questions = forms.CharField(
        label=pgettext_lazy("community settings", "Questions for people who join"),
        help_text=pgettext_lazy(
            "community settings",
            "Optional. People asking to join a private community must answer them.",
        ),
        max_length=MAX_JOIN_QUESTIONS_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    accepts_requests = forms.BooleanField(
        label=pgettext_lazy("community settings", "Take requests to join"),
        help_text=pgettext_lazy(
            "community settings",
            "For a private community: whether people who have its link may ask to join. "
            "Without requests, people join by invitation only.",
        ),
        required=False,
    )
    cover = ImageField(
        spec=COVER, label=pgettext_lazy("community settings", "New cover image"), required=False
    )
    remove_cover = forms.BooleanField(
        label=pgettext_lazy("community settings", "Remove the cover image"), required=False
    )

    TEXT_FIELDS = ("name", "description", "teaser", "join_questions", "accepts_requests")

    @classmethod
    def initial_from(cls, community: Community) -> dict[str, Any]:
        return {name: getattr(community, name) for name in cls.TEXT_FIELDS}

    def settings_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.TEXT_FIELDS}


class InvitationLinkForm(forms.Form):
    """A new invitation link: how long it works and how many people may use it."""

    days = forms.IntegerField(
        label=pgettext_lazy("invitation form", "Valid for (days)"),
        min_value=1,
        max_value=Invitation.MAX_DAYS,
        initial=Invitation.DEFAULT_DAYS,
        help_text=pgettext_lazy("invitation form", "1 to 90 days."),
    )
    max_uses = forms.IntegerField(
        label=pgettext_lazy("invitation form", "How many people may join with it"),
        min_value=1,
        max_value=Invitation.MAX_USES,
        initial=1,
        help_text=pgettext_lazy("invitation form", "1 to 100 people."),
    )


class InviteByHandleForm(forms.Form):
    """Invite one person by their handle: an invitation for them alone, used once."""

    handle = forms.CharField(
        label=pgettext_lazy("invitation form", "Their handle"),
        max_length=31,  # a handle (30) and an "@"
        help_text=pgettext_lazy(
            "invitation form",
            "They find the invitation under Invitations when they are logged in.",
        ),
    )
    days = forms.IntegerField(
        label=pgettext_lazy("invitation form", "Valid for (days)"),
        min_value=1,
        max_value=Invitation.MAX_DAYS,
        initial=Invitation.DEFAULT_DAYS,
        help_text=pgettext_lazy("invitation form", "1 to 90 days."),
    )

    def __init__(self, *args: Any, community: Community, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.community = community
        self.invitee: User | None = None

    def clean_handle(self) -> str:
        handle: str = self.cleaned_data["handle"].strip().lstrip("@")
        # Handles are public: saying that none matches tells nothing secret.
        person = User.objects.filter(
            handle_canonical=canonical_handle(handle),
            is_active=True,
            erasure_requested_at__isnull=True,
        ).first()
        if person is None:
            raise forms.ValidationError(
                pgettext_lazy("invitation form", "No member has this handle."), code="unknown"
            )
        if Membership.objects.filter(community=self.community, user=person).exists():
            raise forms.ValidationError(
                pgettext_lazy("invitation form", "They are a member already."), code="member"
            )
        self.invitee = person
        return handle


class InvitationChoiceForm(forms.Form):
    """Which invitation a button is about (revoke, accept, decline)."""

    invitation = forms.UUIDField()
