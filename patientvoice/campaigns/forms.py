"""The campaign form, the submission form and the jury's forms. The actions decide;
the forms carry what was typed back to the page (a refusal comes back with every
field as it was)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.core.formrendering import ErrorSummaryMixin

from .actions import CampaignSettings, Entry
from .actions.submissions import TOO_YOUNG
from .models import (
    AgeGroup,
    Campaign,
    Criterion,
    Licence,
    Submission,
    SubmissionKind,
    VoteMode,
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class CampaignForm(ErrorSummaryMixin, forms.Form):
    title = forms.CharField(label=pgettext_lazy("campaign form", "Title"), max_length=150)
    language = forms.ChoiceField(
        label=pgettext_lazy("campaign form", "Language of the campaign"),
        choices=settings.LANGUAGES,
    )
    brief = forms.CharField(
        label=pgettext_lazy("campaign form", "Brief"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        help_text=pgettext_lazy(
            "campaign form", "What you ask people to send, and why. Markdown works."
        ),
    )
    rules = forms.CharField(
        label=pgettext_lazy("campaign form", "Rules"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10_000,
        help_text=pgettext_lazy(
            "campaign form", "What contributors agree to when they send something. Markdown works."
        ),
    )
    submissions_open_at = _datetime_field(pgettext_lazy("campaign form", "Submissions open"))
    submissions_close_at = _datetime_field(pgettext_lazy("campaign form", "Submissions close"))
    voting_opens_at = _datetime_field(pgettext_lazy("campaign form", "Voting opens"))
    voting_closes_at = _datetime_field(pgettext_lazy("campaign form", "Voting closes"))
    accepted_kinds = forms.MultipleChoiceField(
        label=pgettext_lazy("campaign form", "What people may send"),
        choices=SubmissionKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    licences = forms.MultipleChoiceField(
        label=pgettext_lazy("campaign form", "Licences contributors may choose"),
        choices=Licence.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_age = forms.IntegerField(
        label=pgettext_lazy("campaign form", "Age from which no guardian's consent is needed"),
        min_value=1,
        max_value=120,
        initial=18,
    )
    minimum_age = forms.IntegerField(
        label=pgettext_lazy("campaign form", "Lowest age to take part"),
        min_value=1,
        max_value=120,
        initial=13,
        help_text=pgettext_lazy(
            "campaign form",
            "Between the two ages, a guardian's name, e-mail address and consent are asked for.",
        ),
    )
    vote_mode = forms.ChoiceField(
        label=pgettext_lazy("campaign form", "How votes count"),
        choices=VoteMode.choices,
        widget=forms.RadioSelect,
        initial=VoteMode.PER_CAMPAIGN,
    )
    public_weight = forms.IntegerField(
        label=pgettext_lazy("campaign form", "Weight of the public vote, in percent"),
        min_value=0,
        max_value=100,
        initial=50,
        help_text=pgettext_lazy(
            "campaign form", "The jury's weight is the rest: 100 minus this number."
        ),
    )
    winners_count = forms.IntegerField(
        label=pgettext_lazy("campaign form", "Number of winners"),
        min_value=1,
        max_value=50,
        initial=3,
    )

    def values(self) -> CampaignSettings:
        data = self.cleaned_data
        return CampaignSettings(
            title=data["title"],
            brief=data["brief"],
            rules=data["rules"],
            language=data["language"],
            submissions_open_at=data["submissions_open_at"],
            submissions_close_at=data["submissions_close_at"],
            voting_opens_at=data["voting_opens_at"],
            voting_closes_at=data["voting_closes_at"],
            accepted_kinds=list(data["accepted_kinds"]),
            licences=list(data["licences"]),
            consent_age=data["consent_age"],
            minimum_age=data["minimum_age"],
            vote_mode=data["vote_mode"],
            public_weight=data["public_weight"],
            winners_count=data["winners_count"],
        )

    @staticmethod
    def initial_from(campaign: Campaign) -> dict[str, Any]:
        from django.utils import timezone

        def local(value: Any) -> Any:
            return timezone.localtime(value)

        return {
            "title": campaign.title,
            "language": campaign.language,
            "brief": campaign.brief,
            "rules": campaign.rules,
            "submissions_open_at": local(campaign.submissions_open_at),
            "submissions_close_at": local(campaign.submissions_close_at),
            "voting_opens_at": local(campaign.voting_opens_at),
            "voting_closes_at": local(campaign.voting_closes_at),
            "accepted_kinds": campaign.accepted_kinds,
            "licences": campaign.licences,
            "consent_age": campaign.consent_age,
            "minimum_age": campaign.minimum_age,
            "vote_mode": campaign.vote_mode,
            "public_weight": campaign.public_weight,
            "winners_count": campaign.winners_count,
        }


class SubmissionForm(ErrorSummaryMixin, forms.Form):
    """Fields follow the campaign: the kinds it accepts, the licences it offers and its
    ages."""

    kind = forms.ChoiceField(
        label=pgettext_lazy("submission form", "What do you send?"), widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=pgettext_lazy("submission form", "Title"), max_length=Submission.MAX_TITLE_LENGTH
    )
    text = forms.CharField(
        label=pgettext_lazy("submission form", "Your text, or a caption for your picture or video"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=Submission.MAX_BODY_LENGTH,
        required=False,
        help_text=pgettext_lazy(
            "submission form",
            "Needed for a short text; optional for a picture or video. Do not write anyone's "
            "name, address or phone number.",
        ),
    )
    file = forms.FileField(
        label=pgettext_lazy("submission form", "Picture or video"),
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/webp,video/mp4,video/webm"}
        ),
        help_text=pgettext_lazy(
            "submission form",
            "A picture: PNG, JPEG or WebP, at most 15 MB. A video: MP4 or WebM, at most "
            "50 MB and 2 minutes. We remove location data and other hidden details.",
        ),
    )
    alt_text = forms.CharField(
        label=pgettext_lazy("submission form", "Describe the picture (alt text)"),
        max_length=Submission.MAX_ALT_LENGTH,
        required=False,
        help_text=pgettext_lazy(
            "submission form",
            "Needed for a picture: what it shows, for people who cannot see it.",
        ),
    )
    licence = forms.ChoiceField(
        label=pgettext_lazy("submission form", "Licence"), widget=forms.RadioSelect
    )
    age_group = forms.ChoiceField(
        label=pgettext_lazy("submission form", "Your age"), widget=forms.RadioSelect
    )
    guardian_name = forms.CharField(
        label=pgettext_lazy("submission form", "Your guardian's name"),
        max_length=150,
        required=False,
        help_text=pgettext_lazy(
            "submission form",
            "Only if you are younger. Only the organisation's moderators see it.",
        ),
    )
    guardian_email = forms.CharField(
        label=pgettext_lazy("submission form", "Your guardian's e-mail address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput,
    )
    guardian_consent = forms.BooleanField(
        label=pgettext_lazy("submission form", "My guardian agrees that I take part"),
        required=False,
    )
    rules_accepted = forms.BooleanField(
        label=pgettext_lazy("submission form", "I have read and accept the campaign's rules"),
        required=False,
    )

    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [c for c in SubmissionKind.choices if c[0] in campaign.accepted_kinds]
        if len(campaign.accepted_kinds) == 1:
            self.initial.setdefault("kind", campaign.accepted_kinds[0])
        licence_field = self.fields["licence"]
        assert isinstance(licence_field, forms.ChoiceField)
        licence_field.choices = [c for c in Licence.choices if c[0] in campaign.licences]
        age_field = self.fields["age_group"]
        assert isinstance(age_field, forms.ChoiceField)
        age_field.choices = [
            (
                AgeGroup.ADULT,
                pgettext("submission form", "I am %(age)s or older")
                % {"age": campaign.consent_age},
            ),
            (
                AgeGroup.MINOR,
                pgettext("submission form", "I am %(low)s to %(high)s, and my guardian agrees")
                % {"low": campaign.minimum_age, "high": campaign.consent_age - 1},
            ),
            (
                TOO_YOUNG,
                pgettext("submission form", "I am younger than %(age)s")
                % {"age": campaign.minimum_age},
            ),
        ]
        if campaign.minimum_age == campaign.consent_age:
            age_field.choices = [age_field.choices[0], age_field.choices[2]]

    def entry(self, upload: Any) -> Entry:
        data = self.cleaned_data
        return Entry(
            kind=data["kind"],
            title=data["title"],
            text=data.get("text", ""),
            licence=data["licence"],
            age_group=data["age_group"],
            rules_accepted=bool(data.get("rules_accepted")),
            alt_text=data.get("alt_text", ""),
            guardian_name=data.get("guardian_name", ""),
            guardian_email=data.get("guardian_email", ""),
            guardian_consent=bool(data.get("guardian_consent")),
            upload=upload,
        )


class JurorForm(ErrorSummaryMixin, forms.Form):
    handle = forms.CharField(
        label=pgettext_lazy("jury form", "Handle of the member to add to the jury"), max_length=30
    )


class CriterionForm(ErrorSummaryMixin, forms.Form):
    name = forms.CharField(label=pgettext_lazy("jury form", "Criterion"), max_length=100)
    description = forms.CharField(
        label=pgettext_lazy("jury form", "What the jury looks for"), max_length=300, required=False
    )
    weight = forms.IntegerField(
        label=pgettext_lazy("jury form", "Weight"),
        min_value=1,
        max_value=100,
        initial=1,
        help_text=pgettext_lazy(
            "jury form", "Compared with the other criteria: 2 counts twice as much as 1."
        ),
    )


class ScoreForm(ErrorSummaryMixin, forms.Form):
    """One score (1 to 10) per criterion of the campaign."""

    def __init__(
        self, *args: Any, criteria: list[Criterion], current: dict[int, int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                help_text=criterion.description,
                min_value=1,
                max_value=Criterion.SCALE,
                initial=current.get(criterion.pk),
                error_messages={
                    "required": pgettext_lazy("jury form", "Give a score from 1 to 10."),
                },
            )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}
