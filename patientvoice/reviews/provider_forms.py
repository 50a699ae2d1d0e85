"""Forms of the provider's voice: a claim, staff's decision on it and its revocation,
a reply, the reviewer's "a change was made", a dispute, and the question and answer
about a dispute. Field limits match the models'; the actions validate again."""

from __future__ import annotations

from django import forms
from django.utils.translation import pgettext_lazy

from .models import DisputeReason, ProviderClaim, ReviewDispute, ReviewReply


class ClaimForm(forms.Form):
    role = forms.CharField(
        label=pgettext_lazy("claim form", "Your role"),
        help_text=pgettext_lazy(
            "claim form",
            "For example: “I am this physician”, “Head of the clinic”, “Patient coordinator”.",
        ),
        max_length=ProviderClaim.MAX_ROLE_LENGTH,
    )
    evidence = forms.CharField(
        label=pgettext_lazy("claim form", "How can we check it?"),
        help_text=pgettext_lazy(
            "claim form",
            "Optional. A work e-mail address, a phone number at the clinic's switchboard, "
            "your licence number. Only staff read it.",
        ),
        max_length=ProviderClaim.MAX_EVIDENCE_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("claim decision", "Decision"),
        choices=[
            ("approve", pgettext_lazy("claim decision", "Approve")),
            ("reject", pgettext_lazy("claim decision", "Reject")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=pgettext_lazy("claim decision", "Reason (the member reads it)"),
        max_length=ProviderClaim.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RevokeClaimForm(forms.Form):
    reason = forms.CharField(
        label=pgettext_lazy("claim revocation", "Why is it revoked? (the member reads it)"),
        max_length=ProviderClaim.MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": pgettext_lazy(
                "claim revocation", "Give the reason for revoking: the member will read it."
            )
        },
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=pgettext_lazy("reply form", "Your public reply"),
        help_text=pgettext_lazy(
            "reply form",
            "Everyone can read it under the review. Do not share anything about the "
            "patient's care: answer in general terms and offer to talk in person.",
        ),
        max_length=ReviewReply.MAX_BODY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ChangeMadeForm(forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("change made form", "What changed? (optional)"),
        help_text=pgettext_lazy(
            "change made form", "A short sentence, shown with your review. No names, please."
        ),
        max_length=ReviewReply.MAX_CHANGE_NOTE_LENGTH,
        required=False,
    )


class DisputeForm(forms.Form):
    reason = forms.ChoiceField(
        label=pgettext_lazy("dispute form", "Why do you dispute this review?"),
        choices=DisputeReason.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=pgettext_lazy("dispute form", "Explain (required for “Something else”)"),
        help_text=pgettext_lazy(
            "dispute form",
            "Only moderators read it. The review stays visible while they decide.",
        ),
        max_length=ReviewDispute.MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("reason") == DisputeReason.OTHER
            and not str(cleaned.get("text", "")).strip()
        ):
            self.add_error("text", pgettext_lazy("dispute form", "Tell us what is wrong with it."))
        return cleaned


class ContextQuestionForm(forms.Form):
    question = forms.CharField(
        label=pgettext_lazy("dispute context", "Question to the reviewer"),
        max_length=ReviewDispute.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ContextAnswerForm(forms.Form):
    answer = forms.CharField(
        label=pgettext_lazy("dispute context", "Your answer to the moderators"),
        help_text=pgettext_lazy(
            "dispute context", "Only moderators read it. The provider does not see it."
        ),
        max_length=ReviewDispute.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
