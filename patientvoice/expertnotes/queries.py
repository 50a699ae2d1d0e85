"""Reads of notes that pages, the API and the lead's thread page and review cards share.

* ``notes_for(user, kind, target_ids)``: the notes ``user`` may see on a page of
  targets, ``{target id: [note, ...]}``, in one query for the notes (with their
  authors, credentials at the time of writing and what the reader may do), one for
  their sources and one for the replies; none for an empty page.
* ``note_state_key(notes)``: a hashable tuple of everything
  ``expertnotes/includes/notes.html`` shows for one target, for remembered pages
  (decisions/0027, 0029): the same key means the same HTML for the same reader.

What hot pages read with their own rows, before they know whether to call
``notes_for``, is in ``presence``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import BooleanField as BooleanValue
from django.db.models import Exists, F, OuterRef, QuerySet, Value

from patientvoice.core.models import ContentStatus

from .models import (
    ExpertNote,
    ExpertNoteRevision,
    NoteAuthorReply,
    NoteHelpful,
    NoteKind,
    NoteNotice,
    NoteSource,
)
from .permissions import visible_notes, visible_notices, visible_replies
from .targets import target_kind


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def notes_for(user: Any, kind: str, target_ids: Iterable[int]) -> dict[int, list[ExpertNote]]:
    """The notes ``user`` may see on the targets of ``kind`` (``"post"``, ``"review"``)
    with ``target_ids``, oldest first, by target id (targets without notes are absent).

    Each note carries ``shown_sources`` (a list), ``shown_reply`` (the reply the reader
    may see, or ``None``), ``viewer_marked`` (the reader found it helpful),
    ``viewer_can_edit``, ``viewer_can_mark`` and ``viewer_can_reply``. Three queries at
    most, whatever the number of targets and notes."""
    ids = sorted({pk for pk in target_ids if pk is not None})
    if not ids:
        return {}
    tk = target_kind(kind)
    qs = (
        visible_notes(user, ExpertNote.objects.filter(**{f"{tk.field}_id__in": ids}))
        .select_related("author", "credential")
        .annotate(
            shown_target_id=F(f"{tk.field}_id"),
            target_author_id=F(f"{tk.field}__author_id"),
        )
        .order_by("created_at", "id")
    )
    if _signed_in(user):
        qs = qs.annotate(
            viewer_marked=Exists(NoteHelpful.objects.filter(note=OuterRef("pk"), user_id=user.pk))
        )
    else:
        qs = qs.annotate(viewer_marked=Value(False, output_field=BooleanValue()))
    notes = list(qs)
    if not notes:
        return {}
    by_id = {note.pk: note for note in notes}
    sources: dict[int, list[NoteSource]] = defaultdict(list)
    # The notes are visible already: their sources are what they show.
    for source in NoteSource.objects.filter(note_id__in=by_id).order_by("note_id", "position"):
        sources[source.note_id].append(source)
    replies = {
        reply.note_id: reply
        for reply in visible_replies(
            user, NoteAuthorReply.objects.filter(note_id__in=by_id)
        ).select_related("author")
    }
    user_id = user.pk if _signed_in(user) else None
    found: dict[int, list[ExpertNote]] = defaultdict(list)
    for row in notes:
        note: Any = row  # carries what this page needs besides its fields
        published = note.status == ContentStatus.PUBLISHED
        reply = replies.get(note.pk)
        note.shown_sources = sources.get(note.pk, [])
        note.shown_reply = reply
        note.viewer_can_edit = (
            user_id is not None
            and note.author_id == user_id
            and note.status in (ContentStatus.PUBLISHED, ContentStatus.HELD)
        )
        note.viewer_can_mark = user_id is not None and published and note.author_id != user_id
        note.viewer_can_reply = (
            user_id is not None and published and note.target_author_id == user_id
        )
        note.viewer_can_edit_reply = (
            reply is not None
            and reply.author_id == user_id
            and reply.status in (ContentStatus.PUBLISHED, ContentStatus.HELD)
        )
        found[note.shown_target_id].append(row)
    return dict(found)


def carries_correction(notes: Sequence[ExpertNote] | None) -> bool:
    """Whether a target shows the label "A verified professional added context": a
    published correction among its notes."""
    return any(
        n.kind == NoteKind.CORRECTION and n.status == ContentStatus.PUBLISHED for n in notes or ()
    )


def note_state_key(notes: Sequence[ExpertNote] | None) -> tuple[Any, ...]:
    """Everything ``includes/notes.html`` and ``includes/label.html`` show for one
    target's notes (as made by ``notes_for``), as a hashable tuple. ``updated_at``
    moves with every edit, status change and helpful mark (sources change only with an
    edit); the author's handle and the reader's possibilities are part of it."""
    key: list[Any] = []
    for note in notes or ():
        reply: NoteAuthorReply | None = getattr(note, "shown_reply", None)
        key.append(
            (
                str(note.public_id),
                note.status,
                note.updated_at.isoformat(),
                note.helpful_count,
                note.credential_id,
                note.author.handle if note.author is not None else None,
                bool(getattr(note, "viewer_marked", False)),
                bool(getattr(note, "viewer_can_edit", False)),
                bool(getattr(note, "viewer_can_mark", False)),
                bool(getattr(note, "viewer_can_reply", False)),
                None
                if reply is None
                else (
                    str(reply.public_id),
                    reply.status,
                    reply.updated_at.isoformat(),
                    reply.author.handle if reply.author is not None else None,
                    bool(getattr(note, "viewer_can_edit_reply", False)),
                ),
            )
        )
    return tuple(key)


def revisions_of(note: ExpertNote) -> QuerySet[ExpertNoteRevision]:
    """A note's earlier versions, newest first (callers check ``can_see_history``)."""
    return ExpertNoteRevision.objects.filter(note=note).order_by("-created_at", "-id")


def notices_for(user: Any) -> QuerySet[NoteNotice]:
    """The person's notices about notes they may still see, newest first."""
    return visible_notices(user, NoteNotice.objects.all()).order_by("-created_at", "-id")


def own_reply(note: ExpertNote) -> NoteAuthorReply | None:
    """The reply to ``note`` in any state (callers check it is the reader's own)."""
    return (
        NoteAuthorReply.objects.filter(note=note)  # visibility: the callers check whose it is
        .select_related("author")
        .first()
    )
