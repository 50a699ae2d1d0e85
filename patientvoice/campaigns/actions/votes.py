"""Votes: cast one, the moderators' review of held votes, erasure.

One vote per verified account per campaign or per submission (the campaign's
``vote_mode``), only inside the voting window, never for one's own submission; the
database's unique constraints enforce "one" even when two requests race. Votes from
accounts younger than ``PV_CAMPAIGN_NEW_ACCOUNT_DAYS`` beyond
``PV_CAMPAIGN_NEW_ACCOUNT_VOTES_PER_HOUR`` in the last hour of a campaign are held (not
counted) until a moderator counts or discards them. ``Submission.vote_count`` holds
the counted votes, changed with ``F()`` in the transaction that changes a vote.

A vote locks the campaign's row, then the submission's, and checks again on those
fresh rows (the phase and window, the submission still approved and not withdrawn):
a vote cannot slip in while the organisers close the campaign or publish the results,
nor count for a submission withdrawn or taken down a moment ago. Locking the campaign
also serialises the burst count of new accounts' votes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.core.models import ContentStatus
from patientvoice.reviews.trust import has_verified_email

from ..errors import (
    AlreadyVoted,
    AlreadyVotedInCampaign,
    CampaignLocked,
    NotVerified,
    NotVotable,
    OwnSubmission,
    VotingClosed,
    WrongPhase,
)
from ..models import Campaign, CampaignStatus, Submission, Vote, VoteMode, VoteStatus
from ..permissions import check_moderate_campaign


def new_account_days() -> int:
    return int(getattr(settings, "PV_CAMPAIGN_NEW_ACCOUNT_DAYS", 7))


def burst_threshold() -> int:
    return int(getattr(settings, "PV_CAMPAIGN_NEW_ACCOUNT_VOTES_PER_HOUR", 20))


def voting_is_open(campaign: Campaign, *, now: object = None) -> bool:
    moment = now if isinstance(now, datetime) else timezone.now()
    return bool(
        campaign.status == CampaignStatus.VOTING
        and campaign.voting_opens_at <= moment < campaign.voting_closes_at
    )


def check_can_vote(voter: User, submission: Submission) -> None:
    """Every refusal before the write, each with its own reason and status."""
    campaign = submission.campaign
    if submission.status != ContentStatus.PUBLISHED or submission.is_withdrawn:
        raise NotVotable
    if not voting_is_open(campaign):
        raise VotingClosed
    if submission.author_id == voter.pk:
        raise OwnSubmission
    if not has_verified_email(voter):
        raise NotVerified
    earlier = Vote.objects.filter(voter=voter)
    if campaign.vote_mode == VoteMode.PER_CAMPAIGN:
        if earlier.filter(campaign=campaign).exists():
            raise AlreadyVotedInCampaign
    elif earlier.filter(submission=submission).exists():
        raise AlreadyVoted


@transaction.atomic
def cast_vote(*, voter: User, submission: Submission) -> Vote:
    """Vote for an approved ``submission``.

    Raises (each with its message): ``NotVotable`` (409), ``VotingClosed`` (409, outside
    the window or phase), ``OwnSubmission`` (403), ``NotVerified`` (403, no confirmed
    e-mail address), ``AlreadyVoted``/``AlreadyVotedInCampaign`` (409; the unique
    constraints decide a race). Effects: a counted vote raises the submission's
    ``vote_count``; a held one (a burst from new accounts) waits for a moderator."""
    # Checked on the locked, fresh rows (the campaign first, as publishing locks it).
    campaign = Campaign.objects.select_for_update().get(pk=submission.campaign_id)
    fresh = Submission.objects.select_for_update().get(pk=submission.pk)
    fresh.campaign = campaign
    check_can_vote(voter, fresh)
    now = timezone.now()
    from_new = voter.date_joined > now - timedelta(days=new_account_days())
    status = VoteStatus.COUNTED
    if from_new:
        recent = Vote.objects.filter(
            campaign=campaign, from_new_account=True, created_at__gte=now - timedelta(hours=1)
        ).count()
        if recent >= burst_threshold():
            status = VoteStatus.HELD
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                campaign=campaign,
                submission=fresh,
                voter=voter,
                per_campaign=campaign.vote_mode == VoteMode.PER_CAMPAIGN,
                from_new_account=from_new,
                status=status,
            )
    except IntegrityError:
        if campaign.vote_mode == VoteMode.PER_CAMPAIGN:
            raise AlreadyVotedInCampaign from None
        raise AlreadyVoted from None
    if status == VoteStatus.COUNTED:
        Submission.objects.filter(pk=fresh.pk).update(vote_count=F("vote_count") + 1)
        submission.vote_count = fresh.vote_count + 1
    return vote


@transaction.atomic
def review_held_vote(*, moderator: User | None, vote: Vote, count: bool) -> Vote:
    """A moderator counts a held vote (the submission's count goes up) or discards it.
    Preconditions: the moderator may moderate the campaign; the vote is still held
    (``WrongPhase`` otherwise); the results are not published (``CampaignLocked``, read
    from the campaign's locked row, not the caller's copy)."""
    if moderator is not None:
        check_moderate_campaign(moderator, vote.campaign)
    campaign = Campaign.objects.select_for_update().get(pk=vote.campaign_id)
    if campaign.results_published:
        raise CampaignLocked
    current = Vote.objects.select_for_update().get(pk=vote.pk)
    if current.status != VoteStatus.HELD:
        raise WrongPhase
    current.status = VoteStatus.COUNTED if count else VoteStatus.DISCARDED
    current.reviewed_by = moderator
    current.reviewed_at = timezone.now()
    current.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    if count:
        Submission.objects.filter(pk=current.submission_id).update(vote_count=F("vote_count") + 1)
    audit.record(
        actor=moderator,
        action="campaigns.vote_counted" if count else "campaigns.vote_discarded",
        target=campaign,
        data={"vote": current.pk},
    )
    return current


@transaction.atomic
def remove_votes_of(user: User) -> int:
    """Erasure: the person's votes go (in both modes: a vote is theirs, not content);
    counted ones leave the counts of submissions whose results are not published."""
    votes = list(Vote.objects.filter(voter=user).select_related("campaign"))
    for vote in votes:
        if vote.status == VoteStatus.COUNTED and not vote.campaign.results_published:
            Submission.objects.filter(pk=vote.submission_id, vote_count__gt=0).update(
                vote_count=F("vote_count") - 1
            )
    Vote.objects.filter(pk__in=[v.pk for v in votes]).delete()
    return len(votes)
