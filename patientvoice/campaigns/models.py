"""Campaigns that collect moderated uploads, with public voting and a jury
(decisions/0041).

* :class:`Campaign`: an organisation's call for contributions: its brief and rules
  (the organisation's Markdown, rendered once by ``core.markup``), the windows for
  submissions and votes, what it accepts, the licences it offers, its age rules, how
  votes count and how the public vote and the jury combine. ``status`` moves forward
  only: draft → open → voting → closed → results published.
* :class:`Submission` (``core.models.Content``): one contribution, always held until
  a moderator approves it. Its files live in private storage; on approval copies are
  published to the public storage under new names (``public_*``), and those copies
  are deleted again when it is withdrawn, hidden or removed.
* :class:`Vote`: one per verified account per campaign or per submission (the
  campaign's ``vote_mode``), enforced by unique constraints. A vote in a burst from
  new accounts is held (not counted) until a moderator counts or discards it.
* :class:`JuryMember`, :class:`Criterion`, :class:`JuryScore`: the jury, what it
  scores (1–10, weighted) and its scores (one per juror, submission and criterion).

Counts are kept on write (``Submission.vote_count``); results are computed once, when
the organisation publishes them, and stored on the submissions.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import Content, PublicIdModel, TimeStampedModel


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("campaign status", "Draft")
    OPEN = "open", pgettext_lazy("campaign status", "Open for submissions")
    VOTING = "voting", pgettext_lazy("campaign status", "Voting")
    CLOSED = "closed", pgettext_lazy("campaign status", "Closed")
    PUBLISHED = "published", pgettext_lazy("campaign status", "Results published")


# The order a campaign passes through; ``actions.advance_campaign`` moves one step.
STATUS_ORDER = [s.value for s in CampaignStatus]


class SubmissionKind(models.TextChoices):
    IMAGE = "image", pgettext_lazy("submission kind", "Picture")
    TEXT = "text", pgettext_lazy("submission kind", "Short text")
    VIDEO = "video", pgettext_lazy("submission kind", "Video")


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", pgettext_lazy("licence", "CC BY 4.0 (others may reuse it, naming you)")
    CC_BY_NC = (
        "cc-by-nc-4.0",
        pgettext_lazy(
            "licence", "CC BY-NC 4.0 (others may reuse it, naming you, but not commercially)"
        ),
    )
    ALL_RIGHTS = (
        "all-rights-reserved",
        pgettext_lazy("licence", "All rights reserved (only this campaign may show it)"),
    )


class VoteMode(models.TextChoices):
    PER_CAMPAIGN = "campaign", pgettext_lazy("vote mode", "One vote per person in the campaign")
    PER_SUBMISSION = (
        "submission",
        pgettext_lazy("vote mode", "One vote per person for each submission"),
    )


class AgeGroup(models.TextChoices):
    """What the contributor said about their age, against the campaign's rules."""

    ADULT = "adult", pgettext_lazy("submission age", "Old enough to take part on my own")
    MINOR = "minor", pgettext_lazy("submission age", "Younger, with a guardian's consent")


