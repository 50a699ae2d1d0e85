"""Reads that the campaign pages, the API and exports share. Every one passes through
the visibility rule (``permissions.visible_*``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from patientvoice.core.models import ContentStatus
from patientvoice.organizations.models import Organization

from .models import Campaign, CampaignStatus, Criterion, JuryScore, Submission, Vote, VoteStatus
from .permissions import visible_campaigns, visible_submissions, visible_votes


def campaign_list(user: Any) -> QuerySet[Campaign]:
    """Campaigns ``user`` may know, running ones first, then the newest."""
    return (
        visible_campaigns(user, Campaign.objects.all())
        .select_related("organization")
        .order_by("-submissions_open_at", "-pk")
    )


def organization_campaigns(user: Any, organization: Organization) -> QuerySet[Campaign]:
    return campaign_list(user).filter(organization=organization)


def gallery(user: Any, campaign: Campaign) -> QuerySet[Submission]:
    """The approved submissions of ``campaign``, newest first (the gallery, the API)."""
    return (
        visible_submissions(
            user,
            Submission.objects.filter(campaign=campaign, status=ContentStatus.PUBLISHED),
        )
        .select_related("author")
        .order_by("-published_at", "-pk")
    )


def own_submissions(user: Any, campaign: Campaign) -> list[Submission]:
    """The person's own submissions in the campaign (any status but withdrawn)."""
    if not getattr(user, "is_authenticated", False):
        return []
    own = list(
        visible_submissions(
            user,
            Submission.objects.filter(
                campaign=campaign, author_id=user.pk, withdrawn_at__isnull=True
            ),
        ).order_by("-created_at")
    )
    for submission in own:
        submission.campaign = campaign  # its address needs the slug: no query per row
    return own


def own_votes(user: Any, campaign: Campaign) -> set[int]:
    """Ids of the submissions ``user`` voted for in ``campaign`` (one query)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        visible_votes(user, Vote.objects.filter(campaign=campaign, voter_id=user.pk)).values_list(
            "submission_id", flat=True
        )
    )


def results(user: Any, campaign: Campaign) -> QuerySet[Submission]:
    """The published results: the ranked approved submissions."""
    return (
        visible_submissions(
            user,
            Submission.objects.filter(
                campaign=campaign, status=ContentStatus.PUBLISHED, rank__isnull=False
            ),
        )
        .select_related("author")
        .order_by("rank")
    )


def held_votes(user: Any, campaign: Campaign) -> QuerySet[Vote]:
    return (
        visible_votes(user, Vote.objects.filter(campaign=campaign, status=VoteStatus.HELD))
        .select_related("submission__campaign", "voter")
        .order_by("created_at", "pk")
    )


def held_submission_count(user: Any, campaign: Campaign) -> int:
    return visible_submissions(
        user, Submission.objects.filter(campaign=campaign, status=ContentStatus.HELD)
    ).count()


def criteria_of(campaign: Campaign) -> list[Criterion]:
    return list(Criterion.objects.filter(campaign=campaign))


def scores_by(juror: Any, submission: Submission) -> dict[int, int]:
    return dict(
        JuryScore.objects.filter(juror_id=juror.pk, submission=submission).values_list(
            "criterion_id", "score"
        )
    )


def jury_progress(campaign: Campaign) -> dict[int, int]:
    """How many approved submissions each juror has scored completely (user id → n)."""
    total = Criterion.objects.filter(campaign=campaign).count()
    if not total:
        return {}
    rows = (
        JuryScore.objects.filter(criterion__campaign=campaign)
        .values("juror_id", "submission_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=total)
    )
    progress: dict[int, int] = {}
    for row in rows:
        progress[row["juror_id"]] = progress.get(row["juror_id"], 0) + 1
    return progress


def running_campaigns_q() -> Q:
    return Q(status__in=[CampaignStatus.OPEN, CampaignStatus.VOTING])
