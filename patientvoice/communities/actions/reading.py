"""How far each member has read each thread (decisions/0023)."""

from __future__ import annotations

from django.utils import timezone

from patientvoice.accounts.models import User

from ..models import Thread, ThreadReadState


def mark_read(*, user: User, thread: Thread, position: int, known: int | None) -> bool:
    """Record that ``user`` was shown ``thread`` up to the post at ``position``.

    ``known`` is the position already recorded (None when there is none), which the
    thread page reads with the thread itself. Effects: the read state moves forward,
    never back; when it would not advance nothing is written, so reading a page again
    costs no write. One statement otherwise (an insert that yields to a concurrent
    one, or an update guarded by the position), so it needs no transaction of its
    own. Returns whether it wrote."""
    if position <= 0 or (known is not None and position <= known):
        return False
    now = timezone.now()
    # One statement, atomic on its own: no transaction (and no savepoint inside a
    # request's) is opened around it.
    if known is None:
        ThreadReadState.objects.bulk_create(
            [
                ThreadReadState(
                    user=user, thread=thread, last_read_position=position, last_read_at=now
                )
            ],
            ignore_conflicts=True,
        )
        return True
    updated = ThreadReadState.objects.filter(
        user=user, thread=thread, last_read_position__lt=position
    ).update(last_read_position=position, last_read_at=now, updated_at=now)
    return bool(updated)
