from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.accounts.queries import person_by_handle
from patientvoice.core.images import LOGO, ImageField

from .actions import EDITABLE_FIELDS, IDENTITY_FIELDS
from .models import Organization, OrganizationKind, StaffRole

# Form limits are the model's column limits (a longer value would reach the database
# and fail there: a 500 on PostgreSQL). Text columns have no limit; these do.
MAX_TEXT_LENGTH = 5000
MAX_GUIDELINES_LENGTH = 20_000
MAX_REASON_LENGTH = 500


def _column_length(model: type[Any], name: str) -> int | None:
    length: int | None = model._meta.get_field(name).max_length
    return length


class AddStaffForm(forms.Form):
    handle = forms.CharField(
        label=pgettext_lazy("organisation staff", "Handle of the person"),
        max_length=_column_length(User, "handle"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=pgettext_lazy("organisation staff", "Role"),
        choices=StaffRole.choices,
        initial=StaffRole.MODERATOR,
        widget=forms.RadioSelect,
    )

    def clean_handle(self) -> User:
        person = person_by_handle(self.cleaned_data["handle"])
        if person is None or not person.is_active or person.erasure_pending:
            raise forms.ValidationError(
                pgettext_lazy("organisation staff", "Nobody has that handle."), code="unknown"
            )
        return person


class OrganizationForm(forms.Form):
    """What an organisation's page says. Limits match the model's."""

    name = forms.CharField(
        label=pgettext_lazy("organisation form", "Name"),
        max_length=_column_length(Organization, "name"),
    )
    description = forms.CharField(
        label=pgettext_lazy("organisation form", "Description"),
        help_text=pgettext_lazy(
            "organisation form", "Who you are and whom you support, in a few sentences."
        ),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    language = forms.ChoiceField(
        label=pgettext_lazy("organisation form", "Language of the page"),
        choices=settings.LANGUAGES,
    )
    website = forms.URLField(
        label=pgettext_lazy("organisation form", "Website"),
        max_length=_column_length(Organization, "website"),
        required=False,
    )
    contact_email = forms.EmailField(
        label=pgettext_lazy("organisation form", "Contact e-mail"),
        help_text=pgettext_lazy("organisation form", "Shown on the page."),
        max_length=_column_length(Organization, "contact_email"),
        required=False,
    )
    registration_number = forms.CharField(
        label=pgettext_lazy("organisation form", "Registration number"),
        help_text=pgettext_lazy("organisation form", "Organisationsnummer, or a foreign one."),
        max_length=_column_length(Organization, "registration_number"),
        required=False,
    )
    funding = forms.CharField(
        label=pgettext_lazy("organisation form", "Who funds you"),
        help_text=pgettext_lazy(
            "organisation form",
            "Member fees, grants, companies: readers judge your independence by it. "
            "Markdown works: **bold**, lists, links.",
        ),
        max_length=MAX_TEXT_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    medical_information_email = forms.EmailField(
        label=pgettext_lazy("organisation form", "Medical information service e-mail"),
        help_text=pgettext_lazy(
            "organisation form",
            "Members' private questions about your medicines are sent here, never answered "
            "in public. Leave it empty to take no questions.",
        ),
        max_length=_column_length(Organization, "medical_information_email"),
        required=False,
    )

    def __init__(self, *args: Any, sponsor: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not sponsor:
            del self.fields["medical_information_email"]

    @classmethod
    def initial_from(cls, organization: Organization) -> dict[str, Any]:
        return {field: getattr(organization, field) for field in EDITABLE_FIELDS}

    def page_fields(self) -> dict[str, str]:
        return {
            field: self.cleaned_data[field] for field in EDITABLE_FIELDS if field in self.fields
        }


class OrganizationEditForm(OrganizationForm):
    logo = ImageField(
        spec=LOGO, label=pgettext_lazy("organisation form", "New logo"), required=False
    )
    remove_logo = forms.BooleanField(
        label=pgettext_lazy("organisation form", "Remove the logo"), required=False
    )

    def __init__(self, *args: Any, verified: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if verified:
            # Said before saving, next to each field it concerns (actions.IDENTITY_FIELDS).
            warning = pgettext(
                "organisation form",
                "Changing this removes the verified badge until site staff check the "
                "organisation again.",
            )
            for name in IDENTITY_FIELDS:
                help_text = self.fields[name].help_text
                self.fields[name].help_text = f"{help_text} {warning}" if help_text else warning


class OrganizationCreateForm(OrganizationForm):
    kind = forms.ChoiceField(
        label=pgettext_lazy("organisation form", "Kind"),
        choices=OrganizationKind.choices,
        initial=OrganizationKind.ADVOCACY,
        widget=forms.RadioSelect,
    )
    verified = forms.BooleanField(
        label=pgettext_lazy("organisation form", "Verified"),
        help_text=pgettext_lazy(
            "organisation form",
            "Tick only when you have checked the registration and the people behind it.",
        ),
        required=False,
    )

    field_order = ["name", "kind", "language", "description", "website", "contact_email"]


class VerificationForm(forms.Form):
    """Verify (``decision=verify``) or withdraw a verification (``withdraw``). A
    withdrawal needs a reason: it takes a public mark of trust away, and the
    organisation will ask why. Verifying records who and when; how it was checked is
    asked for but optional (decisions/0024)."""

    decision = forms.ChoiceField(
        label=pgettext_lazy("organisation verification", "Decision"),
        choices=[
            ("verify", pgettext_lazy("organisation verification", "Verify")),
            ("withdraw", pgettext_lazy("organisation verification", "Withdraw the verification")),
        ],
    )
    reason = forms.CharField(
        label=pgettext_lazy("organisation verification", "How was it checked, or why withdrawn?"),
        max_length=MAX_REASON_LENGTH,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "withdraw" and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason",
                forms.ValidationError(
                    pgettext_lazy(
                        "organisation verification",
                        "Say why the verification is withdrawn: it is kept in the audit log.",
                    ),
                    code="required",
                ),
            )
        return cleaned


class GuidelinesForm(forms.Form):
    """A community's guidelines, as its hosting organisation writes them."""

    body = forms.CharField(
        label=pgettext_lazy("guidelines form", "Guidelines"),
        help_text=pgettext_lazy(
            "guidelines form",
            "Markdown: **bold**, lists with -, links. Publishing makes a new version, "
            "and everyone accepts it before they next post.",
        ),
        max_length=MAX_GUIDELINES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
    )

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(
                pgettext_lazy("guidelines form", "Write the guidelines."), code="required"
            )
        return body
