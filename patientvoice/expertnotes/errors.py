"""What the notes' actions refuse, with a translated message and an HTTP status.

Views show ``str(error)`` and answer ``error.status``, keeping what was typed; the API
answers ``error.status`` with ``error.code``. ``check_professional``'s refusal
(``NotAProfessional``, a ``PermissionDenied``) and moderation's ``MemberSanctioned``
are answered 403 beside these.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


class NoteError(ValueError):
    status = 400
    code = "invalid"
    default_message: str | Promise = pgettext_lazy(
        "expert note error", "This cannot be done. Please check it and try again."
    )

    def __init__(self, message: str | Promise | None = None, **params: Any) -> None:
        self.message = message if message is not None else self.default_message
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        text = str(self.message)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text


class InvalidNote(NoteError):
    """A field that does not fit; ``field`` names the form field (``sources`` for the
    list of sources)."""

    def __init__(self, field: str, message: str | Promise, **params: Any) -> None:
        self.field = field
        super().__init__(message, **params)


class OwnContent(NoteError):
    status = 403
    code = "own_content"
    default_message = pgettext_lazy(
        "expert note error",
        "You cannot add a note to what you wrote yourself. Edit it or reply in the "
        "discussion instead.",
    )


class TargetNotPublished(NoteError):
    status = 409
    code = "not_published"
    default_message = pgettext_lazy(
        "expert note error", "Notes can be added only to published posts and reviews."
    )


class NoteExists(NoteError):
    status = 409
    code = "note_exists"
    default_message = pgettext_lazy(
        "expert note error", "You have already added a note here. Edit your note instead."
    )

    def __init__(self, note: Any = None) -> None:
        self.note = note
        super().__init__()


class NoteNotEditable(NoteError):
    status = 409
    code = "not_editable"
    default_message = pgettext_lazy(
        "expert note error",
        "A moderator has hidden this note, so it cannot be edited. Your statement of "
        "reasons says why and how to appeal.",
    )


class NotTargetAuthor(NoteError):
    status = 403
    code = "forbidden"
    default_message = pgettext_lazy(
        "expert note error", "Only the person who wrote the post or review can reply to a note."
    )


class ReplyExists(NoteError):
    status = 409
    code = "reply_exists"
    default_message = pgettext_lazy(
        "expert note error", "You have already replied to this note. Edit your reply instead."
    )


class NotHelpfulToSelf(NoteError):
    status = 403
    code = "own_note"
    default_message = pgettext_lazy(
        "expert note error", "You cannot mark your own note as helpful."
    )
