"""Expert notes (decisions/0034): the notes of one post or review, and a verified
professional's note, its edit, the "helpful" mark and the target author's reply. The
pages' rules, through the same actions, permissions and queries (nothing decided here).

Reads pass through ``expertnotes.permissions`` (``notes_for``, ``access_note``), so a
note on a members-only post is 404 to outsiders like the post. Writing a note needs
``check_professional`` (a second factor in this session): a token never acts as a
professional (decisions/0033).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import get_language, pgettext
from ninja import Router, Schema, Status
from pydantic import Field

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.core.publishing import ContentTooLong
from patientvoice.expertnotes import actions
from patientvoice.expertnotes.actions import NoteResult
from patientvoice.expertnotes.errors import InvalidNote, NoteError
from patientvoice.expertnotes.models import (
    MAX_SOURCE_TITLE,
    MAX_SOURCE_URL,
    MAX_SOURCES,
    ExpertNote,
    NoteAuthorReply,
)
from patientvoice.expertnotes.permissions import access_note
from patientvoice.expertnotes.queries import notes_for, own_reply
from patientvoice.expertnotes.targets import access_target
from patientvoice.moderation.errors import MemberSanctioned

from ..auth import optional_auth, token_or_session
from ..errors import ApiError
from ..schemas import ErrorOut, InputSchema

router = Router(tags=["expert notes"])
ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
TargetKind = Literal["post", "review", "story"]


def _location(field: str) -> list[str | int]:
    """Where in the request body a refusal points: a source row's field of the page's
    form (``source_url_2``) is ``["body", "sources", 2, "url"]`` here."""
    if field.startswith("source_") and field.rsplit("_", 1)[-1].isdigit():
        part, row = field.removeprefix("source_").rsplit("_", 1)
        return ["body", "sources", int(row), part]
    return ["body", field]


@contextmanager
def _answering_refusals() -> Iterator[None]:
    """An action's refusal in the API's one error shape (a 400 of a well-formed
    request is 422 ``invalid`` here, naming the field)."""
    try:
        yield
    except InvalidNote as exc:
        raise ApiError(
            422, "invalid", str(exc), [{"loc": _location(exc.field), "msg": str(exc)}]
        ) from None
    except NoteError as exc:
        raise ApiError(422 if exc.status == 400 else exc.status, exc.code, str(exc)) from None
    except ContentTooLong as exc:
        message = pgettext(
            "expert note error", "The text is too long: at most %(limit)s characters."
        ) % {"limit": exc.args[0]}
        raise ApiError(
            422, "invalid", message, [{"loc": ["body", "body"], "msg": message}]
        ) from None
    except (MemberSanctioned, PermissionDenied) as exc:
        raise ApiError(403, "forbidden", str(exc)) from None


class SourceSchema(Schema):
    title: str = Field(max_length=MAX_SOURCE_TITLE)
    url: str = Field(max_length=MAX_SOURCE_URL)


class BadgeOut(Schema):
    """The credential the author held when they wrote the note."""

    profession: str
    profession_label: str
    specialty: str
    real_name: str | None
    verified_at: datetime


class ReplyOut(Schema):
    public_id: UUID
    body_html: str
    status: str
    created_at: datetime
    edited_at: datetime | None


class NoteOut(Schema):
    public_id: UUID
    target: str
    target_public_id: UUID
    kind: str
    body_html: str
    evidence_level: str
    sources: list[SourceSchema]
    author: str | None
    credential_at_writing: BadgeOut | None
    status: str
    helpful_count: int
    marked_helpful: bool
    created_at: datetime
    published_at: datetime | None
    edited_at: datetime | None
    reply: ReplyOut | None
    footer: str


class NoteWrittenOut(Schema):
    note: NoteOut
    published: bool
    hold_messages: list[str]
    help_panels: list[str]


class NoteIn(InputSchema):
    kind: Literal["correction", "context", "confirmation"]
    body: str = Field(max_length=ExpertNote.MAX_BODY_LENGTH)
    evidence_level: str = ""
    sources: list[SourceSchema] = Field(default_factory=list, max_length=MAX_SOURCES + 1)


class HelpfulIn(InputSchema):
    helpful: bool = True


class ReplyIn(InputSchema):
    body: str = Field(max_length=NoteAuthorReply.MAX_BODY_LENGTH)


def _footer() -> str:
    return pgettext(
        "expert notes",
        "General information from a verified professional, not advice about your own "
        "care. Talk to your own healthcare provider.",
    )


def _badge(note: ExpertNote) -> dict[str, Any] | None:
    credential = note.credential
    if credential is None:
        return None
    return {
        "profession": credential.profession,
        "profession_label": credential.profession_label(),
        "specialty": credential.specialty,
        "real_name": credential.real_name if credential.shows_real_name else None,
        "verified_at": credential.verified_at,
    }


def _out(note: ExpertNote, target_public_id: UUID) -> dict[str, Any]:
    reply = getattr(note, "shown_reply", None)
    sources = getattr(note, "shown_sources", None)
    if sources is None:
        sources = list(note.sources.all())
    return {
        "public_id": note.public_id,
        "target": note.target_kind,
        "target_public_id": target_public_id,
        "kind": note.kind,
        "body_html": note.body_html,
        "evidence_level": note.evidence_level,
        "sources": [{"title": s.title, "url": s.url} for s in sources],
        "author": note.author.handle if note.author is not None else None,
        "credential_at_writing": _badge(note),
        "status": note.status,
        "helpful_count": note.helpful_count,
        "marked_helpful": bool(getattr(note, "viewer_marked", False)),
        "created_at": note.created_at,
        "published_at": note.published_at,
        "edited_at": note.edited_at,
        "reply": reply,
        "footer": _footer(),
    }


def _reread(user: Any, note: ExpertNote) -> dict[str, Any]:
    """The note as ``user`` now sees it (through ``notes_for``)."""
    target = note.target
    found = notes_for(user, note.target_kind, [target.pk]).get(target.pk, [])
    fresh = next((n for n in found if n.pk == note.pk), note)
    return _out(fresh, target.public_id)


def _written(user: Any, note: ExpertNote, result: NoteResult) -> dict[str, Any]:
    return {
        "note": _reread(user, note),
        "published": result.published,
        "hold_messages": [str(m) for m in result.hold_messages],
        "help_panels": result.help_panels,
    }


def _language() -> str:
    return (get_language() or "sv")[:2]


@router.get(
    "/notes/targets/{kind}/{public_id}",
    response={200: list[NoteOut], 404: ErrorOut},
    auth=optional_auth,
)
def target_notes(request: HttpRequest, kind: TargetKind, public_id: UUID) -> Any:
    """The notes of one post or review that you may see, oldest first (404 when you
    may not see the post or review)."""
    target = access_target(request.user, kind, public_id)
    notes = notes_for(request.user, kind, [target.pk]).get(target.pk, [])
    return [_out(note, target.public_id) for note in notes]


@router.post(
    "/notes/targets/{kind}/{public_id}",
    response={201: NoteWrittenOut, **ERRORS},
    auth=token_or_session,
)
def add_note(request: HttpRequest, kind: TargetKind, public_id: UUID, payload: NoteIn) -> Any:
    """Add a note as a verified professional (a browser session with two-step
    verification). 403 when you may not act as a professional (with the reason: none,
    expired, revoked, no second factor) or wrote the target; 409 ``note_exists`` or
    ``not_published``; 422 for a missing or non-http(s) source."""
    user = signed_in_user(request)
    target = access_target(user, kind, public_id)
    with _answering_refusals():
        result = actions.add_note(
            author=user,
            target=target,
            kind=payload.kind,
            body=payload.body,
            evidence_level=payload.evidence_level,
            sources=[s.dict() for s in payload.sources],
            language=_language(),
        )
    note = result.content
    assert isinstance(note, ExpertNote)
    return Status(201, _written(user, note, result))


@router.put("/notes/{public_id}", response={200: NoteWrittenOut, **ERRORS}, auth=token_or_session)
def edit_note(request: HttpRequest, public_id: UUID, payload: NoteIn) -> Any:
    """Replace your note (the previous version is kept)."""
    user = signed_in_user(request)
    note = access_note(user, public_id)
    with _answering_refusals():
        result = actions.edit_note(
            note=note,
            editor=user,
            kind=payload.kind,
            body=payload.body,
            evidence_level=payload.evidence_level,
            sources=[s.dict() for s in payload.sources],
        )
    return _written(user, note, result)


@router.post("/notes/{public_id}/helpful", response={200: NoteOut, **ERRORS}, auth=token_or_session)
def mark_helpful(request: HttpRequest, public_id: UUID, payload: HelpfulIn) -> Any:
    """Mark a note helpful (``{"helpful": true}``) or take the mark back."""
    user = signed_in_user(request)
    note = access_note(user, public_id)
    with _answering_refusals():
        actions.set_helpful(user=user, note=note, helpful=payload.helpful)
    return _reread(user, note)


@router.put(
    "/notes/{public_id}/reply", response={200: NoteWrittenOut, **ERRORS}, auth=token_or_session
)
def reply(request: HttpRequest, public_id: UUID, payload: ReplyIn) -> Any:
    """Reply to a note on your post or review, or change your reply (once per note)."""
    user = signed_in_user(request)
    note = access_note(user, public_id)
    existing = own_reply(note)
    with _answering_refusals():
        if existing is not None and existing.author_id == user.pk:
            result = actions.edit_reply(reply=existing, editor=user, body=payload.body)
        else:
            result = actions.reply_to_note(
                author=user, note=note, body=payload.body, language=_language()
            )
    return _written(user, note, result)
