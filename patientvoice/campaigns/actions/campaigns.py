"""Running a campaign: create, edit, move to the next phase, the jury and its criteria.
Every write is audited as ``campaigns.*``."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.core.markup import render_markdown
from patientvoice.core.slugs import free_slug
from patientvoice.organizations import sponsor_fence
from patientvoice.organizations.models import Organization

from ..errors import CampaignLocked, InvalidCampaign, SponsorJuror, WrongPhase
from ..models import (
    STATUS_ORDER,
    Campaign,
    CampaignStatus,
    Criterion,
    JuryMember,
    JuryScore,
    Licence,
    SubmissionKind,
    VoteMode,
)
from ..permissions import check_run_campaigns

MAX_TEXT_LENGTH = 10_000
RESERVED_SLUGS = frozenset({"by", "new"})
# How winners are chosen: fixed once voting starts, so nobody changes the rules after
# watching the live preview (decisions/0041). The criteria are fixed with them.
RULES_FIELDS = ("vote_mode", "public_weight", "winners_count")


@dataclass
class CampaignSettings:
    """Everything the campaign form sets (``slug`` only when creating)."""

    title: str
    brief: str
    rules: str
    language: str
    submissions_open_at: datetime
    submissions_close_at: datetime
    voting_opens_at: datetime
    voting_closes_at: datetime
    accepted_kinds: list[str]
    licences: list[str]
    consent_age: int = 18
    minimum_age: int = 13
    vote_mode: str = VoteMode.PER_CAMPAIGN
    public_weight: int = 50
    winners_count: int = 3


def _validate(values: CampaignSettings) -> None:
    if not values.title.strip():
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "Give the campaign a title."), field="title"
        )
    if not values.brief.strip():
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "Write the brief: what you ask people to send."),
            field="brief",
        )
    if not values.rules.strip():
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "Write the rules contributors agree to."), field="rules"
        )
    for field, text in (("brief", values.brief), ("rules", values.rules)):
        if len(text) > MAX_TEXT_LENGTH:
            raise InvalidCampaign(
                pgettext_lazy("campaign form", "Keep it under %(limit)s characters."),
                field=field,
                limit=MAX_TEXT_LENGTH,
            )
    kinds = set(values.accepted_kinds)
    if not kinds or not kinds <= set(SubmissionKind.values):
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "Choose at least one kind of contribution."),
            field="accepted_kinds",
        )
    licences = set(values.licences)
    if not licences or not licences <= set(Licence.values):
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "Offer contributors at least one licence."),
            field="licences",
        )
    if values.submissions_close_at <= values.submissions_open_at:
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "Submissions must close after they open."),
            field="submissions_close_at",
        )
    if values.voting_opens_at < values.submissions_open_at:
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "Voting cannot open before submissions open."),
            field="voting_opens_at",
        )
    if values.voting_closes_at <= values.voting_opens_at:
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "Voting must close after it opens."),
            field="voting_closes_at",
        )
    if not 0 < values.minimum_age <= values.consent_age <= 120:
        raise InvalidCampaign(
            pgettext_lazy(
                "campaign form",
                "The lowest age must be above 0 and at most the age from which no "
                "guardian's consent is needed.",
            ),
            field="minimum_age",
        )
    if values.vote_mode not in VoteMode.values:
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "Choose how votes count."), field="vote_mode"
        )
    if not 0 <= values.public_weight <= 100:
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "The public vote's weight is a percentage, 0 to 100."),
            field="public_weight",
        )
    if not 1 <= values.winners_count <= 50:
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "Choose between 1 and 50 winners."),
            field="winners_count",
        )


def _apply(campaign: Campaign, values: CampaignSettings) -> None:
    for f in fields(values):
        setattr(campaign, f.name, getattr(values, f.name))
    campaign.title = values.title.strip()
    campaign.accepted_kinds = [k for k in SubmissionKind.values if k in values.accepted_kinds]
    campaign.licences = [lic for lic in Licence.values if lic in values.licences]
    campaign.jury_weight = 100 - values.public_weight
    # The organisation's own text, still rendered through the one safe Markdown module.
    campaign.brief_html = render_markdown(values.brief)
    campaign.rules_html = render_markdown(values.rules)


@transaction.atomic
def create_campaign(
    *, actor: User | None, organization: Organization, values: CampaignSettings, slug: str = ""
) -> Campaign:
    """A draft campaign of ``organization``. Preconditions: ``actor`` may run its
    campaigns (``None``: the system, for demo data). Raises ``InvalidCampaign``."""
    if actor is not None:
        check_run_campaigns(actor, organization)
    _validate(values)
    campaign = Campaign(organization=organization, created_by=actor)
    _apply(campaign, values)
    campaign.slug = slug or free_slug(Campaign, values.title, fallback="campaign")
    if campaign.slug in RESERVED_SLUGS:  # the list's own paths (urls.py)
        campaign.slug = free_slug(Campaign, f"{campaign.slug}-campaign", fallback="campaign")
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError:
        raise InvalidCampaign(
            pgettext_lazy("campaign form", "Another campaign has this address. Choose another."),
            field="slug",
        ) from None
    audit.record(actor=actor, action="campaigns.created", target=campaign)
    return campaign


@transaction.atomic
def update_campaign(
    *, actor: User | None, campaign: Campaign, values: CampaignSettings
) -> Campaign:
    """Change a campaign's settings until its results are published."""
    if actor is not None:
        check_run_campaigns(actor, campaign.organization)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.results_published:
        raise CampaignLocked
    _validate(values)
    if rules_locked(campaign):
        for name in RULES_FIELDS:
            if getattr(campaign, name) != getattr(values, name):
                raise InvalidCampaign(_RULES_LOCKED, field=name)
    _apply(campaign, values)
    campaign.save()
    audit.record(actor=actor, action="campaigns.changed", target=campaign)
    return campaign


