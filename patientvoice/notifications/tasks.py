"""Notification tasks, run by the worker. Arguments are ids only: no address or text
waits in the task table.

E-mails go on the ``email`` queue; the counters' recounts, queued on commit by the
communities actions that take a post or a community away from someone (leaving,
deleting a post), on ``default``."""

from __future__ import annotations

from django.tasks import task  # type: ignore[import-untyped,unused-ignore]

from patientvoice.accounts.models import User

from . import actions, emails
from .models import EmailFrequency, NotificationState


def _recipient(user_id: int, frequency: str) -> User | None:
    """The person, if they still want this kind of e-mail and may get any."""
    user = User.objects.filter(
        pk=user_id, is_active=True, erasure_requested_at__isnull=True
    ).first()
    state = NotificationState.objects.filter(user_id=user_id).first()
    if user is None or state is None or state.email_frequency != frequency:
        return None
    return user


@task(queue_name="email")
def send_notification_email(*, user_id: int, notification_ids: list[int]) -> None:
    """An e-mail "at once" for a person who chose that (checked again here)."""
    user = _recipient(user_id, EmailFrequency.IMMEDIATELY)
    if user is not None:
        emails.send_notification_email(user, notification_ids, digest=False)


@task(queue_name="email")
def send_digest(*, user_id: int) -> None:
    """A person's daily summary of what they have not read or been sent yet (claimed
    by ``send_digests`` before it was queued)."""
    user = _recipient(user_id, EmailFrequency.DAILY)
    if user is None:
        return
    ids = actions.digest_candidates(user)
    if ids:
        emails.send_notification_email(user, ids, digest=True)


@task()
def reconcile_after_leaving(*, user_id: int) -> None:
    """Someone left a community (or was removed from it): their counter stops
    counting what they can no longer read."""
    actions.reconcile_unread_counts(user_ids=[user_id])


@task()
def reconcile_after_post_change(*, post_id: int) -> None:
    """A post was deleted, held or hidden: the counters of the people told of it are
    recounted."""
    actions.reconcile_counts_for_post(post_id=post_id)
