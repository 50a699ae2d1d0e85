"""Campaigns, submissions and the people around them, made through the actions."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from allauth.mfa.models import Authenticator
from django.utils import timezone
from PIL import Image

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.campaigns import actions
from patientvoice.campaigns.actions import CampaignSettings, Entry
from patientvoice.campaigns.models import (
    STATUS_ORDER,
    AgeGroup,
    Campaign,
    CampaignStatus,
    Criterion,
    Licence,
    Submission,
    SubmissionKind,
    VoteMode,
)
from patientvoice.core.models import ContentStatus
from patientvoice.organizations import actions as org_actions
from patientvoice.organizations.models import Organization, StaffRole
from patientvoice.organizations.tests.factories import OrganizationFactory


def png_bytes(
    width: int = 64, height: int = 48, colour: tuple[int, int, int] = (30, 90, 160)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def with_second_factor(user: User) -> User:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
        )
    return user


def staff_of(organization: Organization, role: str = StaffRole.ADMIN, **kwargs: Any) -> User:
    person = with_second_factor(UserFactory.create(**kwargs))
    org_actions.add_staff(actor=None, organization=organization, user=person, role=role)
    return person


def settings_for(**overrides: Any) -> CampaignSettings:
    """Submissions and voting both open around now (the phase decides what works)."""
    now = timezone.now()
    values: dict[str, Any] = {
        "title": "Pictures of pain",
        "brief": "Send a **picture** or a short text about living with pain.",
        "rules": "Your own work only.",
        "language": "en",
        "submissions_open_at": now - timedelta(days=1),
        "submissions_close_at": now + timedelta(days=7),
        "voting_opens_at": now - timedelta(days=1),
        "voting_closes_at": now + timedelta(days=14),
        "accepted_kinds": [SubmissionKind.IMAGE, SubmissionKind.TEXT, SubmissionKind.VIDEO],
        "licences": list(Licence.values),
        "vote_mode": VoteMode.PER_CAMPAIGN,
    }
    values.update(overrides)
    return CampaignSettings(**values)


def make_campaign(
    *, organization: Organization | None = None, status: str = CampaignStatus.OPEN, **overrides: Any
) -> Campaign:
    organization = organization or OrganizationFactory.create()
    campaign = actions.create_campaign(
        actor=None, organization=organization, values=settings_for(**overrides)
    )
    for step in STATUS_ORDER[1 : STATUS_ORDER.index(status) + 1]:
        if step == CampaignStatus.PUBLISHED:
            campaign = actions.publish_results(actor=None, campaign=campaign)
        else:
            campaign = actions.advance_campaign(actor=None, campaign=campaign, to=step)
    return campaign


def entry(**overrides: Any) -> Entry:
    values: dict[str, Any] = {
        "kind": SubmissionKind.TEXT,
        "title": "Like sand in my knees",
        "text": "Cold mornings feel like sand in every joint.",
        "licence": Licence.CC_BY,
        "age_group": AgeGroup.ADULT,
        "rules_accepted": True,
    }
    if overrides.get("kind") == SubmissionKind.IMAGE:
        values.update(alt_text="Blue squares on a white ground", upload=png_bytes())
    values.update(overrides)
    return Entry(**values)


def submit(campaign: Campaign, author: User | None = None, **overrides: Any) -> Submission:
    author = author or UserFactory.create()
    result = actions.submit_entry(
        author=author, campaign=campaign, entry=entry(**overrides), language="en"
    )
    assert isinstance(result.content, Submission)
    return result.content


def approved(campaign: Campaign, author: User | None = None, **overrides: Any) -> Submission:
    """An approved submission; the campaign is moved to voting if it was still open."""
    status = campaign.status
    if status != CampaignStatus.OPEN:
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.OPEN)
        campaign.status = CampaignStatus.OPEN
    submission = submit(campaign, author, **overrides)
    actions.set_submission_status(submission, ContentStatus.PUBLISHED)
    if status != CampaignStatus.OPEN:
        Campaign.objects.filter(pk=campaign.pk).update(status=status)
        campaign.status = status
    submission.refresh_from_db()
    submission.campaign = campaign
    return submission


def new_account(**kwargs: Any) -> User:
    return UserFactory.create(date_joined=timezone.now() - timedelta(days=1), **kwargs)


def criteria(campaign: Campaign, **weights: int) -> list[Criterion]:
    """The jury's criteria (name=weight), added as the rules require: before voting
    starts. A campaign already further on is moved back for the moment."""
    status = campaign.status
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.OPEN)
    made = [
        actions.add_criterion(actor=None, campaign=campaign, name=name, weight=weight)
        for name, weight in weights.items()
    ]
    Campaign.objects.filter(pk=campaign.pk).update(status=status)
    return made