class Campaign(PublicIdModel):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="campaigns"
    )
    title = models.CharField(pgettext_lazy("campaign field", "title"), max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="sv")
    # The organisation's texts: Markdown, rendered once at write time (core.markup).
    brief = models.TextField(pgettext_lazy("campaign field", "brief"))
    brief_html = models.TextField(editable=False)
    rules = models.TextField(pgettext_lazy("campaign field", "rules"))
    rules_html = models.TextField(editable=False)
    submissions_open_at = models.DateTimeField()
    submissions_close_at = models.DateTimeField()
    voting_opens_at = models.DateTimeField()
    voting_closes_at = models.DateTimeField()
    # Subsets of SubmissionKind and Licence values (validated by the actions).
    accepted_kinds = models.JSONField(default=list)
    licences = models.JSONField(default=list)
    # Younger than ``consent_age`` needs a guardian's consent; younger than
    # ``minimum_age`` cannot take part.
    consent_age = models.PositiveSmallIntegerField(default=18)
    minimum_age = models.PositiveSmallIntegerField(default=13)
    vote_mode = models.CharField(
        max_length=16, choices=VoteMode.choices, default=VoteMode.PER_CAMPAIGN
    )
    # How the public vote and the jury combine, in percent (together 100).
    public_weight = models.PositiveSmallIntegerField(default=50)
    jury_weight = models.PositiveSmallIntegerField(default=50)
    winners_count = models.PositiveSmallIntegerField(default=3)
    status = models.CharField(
        max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT, db_index=True
    )
    results_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-submissions_open_at", "-id"]
        indexes = [models.Index(fields=["organization", "status"], name="campaign_org_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=CampaignStatus.values), name="campaign_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(vote_mode__in=VoteMode.values), name="campaign_vote_mode_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=[code for code, _ in settings.LANGUAGES]),
                name="campaign_language_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(submissions_close_at__gt=models.F("submissions_open_at"))
                & models.Q(voting_closes_at__gt=models.F("voting_opens_at"))
                & models.Q(voting_opens_at__gte=models.F("submissions_open_at")),
                name="campaign_windows_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(minimum_age__lte=models.F("consent_age")),
                name="campaign_ages_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(public_weight__lte=100)
                & models.Q(jury_weight=100 - models.F("public_weight")),
                name="campaign_weights_sum_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(winners_count__gte=1) & models.Q(winners_count__lte=50),
                name="campaign_winners_count_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", kwargs={"slug": self.slug})

    @property
    def is_draft(self) -> bool:
        return self.status == CampaignStatus.DRAFT

    @property
    def results_published(self) -> bool:
        return self.status == CampaignStatus.PUBLISHED

    def accepts(self, kind: str) -> bool:
        return kind in self.accepted_kinds

    def accepted_kind_labels(self) -> list[str]:
        return [str(k.label) for k in SubmissionKind if k.value in self.accepted_kinds]

    def licence_labels(self) -> list[str]:
        return [str(lic.label) for lic in Licence if lic.value in self.licences]


class SubmissionQuerySet(models.QuerySet["Submission"]):
    def approved(self) -> SubmissionQuerySet:
        from patientvoice.core.models import ContentStatus

        return self.filter(status=ContentStatus.PUBLISHED)


class Submission(Content):
    """One contribution to a campaign. ``body`` is the short text, or the caption of a
    picture or video. Written only through ``actions.submit_entry`` (always held for a
    moderator)."""

    MAX_BODY_LENGTH: ClassVar[int] = 3000
    MAX_TITLE_LENGTH: ClassVar[int] = 120
    MAX_ALT_LENGTH: ClassVar[int] = 500

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="submissions")
    title = models.CharField(max_length=120)
    kind = models.CharField(max_length=8, choices=SubmissionKind.choices)
    licence = models.CharField(max_length=24, choices=Licence.choices)
    alt_text = models.CharField(max_length=500, blank=True)
    # Files in private storage (storages["private"]): the re-encoded picture or the
    # remuxed video, its poster frame and the picture's responsive sizes ({width: name},
    # made by the worker).
    file_name = models.CharField(max_length=200, blank=True)
    poster_name = models.CharField(max_length=200, blank=True)
    rendition_names = models.JSONField(default=dict, blank=True)
    # Their copies in the public (default) storage while the submission is approved.
    public_file = models.CharField(max_length=200, blank=True)
    public_poster = models.CharField(max_length=200, blank=True)
    public_renditions = models.JSONField(default=dict, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    # The age rules: never shown to anyone but the organisation's moderators.
    age_group = models.CharField(max_length=8, choices=AgeGroup.choices)
    guardian_name = models.CharField(max_length=150, blank=True)
    guardian_email = models.EmailField(blank=True)
    rules_accepted_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Kept on write: counted votes only (held ones wait for a moderator).
    vote_count = models.PositiveIntegerField(default=0)
    # Stored when the results are published (actions.publish_results).
    public_share = models.FloatField(null=True, blank=True)
    jury_share = models.FloatField(null=True, blank=True)
    combined_score = models.FloatField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    is_winner = models.BooleanField(default=False)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["campaign", "status", "-published_at"], name="submission_gallery"),
            models.Index(fields=["campaign", "rank"], name="submission_results"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SubmissionKind.values), name="submission_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(licence__in=Licence.values), name="submission_licence_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(age_group__in=AgeGroup.values),
                name="submission_age_group_valid",
            ),
            # A picture needs its alt text; a picture or video its file.
            models.CheckConstraint(
                condition=~models.Q(kind=SubmissionKind.IMAGE) | ~models.Q(alt_text=""),
                name="submission_image_has_alt_text",
            ),
            # A minor's guardian is named, with an address to reach them.
            models.CheckConstraint(
                condition=~models.Q(age_group=AgeGroup.MINOR)
                | (~models.Q(guardian_name="") & ~models.Q(guardian_email="")),
                name="submission_minor_has_guardian",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "campaigns:submission",
            kwargs={"slug": self.campaign.slug, "public_id": self.public_id},
        )

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def srcset_widths(self) -> list[tuple[int, str]]:
        """The public renditions as (width, name), narrowest first."""
        return sorted((int(w), n) for w, n in self.public_renditions.items())


class VoteStatus(models.TextChoices):
    COUNTED = "counted", pgettext_lazy("vote status", "Counted")
    HELD = "held", pgettext_lazy("vote status", "Held for review")
    DISCARDED = "discarded", pgettext_lazy("vote status", "Discarded")


class Vote(TimeStampedModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="votes")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_votes"
    )
    # Copied from the campaign when cast, so the database can enforce "one per
    # campaign" with a partial unique constraint.
    per_campaign = models.BooleanField()
    # The account was younger than PV_CAMPAIGN_NEW_ACCOUNT_DAYS when it voted.
    from_new_account = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=VoteStatus.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["campaign", "status", "created_at"], name="vote_campaign_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["submission", "voter"], name="vote_one_per_submission"),
            models.UniqueConstraint(
                fields=["campaign", "voter"],
                condition=models.Q(per_campaign=True),
                name="vote_one_per_campaign",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=VoteStatus.values), name="vote_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.submission_id} ({self.status})"


class JuryMember(TimeStampedModel):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="jury")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_juries"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="jury_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.campaign_id}"


class Criterion(TimeStampedModel):
    """What the jury scores, on a scale of 1 to ``SCALE``, with a relative weight."""

    SCALE: ClassVar[int] = 10

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(pgettext_lazy("criterion field", "name"), max_length=100)
    description = models.CharField(
        pgettext_lazy("criterion field", "description"), max_length=300, blank=True
    )
    weight = models.PositiveSmallIntegerField(pgettext_lazy("criterion field", "weight"), default=1)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(weight__gte=1) & models.Q(weight__lte=100),
                name="criterion_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class JuryScore(TimeStampedModel):
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="scores")
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_scores"
    )
    score = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["juror", "submission", "criterion"], name="jury_score_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1) & models.Q(score__lte=10),
                name="jury_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror_id}: {self.criterion_id}={self.score}"
