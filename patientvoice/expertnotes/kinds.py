"""The moderation kinds "expert_note" and "note_reply" (registered from
``ExpertNotesConfig.ready()``).

Anyone who can see a note can report it ("Report" on the note). A note on a community
post is decided by that community's moderators (its queue), a note on a review by
staff (the site-wide queue), like the target itself. Held notes and replies reach the
queues through moderation's after-publish hook, like held posts. Moderators hide,
remove and restore them through an audited decision with a statement of reasons;
"keep" on a held one publishes it. Every change goes through
``actions.set_content_status``.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.communities.models import Community
from patientvoice.core.markup import plain_text
from patientvoice.core.models import ContentStatus
from patientvoice.moderation.kinds import excerpt
from patientvoice.moderation.models import Action, Decision
from patientvoice.moderation.registry import ModerationKind, register

from .actions import set_content_status
from .models import ExpertNote, NoteAuthorReply
from .permissions import visible_notes, visible_replies
from .targets import kind_of_target

NOTE = "expert_note"
NOTE_REPLY = "note_reply"

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_NOTE_IN_URL = re.compile(rf"(?:#note-|/notes/)({_UUID})")
_REPLY_IN_URL = re.compile(rf"#note-reply-({_UUID})")

_NOTE_RELATED = (
    "post__community",
    "post__thread",
    "review__medicine",
    "review__physician",
    "review__clinic",
)


def note_url(note: ExpertNote) -> str:
    """The page of the target's notes, at the note."""
    try:
        page = reverse(
            "expertnotes:target",
            kwargs={"kind": note.target_kind, "public_id": note.target.public_id},
        )
    except NoReverseMatch:
        return ""
    return f"{page}#{note.anchor}"


def _community_of(note: ExpertNote) -> Community | None:
    target = note.target
    community_id = kind_of_target(target).community_id_of(target)
    if community_id is None:
        return None
    community: Community | None = getattr(target, "community", None)
    return community


def _apply(content: Any, action: str, decision: Decision, text: str) -> None:
    if action == Action.KEEP:
        if content.status == ContentStatus.HELD:
            set_content_status(content, ContentStatus.PUBLISHED)
    elif action == Action.HIDE:
        set_content_status(content, ContentStatus.HIDDEN)
    elif action == Action.REMOVE:
        set_content_status(content, ContentStatus.REMOVED)
    elif action == Action.RESTORE:
        set_content_status(content, ContentStatus.PUBLISHED)


def _undo(content: Any, decision: Decision, actor: User | None) -> None:
    if decision.action in (Action.HIDE, Action.REMOVE):
        set_content_status(content, ContentStatus.PUBLISHED)


def _state(content: Any) -> dict[str, Any]:
    return {"status": content.status}


def _excerpt(content: Any) -> str:
    return excerpt(plain_text(content.body_html) or content.body)


def _note_from_url(url: str) -> ExpertNote | None:
    if _REPLY_IN_URL.search(url):
        return None
    found = _NOTE_IN_URL.search(url)
    if not found:
        return None
    return (
        ExpertNote.objects.filter(public_id=uuid.UUID(found.group(1)))
        .select_related(*_NOTE_RELATED)
        .first()
    )


def _reply_from_url(url: str) -> NoteAuthorReply | None:
    found = _REPLY_IN_URL.search(url)
    if not found:
        return None
    return (
        NoteAuthorReply.objects.filter(public_id=uuid.UUID(found.group(1)))
        .select_related(*(f"note__{r}" for r in _NOTE_RELATED))
        .first()
    )


def _notes_of(moderator: Any, member: Any) -> QuerySet[ExpertNote]:
    return visible_notes(
        moderator, ExpertNote.objects.filter(author=member).select_related(*_NOTE_RELATED)
    )


def _replies_of(moderator: Any, member: Any) -> QuerySet[NoteAuthorReply]:
    return visible_replies(
        moderator,
        NoteAuthorReply.objects.filter(author=member).select_related(
            *(f"note__{r}" for r in _NOTE_RELATED)
        ),
    )


def _reply_url(reply: NoteAuthorReply) -> str:
    page = note_url(reply.note)
    return f"{page.split('#')[0]}#{reply.anchor}" if page else ""


NOTE_KIND = ModerationKind(
    kind=NOTE,
    model=ExpertNote,
    noun=pgettext_lazy("moderated item", "expert note"),
    visible=visible_notes,
    community_of=_community_of,
    author_of=lambda note: note.author,
    excerpt_of=_excerpt,
    url_of=note_url,
    state_of=_state,
    apply=_apply,
    undo=_undo,
    actions=frozenset({Action.HIDE, Action.REMOVE, Action.RESTORE}),
    authored_by=_notes_of,
    from_url=_note_from_url,
)

NOTE_REPLY_KIND = ModerationKind(
    kind=NOTE_REPLY,
    model=NoteAuthorReply,
    noun=pgettext_lazy("moderated item", "reply to an expert note"),
    visible=visible_replies,
    community_of=lambda reply: _community_of(reply.note),
    author_of=lambda reply: reply.author,
    excerpt_of=_excerpt,
    url_of=_reply_url,
    state_of=_state,
    apply=_apply,
    undo=_undo,
    actions=frozenset({Action.HIDE, Action.REMOVE, Action.RESTORE}),
    authored_by=_replies_of,
    from_url=_reply_from_url,
)


def register_note_kinds() -> None:
    register(NOTE_KIND)
    register(NOTE_REPLY_KIND)
