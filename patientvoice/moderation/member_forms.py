"""Forms of the members' and visitors' moderation pages (``member_views``): flagging,
the notice of illegal content (DSA art. 16) and the appeal (DSA art. 20).

Field limits match the models. The forms check what they can show next to a field
(illegal content needs its type, "other" needs words); the actions check everything
again and their ``ModerationError`` is shown on the form as well.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from .errors import NoticeTargetNotFound
from .models import Appeal, IllegalType, Report, ReportReason
from .permissions import can_see_for_notice
from .registry import ModerationKind, resolve_url

EXPLANATION_ROWS = 5

# One short line under each reason, so people pick the one that fits.
REASON_HELP: dict[str, str | Promise] = {
    ReportReason.MEDICAL_MISINFORMATION: pgettext_lazy(
        "report reason help",
        "Advice or claims about illness, medicines or treatment that could harm someone "
        "who follows them.",
    ),
    ReportReason.SPAM: pgettext_lazy(
        "report reason help", "Selling, promoting or the same message posted again and again."
    ),
    ReportReason.HARASSMENT: pgettext_lazy(
        "report reason help", "Attacks, threats or contempt aimed at a person or a group."
    ),
    ReportReason.PERSONAL_INFORMATION: pgettext_lazy(
        "report reason help",
        "Names, phone numbers, addresses, identity numbers or health details about "
        "someone who has not shared them here.",
    ),
    ReportReason.SIDE_EFFECT: pgettext_lazy(
        "report reason help",
        "Someone describes a reaction to a medicine that may need to be reported to "
        "the authorities.",
    ),
    ReportReason.ILLEGAL: pgettext_lazy(
        "report reason help", "Content you believe breaks the law. Choose what kind below."
    ),
    ReportReason.SELF_HARM: pgettext_lazy(
        "report reason help",
        "The writer may hurt themselves. Moderators see this first. If someone is in "
        "danger now, call 112.",
    ),
    ReportReason.OTHER: pgettext_lazy(
        "report reason help", "Something else. Tell us what is wrong in the box below."
    ),
}

ILLEGAL_TYPE_CHOICES = [
    ("", pgettext_lazy("illegal content type", "Choose a kind")),
    *IllegalType.choices,
]


def _explanation_field(
    *, required: bool, label: Any, help_text: Any, error_messages: dict[str, Any] | None = None
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=Report.MAX_EXPLANATION_LENGTH,
        widget=forms.Textarea(attrs={"rows": EXPLANATION_ROWS}),
        help_text=help_text,
        error_messages=error_messages,
    )


class FlagForm(forms.Form):
    """A member's report. The type select is always there (no JavaScript needed) and
    required only with "illegal content"."""

    reason = forms.ChoiceField(
        label=pgettext_lazy("flag form", "Why are you reporting it?"),
        choices=ReportReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": pgettext_lazy("flag form", "Choose why you report this.")},
    )
    illegal_type = forms.ChoiceField(
        label=pgettext_lazy("flag form", "If it is illegal content: what kind?"),
        choices=ILLEGAL_TYPE_CHOICES,
        required=False,
        help_text=pgettext_lazy("flag form", "Needed only when you choose “Illegal content”."),
    )
    explanation = _explanation_field(
        required=False,
        label=pgettext_lazy("flag form", "Explain what is wrong"),
        help_text=pgettext_lazy(
            "flag form",
            "Optional, but it helps the moderators. Needed when you choose “Other”. Only "
            "the moderators read it; the author is not told who reported.",
        ),
    )

    def reason_choices(self) -> list[tuple[Any, str | Promise]]:
        """The radio buttons with the help line for each (the template renders them)."""
        return [(radio, REASON_HELP.get(radio.data["value"], "")) for radio in self["reason"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reason = data.get("reason")
        if reason == ReportReason.ILLEGAL and not data.get("illegal_type"):
            self.add_error(
                "illegal_type",
                pgettext_lazy("flag form", "Choose what kind of illegal content it is."),
            )
        if reason == ReportReason.OTHER and not (data.get("explanation") or "").strip():
            self.add_error(
                "explanation", pgettext_lazy("flag form", "Tell us what is wrong with it.")
            )
        return data


class NoticeForm(forms.Form):
    """A notice of illegal content from anyone (DSA art. 16(2)): who sends it, where
    the content is, what kind of illegal content, why, and the good-faith statement.

    Every check is made in one pass, so every error shows at once: the address is
    resolved here too (``registry.resolve_url``), as ``viewer`` may see it
    (``permissions.can_see_for_notice``), and the content found is ``target``. Name and
    e-mail are required (and marked so) except for child sexual abuse material
    (art. 16(2)(c)).

    ``website`` is a honeypot: hidden from people (and from assistive technology's
    tab order), filled in by robots that fill every field."""

    HONEYPOT = "website"

    url = forms.CharField(
        label=pgettext_lazy("notice form", "Exact address of the content"),
        max_length=500,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
        help_text=pgettext_lazy(
            "notice form",
            "Copy the address of the post or profile on this site from your browser's "
            "address bar, or from the post's time stamp.",
        ),
        error_messages={
            "required": pgettext_lazy("notice form", "Give the address of the content.")
        },
    )
    illegal_type = forms.ChoiceField(
        label=pgettext_lazy("notice form", "What kind of illegal content is it?"),
        choices=ILLEGAL_TYPE_CHOICES,
        error_messages={
            "required": pgettext_lazy("notice form", "Choose what kind of illegal content it is.")
        },
    )
    explanation = _explanation_field(
        required=True,
        label=pgettext_lazy("notice form", "Why do you believe it is illegal?"),
        help_text=pgettext_lazy(
            "notice form",
            "Explain as precisely as you can, for example which law it breaks and why.",
        ),
        error_messages={
            "required": pgettext_lazy(
                "notice form", "Explain why you believe the content is illegal."
            )
        },
    )
    name = forms.CharField(
        label=pgettext_lazy("notice form", "Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": pgettext_lazy("notice form", "Give your name.")},
    )
    email = forms.EmailField(
        label=pgettext_lazy("notice form", "Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": pgettext_lazy("notice form", "Give your e-mail address.")},
        help_text=pgettext_lazy(
            "notice form",
            "We send the acknowledgement and our decision here. It is not shown to anyone "
            "else. Name and e-mail may be left out only for child sexual abuse material.",
        ),
    )
    good_faith = forms.BooleanField(
        label=pgettext_lazy(
            "notice form",
            "I believe in good faith that the information in this notice is accurate and complete.",
        ),
        error_messages={
            "required": pgettext_lazy(
                "notice form", "Please confirm that you send this notice in good faith."
            )
        },
    )
    website = forms.CharField(
        label=pgettext_lazy("notice form", "Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.viewer = viewer if viewer is not None else AnonymousUser()
        self.target: tuple[ModerationKind, Any] | None = None
        # DSA art. 16(2)(c): a name and an address, except for child sexual abuse
        # material. Required (and marked "*") unless that is what the notice is about.
        anonymous = self.is_bound and self.data.get("illegal_type") == IllegalType.CHILD_SAFETY
        for name in ("name", "email"):
            self.fields[name].required = not anonymous

    @property
    def caught(self) -> bool:
        """Whether a robot filled in the honeypot (checked before anything else)."""
        return bool(self.data.get(self.HONEYPOT, "").strip())

    def clean_url(self) -> str:
        """The content at the address, as ``send_notice`` would find it: the same answer
        for nothing there and for something the sender may not see."""
        url = str(self.cleaned_data["url"]).strip()
        found = resolve_url(url)
        if found is None or not can_see_for_notice(self.viewer, *found):
            raise forms.ValidationError(str(NoticeTargetNotFound()), code="not_found")
        self.target = found
        return url


class AppealForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("appeal form", "Why is the decision wrong?"),
        max_length=Appeal.MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=pgettext_lazy(
            "appeal form",
            "Tell us what the moderator missed or got wrong. Another moderator will "
            "decide, and you will be told the outcome with reasons.",
        ),
        error_messages={
            "required": pgettext_lazy("appeal form", "Tell us why the decision is wrong.")
        },
    )
