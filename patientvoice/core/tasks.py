"""Background work owned by core: sending e-mail."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.tasks import task  # type: ignore[import-untyped,unused-ignore]


@task(queue_name="email")
def send_email(
    *,
    subject: str,
    body: str,
    to: list[str],
    from_email: str,
    html: str = "",
    reply_to: list[str] | None = None,
) -> None:
    """Send one message. Rendered in the request, sent here, so a slow mail server
    never slows a page down."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email, to=to, reply_to=reply_to
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def forget_email_tasks(address: str) -> int:
    """Delete finished e-mail tasks whose arguments hold ``address`` (erasure).

    Messages still waiting are left to be sent: they may be the person's own
    confirmation of the erasure."""
    from django.db.models import TextField
    from django.db.models.functions import Cast
    from django_tasks_db.models import DBTaskResult

    finished = DBTaskResult.objects.filter(queue_name="email", finished_at__isnull=False)
    matching = finished.annotate(text=Cast("args_kwargs", TextField())).filter(
        text__icontains=address
    )
    deleted, _ = DBTaskResult.objects.filter(pk__in=matching.values("pk")).delete()
    return deleted
