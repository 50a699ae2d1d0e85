"""How a campaign's public vote and jury combine (the campaign's rules, in percent).

* public share = the submission's counted votes / the most votes any approved
  submission has (0 when nobody voted);
* jury share = the weighted mean of its criteria's mean scores / the scale (10): each
  criterion's scores are averaged over the jurors who scored it, then the criteria are
  weighted by their weights; criteria nobody scored for it are left out, and a
  submission no juror scored has a jury share of 0;
* combined = (public weight × public share + jury weight × jury share) / 100.

Ranked by the combined score, then by votes, then by who sent it first. Three queries
whatever the number of submissions; used for the organisers' preview and, stored on
the submissions, for the published results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Avg

from patientvoice.core.models import ContentStatus

from .models import Campaign, Criterion, JuryScore, Submission


@dataclass(frozen=True)
class Standing:
    submission_id: int
    public_id: UUID
    title: str
    author_handle: str | None
    vote_count: int
    public_share: float
    jury_share: float
    combined: float
    rank: int


def standings(campaign: Campaign) -> list[Standing]:
    submissions = list(
        # The results of the campaign, which everyone may see once published.
        Submission.objects.filter(campaign=campaign, status=ContentStatus.PUBLISHED)
        .select_related("author")
        # Who sent it first (not when a moderator happened to approve it).
        .order_by("created_at", "pk")
    )
    weights = dict(Criterion.objects.filter(campaign=campaign).values_list("pk", "weight"))
    means: dict[int, dict[int, float]] = {}
    for row in (
        JuryScore.objects.filter(criterion__campaign=campaign)
        .values("submission_id", "criterion_id")
        .annotate(mean=Avg("score"))
    ):
        means.setdefault(row["submission_id"], {})[row["criterion_id"]] = float(row["mean"])
    most_votes = max((s.vote_count for s in submissions), default=0)
    rows: list[dict[str, Any]] = []
    for order, submission in enumerate(submissions):
        public = submission.vote_count / most_votes if most_votes else 0.0
        jury = _jury_share(means.get(submission.pk, {}), weights)
        combined = (campaign.public_weight * public + campaign.jury_weight * jury) / 100
        rows.append(
            {
                "submission": submission,
                "public": public,
                "jury": jury,
                "combined": combined,
                "order": order,
            }
        )
    # Rounded, so equal scores computed along different float paths tie as they should.
    rows.sort(key=lambda r: (-round(r["combined"], 6), -r["submission"].vote_count, r["order"]))
    return [
        Standing(
            submission_id=r["submission"].pk,
            public_id=r["submission"].public_id,
            title=r["submission"].title,
            author_handle=r["submission"].author.handle if r["submission"].author else None,
            vote_count=r["submission"].vote_count,
            public_share=round(r["public"], 4),
            jury_share=round(r["jury"], 4),
            combined=round(r["combined"], 4),
            rank=position,
        )
        for position, r in enumerate(rows, start=1)
    ]


def _jury_share(means: dict[int, float], weights: dict[int, int]) -> float:
    scored = {c: m for c, m in means.items() if c in weights}
    total_weight = sum(weights[c] for c in scored)
    if not total_weight:
        return 0.0
    return sum(weights[c] * m for c, m in scored.items()) / total_weight / Criterion.SCALE
