"""The member's side of a statement of reasons: reading it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from patientvoice.accounts.models import User

from ..models import StatementOfReasons
from ..queries import forget_unread_statements


@transaction.atomic
def mark_statement_read(*, user: User, statement: StatementOfReasons) -> bool:
    """The recipient opened the statement in the app (its in-app delivery receipt; the
    count of unread statements drops). Anyone else opening it (a moderator) changes
    nothing. Returns whether it was unread."""
    if statement.recipient_id != user.pk:
        return False
    now = timezone.now()
    changed = StatementOfReasons.objects.filter(pk=statement.pk).mark_read(now)
    if changed:
        statement.read_at = now
        forget_unread_statements(user.pk)
    return bool(changed)
