"""What the safety app holds about a person (data export) and how it forgets them
(erasure), decisions/0036.

Export (GDPR art. 15): a member is told that safety signals exist about what they
wrote (when, which text, the medicine and reaction, the excerpt, the status and
whether a case was opened), and receives the follow-up messages they were sent with
their answers. Pharmacovigilance does not restrict the right of access, and the
member wrote the words; what is left out is the officers' identities and their
assessment (seriousness, narrative), which is the operator's record about a report,
not data the member gave. A safety officer is told which signals they decided and
which cases they opened or changed, by reference.

Erasure (art. 17): the person's reporter reference and messages are deleted; the
signals, cases and attempts stay, naming nobody (art. 17(3)(b) and (c)).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import register_exporter, rows

from .actions import erase_safety_data
from .models import FollowUpAttempt, ReporterRef, SafetyCase, SafetyMessage, SafetySignal


@register_exporter(
    "safety",
    models=[
        "safety.ReporterRef",
        "safety.SafetySignal",
        "safety.SafetyCase",
        "safety.FollowUpAttempt",
        "safety.SafetyMessage",
    ],
)
def export_safety(user: Any) -> dict[str, Any]:
    refs = ReporterRef.objects.filter(user=user).values("ref")
    about_you = (
        SafetySignal.objects.filter(reporter_ref__in=refs)  # visibility: the person's own
        .annotate(case_opened=Exists(SafetyCase.objects.filter(signal=OuterRef("pk"))))
        .order_by("created_at", "pk")
    )
    messages = SafetyMessage.objects.filter(recipient=user).select_related("attempt")
    return {
        "signals_about_what_you_wrote": rows(
            about_you,
            "public_id",
            "created_at",
            "content_kind",
            "content_public_id",
            "medicine_slug",
            "reaction",
            "excerpt",
            "origin",
            "status",
            "case_opened",
        ),
        "messages": [
            {
                "subject": m.subject,
                "text": m.text,
                "created_at": m.created_at.isoformat(),
                "read_at": m.read_at.isoformat() if m.read_at else None,
                "answered_at": m.answered_at.isoformat() if m.answered_at else None,
                "your_answer": m.attempt.answer,
                "consent_to_contact": m.attempt.consent_to_contact,
            }
            for m in messages.order_by("created_at", "pk")
        ],
        "as_safety_officer": {
            "signals_decided": rows(
                SafetySignal.objects.filter(decided_by=user).order_by("decided_at", "pk"),
                "public_id",
                "status",
                "decided_at",
            ),
            "cases_opened_or_changed": rows(
                SafetyCase.objects.filter(Q(created_by=user) | Q(updated_by=user)).order_by(
                    "created_at", "pk"
                ),
                "public_id",
                "status",
                "created_at",
            ),
            "follow_ups_sent": rows(
                FollowUpAttempt.objects.filter(sent_by=user).order_by("created_at", "pk"),
                "public_id",
                "created_at",
                "outcome",
            ),
        },
    }


@register_eraser("safety")
def erase_safety(user: Any, mode: str) -> None:
    erase_safety_data(user)
