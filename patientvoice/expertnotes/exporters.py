"""What the expert notes app holds about a person (data export) and how it forgets
them (erasure), like reviews: notes and replies never shown go in both modes; published
ones go in "remove" mode and stay as a former member's in "anonymise" mode. Helpful
marks and notices always go."""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import register_exporter, rows
from patientvoice.accounts.models import ErasureMode

from .actions import remove_notes_of
from .models import ExpertNote, ExpertNoteRevision, NoteAuthorReply, NoteHelpful, NoteNotice


@register_exporter(
    "expertnotes",
    models=[
        "expertnotes.ExpertNote",
        "expertnotes.NoteAuthorReply",
        "expertnotes.NoteHelpful",
        "expertnotes.NoteNotice",
    ],
)
def export_notes(user: Any) -> dict[str, Any]:
    notes = list(
        ExpertNote.objects.filter(author=user)
        .prefetch_related("sources")
        .select_related("post", "review")
        .order_by("created_at", "pk")
    )
    return {
        "expert_notes": [
            {
                "public_id": str(note.public_id),
                "target": note.target_kind,
                "target_public_id": str(note.target.public_id),
                "kind": note.kind,
                "body": note.body,
                "evidence_level": note.evidence_level,
                "sources": note.source_list(),
                "language": note.language,
                "status": note.status,
                "helpful_count": note.helpful_count,
                "created_at": note.created_at.isoformat(),
                "published_at": note.published_at.isoformat() if note.published_at else None,
                "edited_at": note.edited_at.isoformat() if note.edited_at else None,
            }
            for note in notes
        ],
        # What the person's notes said before each edit.
        "expert_note_revisions": rows(
            ExpertNoteRevision.objects.filter(note__author=user).order_by("created_at", "pk"),
            "note__public_id",
            "kind",
            "body",
            "evidence_level",
            "sources",
            "created_at",
        ),
        "replies_to_expert_notes": rows(
            NoteAuthorReply.objects.filter(author=user).order_by("created_at", "pk"),
            "public_id",
            "note__public_id",
            "body",
            "language",
            "status",
            "created_at",
            "edited_at",
        ),
        "notes_marked_helpful": rows(
            NoteHelpful.objects.filter(user=user).order_by("created_at", "pk"),
            "note__public_id",
            "created_at",
        ),
        "expert_note_notices": rows(
            NoteNotice.objects.filter(recipient=user).order_by("created_at", "pk"),
            "kind",
            "note__public_id",
            "created_at",
            "read_at",
        ),
    }


@register_eraser("expertnotes")
def erase_notes(user: Any, mode: str) -> None:
    remove_notes_of(user, published_too=mode == ErasureMode.REMOVE)