@transaction.atomic
def advance_campaign(*, actor: User | None, campaign: Campaign, to: str) -> Campaign:
    """Move the campaign one phase on (draft → open → voting → closed); ``to`` names
    the phase expected next, so a form sent twice does not skip one. Publishing the
    results is :func:`publish_results`."""
    if actor is not None:
        check_run_campaigns(actor, campaign.organization)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    position = STATUS_ORDER.index(campaign.status)
    if to == CampaignStatus.PUBLISHED or position + 1 >= len(STATUS_ORDER):
        raise WrongPhase
    if STATUS_ORDER[position + 1] != to:
        raise WrongPhase
    previous = campaign.status
    campaign.status = to
    campaign.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=actor, action="campaigns.advanced", target=campaign, data={"from": previous, "to": to}
    )
    return campaign


_RULES_LOCKED = pgettext_lazy(
    "campaign form",
    "Voting has started: how votes count, the weights, the number of winners and the "
    "jury's criteria can no longer change.",
)


def rules_locked(campaign: Campaign) -> bool:
    """Whether how winners are chosen is fixed (voting has started)."""
    return STATUS_ORDER.index(campaign.status) >= STATUS_ORDER.index(CampaignStatus.VOTING)


def _check_not_published(campaign: Campaign) -> None:
    if campaign.results_published:
        raise CampaignLocked


def _check_criteria_open(campaign: Campaign, *, field: str | None) -> Campaign:
    """The campaign's row, locked and read again, while criteria may still change."""
    current = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _check_not_published(current)
    if rules_locked(current):
        raise InvalidCampaign(_RULES_LOCKED, field=field)
    return current


@transaction.atomic
def add_juror(*, actor: User | None, campaign: Campaign, user: User) -> JuryMember:
    """Make ``user`` (a member of the site) a jury member of the campaign.
    Raises ``SponsorJuror`` (403, on ``handle``) when ``user`` works for a sponsor: a
    juror ranks, which a sponsor's staff never do (decisions/0038)."""
    if actor is not None:
        check_run_campaigns(actor, campaign.organization)
    _check_not_published(campaign)
    try:
        sponsor_fence.check_may_hold_powers(user)
    except PermissionDenied:
        raise SponsorJuror(field="handle") from None
    member, created = JuryMember.objects.get_or_create(campaign=campaign, user=user)
    if created:
        audit.record(
            actor=actor, action="campaigns.juror_added", target=campaign,
            data={"user": str(user.public_id)},
        )  # fmt: skip
    return member


@transaction.atomic
def remove_juror(*, actor: User | None, campaign: Campaign, user_id: int) -> bool:
    """Take a jury member off the campaign; their scores go with them."""
    if actor is not None:
        check_run_campaigns(actor, campaign.organization)
    _check_not_published(campaign)
    member = JuryMember.objects.filter(campaign=campaign, user_id=user_id).first()
    if member is None:
        return False
    JuryScore.objects.filter(criterion__campaign=campaign, juror_id=user_id).delete()
    member.delete()
    audit.record(actor=actor, action="campaigns.juror_removed", target=campaign)
    return True


@transaction.atomic
def add_criterion(
    *, actor: User | None, campaign: Campaign, name: str, description: str = "", weight: int = 1
) -> Criterion:
    """A criterion the jury scores. Raises ``InvalidCampaign`` once voting has started
    (the criteria are part of how winners are chosen) and for a bad name or weight."""
    if actor is not None:
        check_run_campaigns(actor, campaign.organization)
    campaign = _check_criteria_open(campaign, field="name")
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidCampaign(
            pgettext_lazy("jury form", "Name the criterion (100 characters at most)."), field="name"
        )
    if not 1 <= weight <= 100:
        raise InvalidCampaign(
            pgettext_lazy("jury form", "The weight is a whole number from 1 to 100."),
            field="weight",
        )
    criterion = Criterion.objects.create(
        campaign=campaign, name=name, description=description.strip()[:300], weight=weight
    )
    audit.record(
        actor=actor, action="campaigns.criterion_added", target=campaign, data={"name": name}
    )
    return criterion


@transaction.atomic
def remove_criterion(*, actor: User | None, campaign: Campaign, criterion_id: int) -> bool:
    """Remove a criterion and its scores; refused (``InvalidCampaign``) once voting has
    started."""
    if actor is not None:
        check_run_campaigns(actor, campaign.organization)
    campaign = _check_criteria_open(campaign, field=None)
    deleted, _ = Criterion.objects.filter(campaign=campaign, pk=criterion_id).delete()
    if deleted:
        audit.record(actor=actor, action="campaigns.criterion_removed", target=campaign)
    return bool(deleted)
