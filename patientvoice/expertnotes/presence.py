"""What the hot pages (the thread page, review cards, the medicine page) read about
notes with their own rows, before they know whether to fetch notes at all.

Only the models are imported here, so that the apps whose content carries notes can
use it in their own queries without importing the notes' visibility rules (which
import them).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Exists, OuterRef

from .models import TARGET_FIELDS, ExpertNote


def has_notes(kind: str) -> Exists:
    """An SQL expression for rows of targets of ``kind``: whether any note (in any
    state, whoever may see it) is attached. Pages read it with their own rows and call
    ``notes_for`` only when a target shown has one; most targets have none."""
    if kind not in TARGET_FIELDS:
        raise ValueError(f"notes are not attached to {kind!r}")
    return Exists(
        ExpertNote.objects.filter(**{f"{kind}_id": OuterRef("pk")})  # visibility: a yes/no
    )


def may_offer_note(
    *,
    reader_id: int | None,
    reader_is_professional: bool,
    target_author_id: int | None,
    target_published: bool,
    notes: Sequence[ExpertNote] | None,
) -> bool:
    """Whether a card offers its reader "Add a note": a reader with an active
    credential, on a published target they did not write and have no note on yet. The
    add page checks the rest (a second factor this session, sanctions) and says why."""
    return (
        reader_id is not None
        and reader_is_professional
        and target_published
        and target_author_id != reader_id
        and not any(note.author_id == reader_id for note in notes or ())
    )
