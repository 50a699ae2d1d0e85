"""The demo's side-effect safety: a safety officer (with an authenticator app) and a
member's reply that names a side effect of a medicine, so that a first start shows a
signal in the safety queue once the worker has screened it (decisions/0036)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import User
from patientvoice.communities.actions import reply_to_thread
from patientvoice.communities.models import Post, Thread
from patientvoice.moderation.demo import DEMO_TOTP_SECRET
from patientvoice.moderation.demo import _authenticator_app as authenticator_app

from .permissions import SAFETY_OFFICER_GROUP

OFFICER = ("sakerhet", "Sakerhet_PV", "Safety officer for the demo team.")
THREAD_TITLE = "Hur hanterar ni tröttheten?"
REPORT = (
    "Jag fick ont i huvudet och mådde illa av metotrexat de första veckorna. Det gick "
    "över när jag började ta folsyra dagen efter, men fråga din läkare innan du ändrar något."
)


def seed_demo_safety(*, password: str, domain: str) -> str:
    """Write the demo's safety officer and the reply (once); returns a line for
    ``seed_demo``'s output."""
    email = f"{OFFICER[0]}@{domain}"
    officer = User.objects.filter(email=email).first()
    if officer is None:
        officer = account_actions.create_member(
            email=email, password=password, handle=OFFICER[1], presence="other",
            language="sv", bio=OFFICER[2], email_verified=True,
            joined_at=timezone.now() - timedelta(days=200),
        )  # fmt: skip
    authenticator_app(officer)
    group, _ = Group.objects.get_or_create(name=SAFETY_OFFICER_GROUP)
    officer.groups.add(group)
    thread = Thread.objects.filter(title=THREAD_TITLE).first()  # visibility: demo set-up
    writer = User.objects.filter(email=f"anna@{domain}").first()
    written = Post.objects.filter(thread=thread, body=REPORT).exists()  # visibility: demo
    if thread is not None and writer is not None and not written:
        reply_to_thread(author=writer, thread=thread, body=REPORT, language="sv")
    return (
        f"Safety: log in as {email} (same password, authenticator secret "
        f"{DEMO_TOTP_SECRET}) for the safety queue at /sv/safety/."
    )
