"""The review cards and the summary of an entry's page are remembered per state
(``{% memo %}``, reviews.views._card_key). A remembered page must equal one rendered
afresh, for every kind of reader, after every kind of change: a value a card shows that
is missing from its key fails here."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from patientvoice.accounts.models import User
from patientvoice.core.fragments import forget_all
from patientvoice.core.models import ContentStatus
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.moderation.tests.pages import client_for
from patientvoice.professionals.tests.factories import approved
from patientvoice.reviews import actions, provider_actions

from .factories import UserFactory, acting_staff, clinic, review
from .provider_factories import approved_claim, reply
from .test_pages_entry import page_of

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.sub("TOKEN", response.content.decode())


def _remembered_then_fresh(readers: dict[str, Client], url: str) -> None:
    """Each reader's page as the memo gives it (with what it remembered before the
    change), then rendered afresh with nothing remembered: the two must be equal."""
    remembered = {name: _page(client, url) for name, client in readers.items()}
    forget_all()
    for name, client in readers.items():
        assert remembered[name] == _page(client, url), name


def test_remembered_review_cards_equal_fresh_ones_for_every_reader_and_change():
    place = clinic()
    reviewer = UserFactory.create()
    shown = review(place, 4, author=reviewer, body="Lång väntan i telefon men bra läkare.")
    other = review(place, 2, body="Personalen var stressad.")
    claim = approved_claim(place)
    staff: User = acting_staff()
    readers = {
        "visitor": Client(),
        "reviewer": client_for(reviewer),
        "provider": client_for(claim.user),
        "staff": client_for(staff),
    }
    url = page_of(place)
    changes: list[tuple[str, Callable[[], Any]]] = [
        ("nothing yet", lambda: None),
        ("a reply", lambda: reply(shown, claim)),
        ("the reply helped", lambda: provider_actions.mark_reply_helped(
            reviewer=reviewer, reply=shown.reply)),
        ("a change was made", lambda: provider_actions.mark_change_made(
            reviewer=reviewer, reply=shown.reply, note="Fler telefontider.")),
        ("the review edited", lambda: actions.edit_review(
            review=stored(shown), editor=reviewer,
            scores={"appointment": 5, "waiting": 5, "staff": 5, "environment": 5, "overall": 5},
            conflict="none", body="Bättre nu.")),
        ("the other hidden", lambda: actions.set_review_status(
            stored(other), ContentStatus.HIDDEN)),
        ("a new handle", lambda: _rename(reviewer, "Ny_granskare")),
        ("the reviewer verified as a professional", lambda: approved(
            with_second_factor(reviewer), specialty="Allmänmedicin")),
        ("the claim revoked", lambda: provider_actions.revoke_claim(
            staff=staff, claim=stored(claim), reason="Slutade på mottagningen.")),
    ]  # fmt: skip

    for change, apply in changes:
        for client in readers.values():  # what each reader saw before the change
            _page(client, url)
        apply()
        shown.refresh_from_db()
        try:
            _remembered_then_fresh(readers, url)
        except AssertionError as failed:
            raise AssertionError(f"after {change}: {failed}") from None


def stored(item: Any) -> Any:
    """The review as stored now (the actions take a fresh row)."""
    return type(item).objects.get(pk=item.pk)


def _rename(user: User, handle: str) -> None:
    from patientvoice.accounts import actions as account_actions

    account_actions.change_handle(user=user, handle=handle)
