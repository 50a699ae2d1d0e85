"""What the tests of the members' moderation pages share."""

from __future__ import annotations

from django.test import Client
from django.utils import translation
from django.utils.translation import pgettext

from patientvoice.accounts.models import User
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa


def sv(context: str, message: str) -> str:
    """``message`` as a Swedish page shows it."""
    with translation.override("sv"):
        return pgettext(context, message)


def client_for(user: User | None, *, mfa: bool = False) -> Client:
    """A browser logged in as ``user`` (with the second factor when ``mfa``), or a
    visitor's for None."""
    client = Client()
    if user is not None:
        if mfa:
            log_in_with_mfa(client, user)
        else:
            log_in(client, user)
    return client
