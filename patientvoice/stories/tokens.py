"""The link e-mailed to a guest who commented: a signed token naming the comment.

``django.core.signing`` with its own salt, so a token made for anything else never
works here; it expires after ``PV_GUEST_COMMENT_LINK_DAYS`` days (30 by default). The
same link confirms the address and lets the guest delete their comment (their way to
erasure: they have no account)."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.core import signing

SALT = "patientvoice.stories.guest-comment"


def link_days() -> int:
    return int(getattr(settings, "PV_GUEST_COMMENT_LINK_DAYS", 30))


def make_token(public_id: UUID) -> str:
    return signing.dumps({"c": str(public_id)}, salt=SALT, compress=True)


def read_token(token: str) -> UUID | None:
    """The comment's public id, or ``None`` for an altered or expired token."""
    if not token or len(token) > 300:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=link_days() * 24 * 3600)
        return UUID(str(data["c"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
