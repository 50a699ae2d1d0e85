"""Forms of the moderators' pages (queue, case, appeals, member history, trusted
flaggers). They check what a form can check (types, lengths, what the chosen action
needs); the moderation actions check the rest and raise a translated
``ModerationError``, which the views show on the form."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.communities.models import Community
from patientvoice.organizations.models import Organization

from .actions import REDACTION_MARK
from .models import Action, Appeal, AppealStatus, Decision, ModeratorNote, ReasonCode

# What the bulk form offers: the everyday decisions that need nothing but a ground and
# an explanation.
BULK_ACTIONS = (Action.KEEP, Action.HIDE, Action.REMOVE)

# The order actions are offered in on the case page: the mildest first, the person
# last, escalations at the end.
ACTION_ORDER = (
    Action.KEEP,
    Action.RESTORE,
    Action.LABEL,
    Action.REDACT,
    Action.HIDE,
    Action.REMOVE,
    Action.LOCK,
    Action.MOVE,
    Action.WARN,
    Action.SUSPEND,
    Action.BAN,
    Action.ESCALATE_EXPERT,
    Action.ESCALATE_SAFETY,
)

ACTION_HELP: dict[str, Any] = {
    Action.KEEP: pgettext_lazy(
        "moderation decision help",
        "Nothing was wrong. Content the automatic checks held is published.",
    ),
    Action.RESTORE: pgettext_lazy(
        "moderation decision help", "Show hidden or removed content again."
    ),
    Action.LABEL: pgettext_lazy(
        "moderation decision help", "Keep it visible with a label readers see beside it."
    ),
    Action.REDACT: pgettext_lazy(
        "moderation decision help", "Edit out personal data; the original is kept for the audit."
    ),
    Action.HIDE: pgettext_lazy(
        "moderation decision help", "Readers no longer see it; it can be shown again."
    ),
    Action.REMOVE: pgettext_lazy(
        "moderation decision help", "Take it down for breaking the rules or the law."
    ),
    Action.SUSPEND: pgettext_lazy(
        "moderation decision help", "The member cannot post until the date you choose."
    ),
    Action.BAN: pgettext_lazy("moderation decision help", "The member cannot post any more."),
}


def _reason_choices() -> list[tuple[str, Any]]:
    return [("", pgettext_lazy("moderation decision", "Choose a ground")), *ReasonCode.choices]


def suspension_end(day: date) -> datetime:
    """A suspension "until 5 December" lasts through that day, in the site's time."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class DecisionForm(forms.Form):
    """The decision on one case. ``actions`` are the actions valid for the kind (the
    backend's ``GENERAL_ACTIONS`` and the kind's own); ``move_targets`` where a thread
    may move (``None``: the kind cannot move); ``site_wide`` is offered to acting site
    staff."""

    action = forms.ChoiceField(
        label=pgettext_lazy("moderation decision", "What to do"), widget=forms.RadioSelect
    )
    reason_code = forms.ChoiceField(
        label=pgettext_lazy("moderation decision", "Ground (the rule or law)"),
        choices=_reason_choices,
    )
    explanation = forms.CharField(
        label=pgettext_lazy("moderation decision", "Explanation"),
        help_text=pgettext_lazy(
            "moderation decision",
            "The facts and why they break the rule. The member reads this, so write "
            "plainly and without names of reporters.",
        ),
        max_length=Decision.MAX_EXPLANATION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    label_text = forms.CharField(
        label=pgettext_lazy("moderation decision", "Label text (for a label)"),
        help_text=pgettext_lazy(
            "moderation decision", "For example: “Disputed: see the professional’s note.”"
        ),
        max_length=200,
        required=False,
    )
    suspension_until = forms.DateField(
        label=pgettext_lazy("moderation decision", "Suspended until (for a suspension)"),
        help_text=pgettext_lazy(
            "moderation decision", "The member can post again the day after this date."
        ),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    text = forms.CharField(
        label=pgettext_lazy("moderation decision", "The edited text (for editing out)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    move_to = forms.ModelChoiceField(
        label=pgettext_lazy("moderation decision", "Move to (for a move)"),
        queryset=Community.objects.none(),
        required=False,
    )
    site_wide = forms.BooleanField(
        label=pgettext_lazy(
            "moderation decision", "Everywhere on the site (for warn, suspend, ban)"
        ),
        help_text=pgettext_lazy(
            "moderation decision",
            "Site staff only. Otherwise the sanction applies in this community.",
        ),
        required=False,
    )

    # The fields each action needs besides the ground and the explanation
    # (moderation.js shows only those; without JavaScript all are shown).
    FIELD_ACTIONS = {
        "label_text": Action.LABEL,
        "suspension_until": Action.SUSPEND,
        "text": Action.REDACT,
        "move_to": Action.MOVE,
    }

    def __init__(
        self,
        *args: Any,
        actions: list[str],
        move_targets: QuerySet[Community] | None = None,
        site_wide: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        offered = [a for a in ACTION_ORDER if a in actions]
        self.offered = offered
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        action_field.choices = [(a.value, a.label) for a in offered]
        self.fields["text"].help_text = pgettext(
            "moderation decision",
            "Starts as the original. Replace each piece of personal data with “%(mark)s”, "
            "so readers see that something was removed.",
        ) % {"mark": REDACTION_MARK}
        if Action.LABEL not in offered:
            del self.fields["label_text"]
        if Action.SUSPEND not in offered:
            del self.fields["suspension_until"]
        if Action.REDACT not in offered:
            del self.fields["text"]
        if move_targets is None or Action.MOVE not in offered:
            del self.fields["move_to"]
        else:
            move_field = self.fields["move_to"]
            assert isinstance(move_field, forms.ModelChoiceField)
            move_field.queryset = move_targets
        if not site_wide:
            del self.fields["site_wide"]

    def action_help(self) -> list[tuple[Any, Any]]:
        """Short help for the offered actions, in the order shown."""
        return [(a.label, ACTION_HELP[a]) for a in self.offered if a in ACTION_HELP]

    def clean_suspension_until(self) -> date | None:
        day: date | None = self.cleaned_data.get("suspension_until")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(
                pgettext("moderation decision", "Choose a date from today on.")
            )
        return day

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        action = cleaned.get("action")
        needs = {
            Action.LABEL: (
                "label_text",
                pgettext("moderation decision", "Write the label readers will see."),
            ),
            Action.SUSPEND: (
                "suspension_until",
                pgettext("moderation decision", "Choose when the suspension ends."),
            ),
            Action.REDACT: (
                "text",
                pgettext("moderation decision", "Give the text with the personal data edited out."),
            ),
            Action.MOVE: (
                "move_to",
                pgettext("moderation decision", "Choose where to move the discussion."),
            ),
        }
        if action in needs:
            name, message = needs[action]
            if name in self.fields and not cleaned.get(name) and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def decision_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``actions.decide`` (besides moderator and case)."""
        data = self.cleaned_data
        day = data.get("suspension_until")
        return {
            "action": data["action"],
            "reason_code": data["reason_code"],
            "explanation": data["explanation"],
            "label_text": data.get("label_text") or "",
            "suspension_until": suspension_end(day) if day is not None else None,
            "text": data.get("text") or "",
            "move_to": data.get("move_to"),
            "site_wide": bool(data.get("site_wide")),
        }


class CaseIdsField(forms.Field):
    """The public ids of the cases ticked in the queue (unknown ones are the view's
    business: it reads them through ``visible_cases``)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[uuid.UUID]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        found: list[uuid.UUID] = []
        for item in values:
            try:
                found.append(uuid.UUID(str(item)))
            except ValueError:
                raise forms.ValidationError(
                    pgettext("moderation queue", "Choose items from the queue.")
                ) from None
        return list(dict.fromkeys(found))

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(
                pgettext("moderation queue", "Tick at least one item to decide.")
            )


class BulkDecisionForm(forms.Form):
    """One decision for several queue items, each decided on its own."""

    MAX_CASES = 100

    cases = CaseIdsField(label=pgettext_lazy("moderation queue", "Items"))
    action = forms.ChoiceField(
        label=pgettext_lazy("moderation queue", "Decision for every ticked item"),
        choices=[(a.value, a.label) for a in BULK_ACTIONS],
        widget=forms.RadioSelect,
    )
    reason_code = forms.ChoiceField(
        label=pgettext_lazy("moderation decision", "Ground (the rule or law)"),
        choices=_reason_choices,
    )
    explanation = forms.CharField(
        label=pgettext_lazy("moderation decision", "Explanation"),
        help_text=pgettext_lazy(
            "moderation queue", "The same explanation goes to the author of each item."
        ),
        max_length=Decision.MAX_EXPLANATION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_cases(self) -> list[uuid.UUID]:
        cases: list[uuid.UUID] = self.cleaned_data["cases"]
        if len(cases) > self.MAX_CASES:
            raise forms.ValidationError(
                pgettext("moderation queue", "Decide at most %(limit)s items at a time.")
                % {"limit": self.MAX_CASES}
            )
        return cases


class HandleChoiceField(forms.ModelChoiceField[User]):
    """People by their handle (never their e-mail address, User's ``__str__``)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.handle


class NoteReadersField(forms.ModelChoiceField[Organization]):
    """Who may read a note: an organisation's moderators."""

    def label_from_instance(self, obj: Organization) -> str:
        return pgettext("moderator note", "Moderators of %(organization)s") % {
            "organization": obj.name
        }


class AssignForm(forms.Form):
    to = HandleChoiceField(
        label=pgettext_lazy("moderation case", "Give it to"),
        queryset=User.objects.none(),
        to_field_name="public_id",
    )

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = candidates


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=pgettext_lazy("moderation appeal", "Outcome"),
        choices=[
            (
                AppealStatus.UPHELD.value,
                pgettext_lazy("moderation appeal", "Uphold: the decision stands"),
            ),
            (
                AppealStatus.REVERSED.value,
                pgettext_lazy("moderation appeal", "Reverse: undo the decision"),
            ),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=pgettext_lazy("moderation appeal", "Reasons"),
        help_text=pgettext_lazy(
            "moderation appeal", "The member reads this: say what you looked at and why."
        ),
        max_length=Appeal.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class NoteForm(forms.Form):
    """A private note about a member: for one of the moderator's organisations, or (site
    staff) for site staff only."""

    organization = NoteReadersField(
        label=pgettext_lazy("moderator note", "Who may read it"),
        queryset=Organization.objects.none(),
        to_field_name="slug",
    )
    text = forms.CharField(
        label=pgettext_lazy("moderator note", "Note"),
        help_text=pgettext_lazy(
            "moderator note",
            "Facts only. The member can get this note in their data export.",
        ),
        max_length=ModeratorNote.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, organizations: QuerySet[Organization], site_note: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations
        if site_note:
            field.required = False
            field.empty_label = pgettext("moderator note", "Site staff only")
        else:
            field.empty_label = None


class DesignateForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=pgettext_lazy("trusted flaggers", "Organisation"),
        queryset=Organization.objects.none(),
        to_field_name="slug",
    )
    reason = forms.CharField(
        label=pgettext_lazy("trusted flaggers", "Reason (for the record)"),
        help_text=pgettext_lazy(
            "trusted flaggers", "For example the coordinator's decision and its date."
        ),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organizations


class RevokeForm(forms.Form):
    organization = forms.SlugField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=pgettext_lazy("trusted flaggers", "Reason for revoking"),
        max_length=1000,
        required=False,
    )
