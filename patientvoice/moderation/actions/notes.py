"""Moderators' private notes about members."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.organizations.models import Organization

from ..errors import InvalidDecision
from ..models import ModeratorNote
from ..permissions import check_add_note


@transaction.atomic
def add_note(
    *, moderator: User, member: User, text: str, organization: Organization | None = None
) -> ModeratorNote:
    """A private note about ``member``: for ``organization``'s moderators and
    administrators, or (``organization=None``) for site staff only.

    Raises ``PermissionDenied`` unless ``moderator`` is acting site staff or acting staff
    of ``organization`` (site notes are for site staff); ``InvalidDecision`` for an empty
    or too long text. Effects: the note; audited without its text. Returns the note."""
    check_add_note(moderator, organization)
    text = text.strip()
    if not text or len(text) > ModeratorNote.MAX_TEXT_LENGTH:
        raise InvalidDecision(
            pgettext_lazy("moderation", "Write the note (%(limit)s characters at most)."),
            limit=ModeratorNote.MAX_TEXT_LENGTH,
        )
    note = ModeratorNote.objects.create(
        subject=member, author=moderator, organization=organization, text=text
    )
    audit.record(
        actor=moderator,
        action="moderation.note_added",
        target=member,
        data={
            "note": str(note.public_id),
            "organization": organization.slug if organization is not None else "",
        },
    )
    return note
