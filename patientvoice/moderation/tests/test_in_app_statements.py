"""A statement of reasons reaches its recipient in the app (DSA art. 17): the header's
notifications badge counts it and the notification centre lists it until it is opened."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.core.testing.sessions import log_in
from patientvoice.moderation import actions
from patientvoice.moderation.models import StatementOfReasons

from .factories import flagged

pytestmark = pytest.mark.django_db


def _badge(html: str) -> str | None:
    found = re.search(r'data-testid="notification-count">(\d+)', html)
    return found.group(1) if found else None


def test_a_decision_about_a_post_shows_in_the_header_and_the_centre_until_opened(
    post, author, moderator, django_capture_on_commit_callbacks
):
    client = Client()
    log_in(client, author)
    home = reverse("home")
    before = _badge(client.get(home).content.decode())

    with django_capture_on_commit_callbacks(execute=True):
        actions.decide(
            moderator=moderator,
            case=flagged(post),
            action="hide",
            reason_code="spam",
            explanation="Advertising for a shop.",
        )
    statement = StatementOfReasons.objects.get(recipient=author)

    assert _badge(client.get(home).content.decode()) == str(int(before or 0) + 1)
    centre = client.get(reverse("notifications:list")).content.decode()
    address = reverse("moderation:my_decision", args=[statement.public_id])
    assert address in centre

    assert client.get(address).status_code == 200
    assert _badge(client.get(home).content.decode()) == before
    assert address not in client.get(reverse("notifications:list")).content.decode()
