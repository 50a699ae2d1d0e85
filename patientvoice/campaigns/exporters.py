"""What campaigns hold about a person (data export) and how they forget them (erasure).

Exported: the person's submissions (with the guardian's details they gave), their
votes and, for jury members, their scores. The campaigns an organisation's
administrator created stay the organisation's (``created_by`` only).
Erased: submissions never shown in both modes, approved ones in remove mode (with their
files); votes in both modes (counts kept right); jury scores go with the user row.
"""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import NOT_EXPORTED, register_exporter, rows
from patientvoice.accounts.models import ErasureMode

from .actions import remove_submissions_of, remove_votes_of
from .models import JuryMember, JuryScore, Submission, Vote

NOT_EXPORTED["campaigns.campaign"] = "the organisation's campaign; created_by is a staff record"


@register_exporter(
    "campaigns",
    models=[
        "campaigns.Submission",
        "campaigns.Vote",
        "campaigns.JuryMember",
        "campaigns.JuryScore",
    ],
)
def export_campaigns(user: Any) -> dict[str, Any]:
    return {
        "submissions": rows(
            Submission.objects.filter(author=user).order_by("created_at", "pk"),
            "public_id",
            "campaign__slug",
            "title",
            "kind",
            "body",
            "alt_text",
            "licence",
            "language",
            "status",
            "age_group",
            "guardian_name",
            "guardian_email",
            "rules_accepted_at",
            "withdrawn_at",
            "vote_count",
            "rank",
            "is_winner",
            "created_at",
            "published_at",
        ),
        "votes": rows(
            Vote.objects.filter(voter=user).order_by("created_at", "pk"),
            "campaign__slug",
            "submission__public_id",
            "status",
            "created_at",
        ),
        "jury_memberships": rows(
            JuryMember.objects.filter(user=user).order_by("created_at", "pk"),
            "campaign__slug",
            "created_at",
        ),
        "jury_scores": rows(
            JuryScore.objects.filter(juror=user).order_by("created_at", "pk"),
            "criterion__campaign__slug",
            "criterion__name",
            "submission__public_id",
            "score",
            "created_at",
        ),
    }


@register_eraser("campaigns")
def erase_campaigns(user: Any, mode: str) -> None:
    remove_votes_of(user)
    remove_submissions_of(user, published_too=mode == ErasureMode.REMOVE)
