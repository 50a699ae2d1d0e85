"""Background work owned by core: sending e-mail."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.tasks import task  # type: ignore[import-untyped,unused-ignore]


@task(queue_name="email")
def send_email(*, subject: str, body: str, to: list[str], from_email: str, html: str = "") -> None:
    """Send one message. Rendered in the request, sent here, so a slow mail server
    never slows a page down."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
