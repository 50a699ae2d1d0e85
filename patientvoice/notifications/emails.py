"""Notification e-mails, composed in the worker at send time.

What the person may read is decided again when the e-mail is written, not when the
notification was made: a post deleted, a community left or made private since then
is dropped from the e-mail (and never sent later). E-mail goes only to a verified
primary address, never to an account whose erasure is pending. Each notification is
claimed before the message goes out (``actions.claim_for_email``): a task run twice
sends nothing twice. Every message is in the person's language, as text and HTML,
with RFC 8058 one-click unsubscribe headers.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import npgettext, pgettext

from patientvoice.accounts.models import User
from patientvoice.core.markup import plain_text

from . import actions
from .models import Notification, NotificationKind
from .queries import post_location
from .tokens import unsubscribe_token, verified_address

EXCERPT_CHARS = 160
# A daily summary lists at most this many notifications, then "and N more"; the rest
# are marked sent (the centre has them all).
DIGEST_LINES = 50


def _line(notification: Notification) -> dict[str, Any]:
    post = notification.post
    who = post.author.handle if post.author else pgettext("author", "former member")
    if notification.kind == NotificationKind.MENTION:
        what = pgettext("notification", "%(who)s mentioned you") % {"who": who}
    elif notification.kind == NotificationKind.NEW_THREAD:
        what = pgettext("notification", "%(who)s started a discussion") % {"who": who}
    else:
        what = pgettext("notification", "%(who)s replied") % {"who": who}
    return {
        "what": what,
        "thread": post.thread.title,
        "community": post.community.name,
        "excerpt": Truncator(plain_text(post.body_html)).chars(EXCERPT_CHARS),
        # Straight to the post: following a link from an e-mail changes nothing
        # (mail scanners open links too).
        "url": settings.SITE_URL + post_location(post),
    }


def send_notification_email(user: User, notification_ids: list[int], *, digest: bool) -> bool:
    """Send ``user`` one e-mail about those of ``notification_ids`` they may still read
    (a summary: the newest ``DIGEST_LINES`` of them). Every one of them is marked
    e-mailed, sent or dropped; only the ones this call claimed are sent. Nothing goes
    to an account without a verified primary address or with its erasure pending
    (then nothing is marked either). Returns whether a message went out."""
    address = verified_address(user)
    if address is None or not user.is_active or user.erasure_requested_at is not None:
        return False
    visible = actions.visible_for_email(user, notification_ids)
    if not digest:
        visible = [n for n in visible if n.read_at is None]
    shown = visible[:DIGEST_LINES] if digest else visible
    claimed = set(
        actions.claim_for_email(user=user, send=[n.pk for n in shown], drop=notification_ids)
    )
    lines = [n for n in shown if n.pk in claimed]
    if lines:
        _send(user, address, lines, digest=digest, more=len(visible) - len(shown))
    return bool(lines)


def _send(
    user: User, address: str, notifications: list[Notification], *, digest: bool, more: int
) -> None:
    with translation.override(user.preferred_language):
        lines = [_line(n) for n in notifications]
        total = len(lines) + more
        if digest:
            subject = npgettext(
                "notification e-mail",
                "PatientVoice: %(count)d new notification",
                "PatientVoice: %(count)d new notifications",
                total,
            ) % {"count": total}
        else:
            subject = f"PatientVoice: {lines[0]['what']}"
        token = unsubscribe_token(user, address=address)
        unsubscribe_url = settings.SITE_URL + reverse(
            "notifications:unsubscribe", kwargs={"token": token}
        )
        context = {
            "lines": lines,
            "more": more,
            "digest": digest,
            "unsubscribe_url": unsubscribe_url,
            "settings_url": settings.SITE_URL + reverse("notifications:preferences"),
            "centre_url": settings.SITE_URL + reverse("notifications:list"),
            "language": user.preferred_language,
        }
        text = render_to_string("notifications/email/notifications.txt", context)
        html = render_to_string("notifications/email/notifications.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # Automatic mail: no out-of-office replies (RFC 3834).
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()
