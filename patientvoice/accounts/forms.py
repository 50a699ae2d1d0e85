from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.core import ratelimit
from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language, pgettext, pgettext_lazy

from . import actions
from .handles import HANDLE_HELP, MAX_LENGTH, validate_handle_available
from .models import Audience, ConsentPurpose, ErasureMode, PastHandle, Presence, User


def _minimum_age_label() -> str:
    return str(
        pgettext_lazy("signup", "I am %(age)s years or older.") % {"age": settings.PV_MINIMUM_AGE}
    )


class SignupExtraForm(forms.Form):
    """What PatientVoice asks at sign-up besides e-mail and password (allauth adds those)."""

    handle = forms.CharField(
        label=pgettext_lazy("signup", "Handle (your public name)"),
        max_length=MAX_LENGTH + 10,
        help_text=HANDLE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )
    presence = forms.ChoiceField(
        label=pgettext_lazy("signup", "I am here as"),
        choices=Presence.choices,
        initial=Presence.PATIENT,
    )
    preferred_language = forms.ChoiceField(
        label=pgettext_lazy("signup", "Language"), choices=settings.LANGUAGES
    )
    age_confirmed = forms.BooleanField(
        required=True,
        error_messages={
            "required": pgettext_lazy(
                "signup", "You must be old enough to create an account on your own."
            )
        },
    )
    consent_health_data = forms.BooleanField(
        label=pgettext_lazy(
            "signup",
            "I agree that PatientVoice processes the health information I choose to share, "
            "as described in the privacy notice. Required.",
        ),
        required=True,
        error_messages={
            "required": pgettext_lazy(
                "signup",
                "We cannot let you take part without this consent, because everything "
                "shared here is health information.",
            )
        },
    )
    consent_email_digest = forms.BooleanField(
        label=ConsentPurpose.EMAIL_DIGEST.label, required=False
    )
    consent_research_contact = forms.BooleanField(
        label=ConsentPurpose.RESEARCH_CONTACT.label, required=False
    )

    field_order = [
        "email", "handle", "password1", "password2", "presence", "preferred_language",
        "age_confirmed", "consent_health_data", "consent_email_digest",
        "consent_research_contact",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["age_confirmed"].label = _minimum_age_label()
        self.fields["consent_health_data"].help_text = format_html(
            '<a href="{}">{}</a>',
            reverse("privacy"),
            pgettext("signup", "Read the privacy notice"),
        )
        self.fields["preferred_language"].initial = get_language() or "sv"

    def clean_handle(self) -> str:
        return validate_handle_available(self.cleaned_data["handle"])

    def signup(self, request: HttpRequest, user: User) -> None:
        consents = {ConsentPurpose.HEALTH_DATA.value}
        if self.cleaned_data.get("consent_email_digest"):
            consents.add(ConsentPurpose.EMAIL_DIGEST.value)
        if self.cleaned_data.get("consent_research_contact"):
            consents.add(ConsentPurpose.RESEARCH_CONTACT.value)
        actions.complete_signup(
            user=user,
            consents=consents,
            language=get_language() or "sv",
            age_confirmed=self.cleaned_data["age_confirmed"],
        )


class ProfileForm(forms.Form):
    bio = forms.CharField(
        label=pgettext_lazy("profile", "About me"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=pgettext_lazy(
            "profile", "Up to 500 characters. Avoid details that reveal who you are."
        ),
    )
    presence = forms.ChoiceField(
        label=pgettext_lazy("profile", "I am here as"), choices=Presence.choices
    )
    preferred_language = forms.ChoiceField(
        label=pgettext_lazy("profile", "Language"), choices=settings.LANGUAGES
    )
    profile_audience = forms.ChoiceField(
        label=pgettext_lazy("profile", "Who can see my profile"),
        choices=Audience.choices,
        widget=forms.RadioSelect,
    )


MAX_HANDLE_CHANGES = 3
HANDLE_CHANGE_PERIOD = timedelta(days=30)


class HandleForm(forms.Form):
    handle = forms.CharField(
        label=pgettext_lazy("profile", "New handle"),
        max_length=MAX_LENGTH + 10,
        help_text=HANDLE_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "nickname", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_handle(self) -> str:
        # Every old handle stays reserved, so changes are limited: nobody can hoard names.
        recent = PastHandle.objects.filter(
            user=self.user, created_at__gte=timezone.now() - HANDLE_CHANGE_PERIOD
        ).count()
        if recent >= MAX_HANDLE_CHANGES:
            raise forms.ValidationError(
                pgettext_lazy(
                    "profile", "You can change your handle three times in 30 days. Try later."
                ),
                code="too_many_changes",
            )
        return validate_handle_available(self.cleaned_data["handle"], user_id=self.user.pk)


class ConsentForm(forms.Form):
    health_data = forms.BooleanField(
        label=ConsentPurpose.HEALTH_DATA.label,
        required=False,
        help_text=pgettext_lazy(
            "consent", "Required to take part. Withdrawing it closes your account."
        ),
    )
    email_digest = forms.BooleanField(label=ConsentPurpose.EMAIL_DIGEST.label, required=False)
    research_contact = forms.BooleanField(
        label=ConsentPurpose.RESEARCH_CONTACT.label, required=False
    )

    def granted(self) -> set[str]:
        return {
            name
            for name in ("health_data", "email_digest", "research_contact")
            if self.cleaned_data.get(name)
        }


class DeleteAccountForm(forms.Form):
    mode = forms.ChoiceField(
        label=pgettext_lazy("delete account", "What should happen to what you have written?"),
        choices=ErasureMode.choices,
        widget=forms.RadioSelect,
        initial=ErasureMode.ANONYMISE,
    )
    password = forms.CharField(
        label=pgettext_lazy("delete account", "Your password, to confirm it is you"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        strip=False,
    )
    confirm = forms.BooleanField(
        label=pgettext_lazy("delete account", "Yes, delete my account."),
        required=True,
        error_messages={"required": pgettext_lazy("delete account", "Tick the box to confirm.")},
    )

    def __init__(self, *args: Any, user: User, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        # The same limit as allauth's password confirmation: no guessing here.
        if not ratelimit.consume(self.request, action="reauthenticate", user=self.user):
            raise forms.ValidationError(
                pgettext_lazy("delete account", "Too many attempts. Wait a few minutes."),
                code="rate_limited",
            )
        if not self.user.check_password(password):
            raise forms.ValidationError(
                pgettext_lazy("delete account", "That is not your current password."),
                code="wrong_password",
            )
        return password
