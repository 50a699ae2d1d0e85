"""The jury's scores and the results."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.core.models import ContentStatus
from patientvoice.organizations import sponsor_fence

from ..errors import (
    HeldVotesWaiting,
    InvalidScore,
    NotJuror,
    NotVotable,
    OwnSubmissionScore,
    ScoringClosed,
    SponsorJuror,
    WrongPhase,
)
from ..models import Campaign, CampaignStatus, Criterion, JuryScore, Submission, Vote, VoteStatus
from ..permissions import check_run_campaigns, is_juror
from ..results import standings


@transaction.atomic
def score_submission(*, juror: User, submission: Submission, scores: dict[int, int]) -> int:
    """A jury member's scores of an approved submission, one per criterion (1 to
    ``Criterion.SCALE``); sending again replaces them until the results are published.
    Raises ``NotJuror`` (403), ``SponsorJuror`` (403, the juror works for a sponsor
    now), ``OwnSubmissionScore`` (403), ``ScoringClosed`` (409), ``NotVotable`` (409,
    not approved), ``InvalidScore`` (400, a criterion missing or out of range; ``field``
    names it). Returns how many scores were saved."""
    campaign = submission.campaign
    if not is_juror(juror, campaign):
        raise NotJuror
    # Checked again here: the fence is kept when roles are granted, but a sponsor's
    # staff must never rank, whatever happened in between (decisions/0038).
    if sponsor_fence.works_for_a_sponsor(juror):
        raise SponsorJuror
    if submission.author_id == juror.pk:
        raise OwnSubmissionScore
    if campaign.results_published:
        raise ScoringClosed
    if submission.status != ContentStatus.PUBLISHED:
        raise NotVotable
    criteria = list(Criterion.objects.filter(campaign=campaign))
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None or not 1 <= value <= Criterion.SCALE:
            raise InvalidScore(field=f"criterion_{criterion.pk}")
    for criterion in criteria:
        JuryScore.objects.update_or_create(
            juror=juror,
            submission=submission,
            criterion=criterion,
            defaults={"score": scores[criterion.pk]},
        )
    return len(criteria)


@transaction.atomic
def publish_results(*, actor: User | None, campaign: Campaign) -> Campaign:
    """Compute the standings of a closed campaign, store each approved submission's
    shares, combined score and rank, mark the top ``winners_count`` winners and
    publish. Raises ``WrongPhase`` (409) unless the campaign is closed and
    ``HeldVotesWaiting`` (409) while held votes wait for a moderator (once published,
    they could never be reviewed)."""
    if actor is not None:
        check_run_campaigns(actor, campaign.organization)
    campaign = (
        Campaign.objects.select_for_update().select_related("organization").get(pk=campaign.pk)
    )
    if campaign.status != CampaignStatus.CLOSED:
        raise WrongPhase
    held = Vote.objects.filter(campaign=campaign, status=VoteStatus.HELD).count()
    if held:
        raise HeldVotesWaiting(held)
    rows = standings(campaign)
    by_id = {row.submission_id: row for row in rows}
    updated = []
    for submission in Submission.objects.filter(pk__in=by_id):
        row = by_id[submission.pk]
        submission.public_share = row.public_share
        submission.jury_share = row.jury_share
        submission.combined_score = row.combined
        submission.rank = row.rank
        submission.is_winner = row.rank <= campaign.winners_count
        updated.append(submission)
    Submission.objects.bulk_update(
        updated, ["public_share", "jury_share", "combined_score", "rank", "is_winner"]
    )
    campaign.status = CampaignStatus.PUBLISHED
    campaign.results_published_at = timezone.now()
    campaign.save(update_fields=["status", "results_published_at", "updated_at"])
    audit.record(
        actor=actor,
        action="campaigns.results_published",
        target=campaign,
        data={"winners": [str(r.public_id) for r in rows[: campaign.winners_count]]},
    )
    return campaign
