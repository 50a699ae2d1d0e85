"""What moderation holds about a person (data export) and how it forgets them (erasure).

Moderation records are records the law asks us to keep (DSA arts. 15, 17, 20, 24):
decisions, statements of reasons, appeals and reports stay, and the person's link to
them is set to NULL when their user row goes (pseudonymised, never deleted;
accounts/erasure.py). What is only about them and serves nobody else goes: notes about
them and their sanctions (with the user row), and, in "remove" mode, the excerpts of
their own content kept in cases and reports.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import register_exporter, rows
from patientvoice.accounts.models import ErasureMode

from .models import (
    Appeal,
    Case,
    Decision,
    ModeratorNote,
    Report,
    Sanction,
    StatementOfReasons,
    TrustedFlagger,
)


@register_exporter(
    "moderation",
    models=[
        "moderation.Report",
        "moderation.StatementOfReasons",
        "moderation.Appeal",
        "moderation.Sanction",
        "moderation.ModeratorNote",
        "moderation.Decision",
        "moderation.Case",
        "moderation.TrustedFlagger",
    ],
)
def export_moderation(user: Any) -> dict[str, Any]:
    return {
        # Flags the person sent, with what they wrote.
        "reports_you_sent": rows(
            Report.objects.filter(reporter=user).order_by("created_at", "pk"),
            "reference",
            "kind",
            "reason",
            "illegal_type",
            "explanation",
            "created_at",
        ),
        # Decisions about the person's content or account, as they were told.
        "decisions_about_you": rows(
            StatementOfReasons.objects.filter(recipient=user).order_by("created_at", "pk"),
            "reference",
            "restriction",
            "restriction_text",
            "content_excerpt",
            "ground_text",
            "facts",
            "automated_detection",
            "automated_decision",
            "appeal_deadline",
            "created_at",
        ),
        "appeals": rows(
            Appeal.objects.filter(appellant=user).order_by("created_at", "pk"),
            "statement__reference",
            "text",
            "status",
            "outcome_reason",
            "created_at",
            "decided_at",
        ),
        "sanctions": rows(
            Sanction.objects.filter(user=user).order_by("created_at", "pk"),
            "kind",
            "community__name",
            "until",
            "lifted_at",
            "created_at",
        ),
        # Moderators' notes about the person (GDPR art. 15 covers them); who wrote them
        # is left out.
        "moderator_notes_about_you": rows(
            ModeratorNote.objects.filter(subject=user).order_by("created_at", "pk"),
            "organization__name",
            "text",
            "created_at",
        ),
        # What the person did as a moderator: decisions, notes written, designations.
        "decisions_you_made": rows(
            Decision.objects.filter(moderator=user).order_by("created_at", "pk"),
            "public_id",
            "action",
            "reason_code",
            "explanation",
            "created_at",
        ),
        "notes_you_wrote": rows(
            ModeratorNote.objects.filter(author=user).order_by("created_at", "pk"),
            "public_id",
            "created_at",
        ),
        "cases_assigned_to_you": rows(
            Case.objects.filter(assignee=user).order_by("opened_at", "pk"),
            "public_id",
            "kind",
            "status",
            "claimed_at",
        ),
        "trusted_flaggers_you_designated_or_revoked": rows(
            TrustedFlagger.objects.filter(Q(designated_by=user) | Q(revoked_by=user)).order_by(
                "designated_at", "pk"
            ),
            "organization__name",
            "designated_at",
            "revoked_at",
        ),
    }


@register_eraser("moderation")
def erase_moderation(user: Any, mode: str) -> None:
    # Notes about the person serve only the moderation of that person.
    ModeratorNote.objects.filter(subject=user).delete()
    if mode == ErasureMode.REMOVE:
        # Their words leave the queues too; the cases and reports stay as records.
        Case.objects.filter(author=user).update(excerpt="")
        Report.objects.filter(Q(case__author=user) & ~Q(excerpt="")).update(excerpt="")
