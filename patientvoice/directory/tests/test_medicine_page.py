"""The medicine page is remembered per state (directory.medicine_page). A remembered
page must equal one rendered afresh, for every kind of reader, after every kind of
change: a value the page shows that is missing from its key fails here."""

from __future__ import annotations

import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.session import SessionStorage
from django.test import Client

from patientvoice.accounts.models import User
from patientvoice.communities.actions import reply_to_thread
from patientvoice.communities.models import Thread
from patientvoice.communities.tests.factories import CommunityFactory, ThreadFactory
from patientvoice.core.fragments import forget_all
from patientvoice.core.models import ContentStatus
from patientvoice.directory.medicine_page import MEDICINE_PAGES
from patientvoice.directory.models import Condition, Medicine
from patientvoice.expertnotes import actions as notes
from patientvoice.expertnotes.models import ExpertNote
from patientvoice.expertnotes.tests.factories import FASS, NOTE_BODY, note, professional
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.moderation.tests.pages import client_for
from patientvoice.professionals.tests.factories import approved
from patientvoice.reviews import actions
from patientvoice.reviews.models import Review
from patientvoice.reviews.tests.factories import UserFactory, acting_staff, medicine, review
from patientvoice.reviews.tests.test_pages_entry import page_of

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.sub("TOKEN", response.content.decode())


def _remembered_then_fresh(readers: dict[str, Client], urls: list[str]) -> None:
    """Each reader's pages as the memo gives them (with what it remembered before
    the change), then rendered afresh with nothing remembered: they must be equal."""
    remembered = {(name, url): _page(c, url) for name, c in readers.items() for url in urls}
    forget_all()
    for (name, url), html in remembered.items():
        assert html == _page(readers[name], url), f"{name} at {url}"


def _stored(item: Any) -> Any:
    return type(item).objects.get(pk=item.pk)


def _rename(user: User, handle: str) -> None:
    from patientvoice.accounts import actions as account_actions

    account_actions.change_handle(user=user, handle=handle)


def test_remembered_medicine_pages_equal_fresh_ones_for_every_reader_and_change():
    drug = medicine()
    condition = Condition.objects.order_by("pk").first()
    assert condition is not None
    reviewer, insider = UserFactory.create(), UserFactory.create()
    shown = review(drug, 4, author=reviewer, body="Hjälpte mot stelheten.", condition=condition)
    for n in range(24):  # two pages of reviews
        review(drug, 2 + n % 3)
    public = CommunityFactory.create()
    closed = CommunityFactory.create(members_only=True, members=[insider])
    ThreadFactory.create(community=public, medicines=[drug], title="Trött av metotrexat?")
    secret = ThreadFactory.create(community=closed, medicines=[drug], title="Bara för medlemmar")
    nurse, doctor = professional(), professional()
    readers = {
        "visitor": Client(),
        "reviewer": client_for(reviewer),
        "insider": client_for(insider),
        "member": client_for(UserFactory.create()),
        "nurse": client_for(nurse, mfa=True),  # offered "Add a note"; writes one
    }
    urls = [page_of(drug), page_of(drug) + "?page=2", page_of(drug) + "?page=x"]
    changes: list[tuple[str, Callable[[], Any]]] = [
        ("nothing yet", lambda: None),
        ("a new review", lambda: review(drug, 5, body="Ny recension.")),
        ("the review edited", lambda: actions.edit_review(
            review=_stored(shown), editor=reviewer,
            scores={"effectiveness": 2, "ease_of_use": 2, "satisfaction": 2},
            conflict="none", body="Sämre nu.")),
        ("a review hidden", lambda: actions.set_review_status(
            Review.objects.filter(medicine=drug).exclude(pk=shown.pk).latest("pk"),
            ContentStatus.HIDDEN)),
        ("the reviewer verified as a professional", lambda: approved(
            with_second_factor(reviewer), specialty="Allmänmedicin")),
        ("a new handle", lambda: _rename(reviewer, "Ny_granskare")),
        ("the condition renamed", lambda: Condition.objects.filter(pk=condition.pk).update(
            name_sv="Nytt namn", name_en="New name")),
        ("a reply in a members' thread", lambda: reply_to_thread(
            author=insider, thread=_stored(secret), body="Jag med.", language="sv")),
        ("a thread retitled", lambda: Thread.objects.filter(pk=secret.pk).update(
            title="Nytt ämne")),
        ("a new tag", lambda: ThreadFactory.create(community=public, medicines=[drug])),
        ("an expert note", lambda: note(nurse, _stored(shown), kind="correction")),
        ("a second note", lambda: note(doctor, _stored(shown))),
        ("the note edited", lambda: notes.edit_note(
            note=ExpertNote.objects.get(author=nurse), editor=nurse, kind="context",
            body="Ändrad anteckning.", sources=[FASS])),
        ("the note marked helpful", lambda: notes.set_helpful(
            user=insider, note=ExpertNote.objects.get(author=nurse), helpful=True)),
        ("the reviewer replied", lambda: notes.reply_to_note(
            author=reviewer, note=ExpertNote.objects.get(author=nurse), body="Tack!")),
        ("a note hidden", lambda: notes.set_content_status(
            ExpertNote.objects.get(author=doctor), ContentStatus.HIDDEN)),
        ("the medicine's facts", lambda: Medicine.objects.filter(pk=drug.pk).update(
            brands_sv=["Nytt varumärke"], strength="10 mg")),
    ]  # fmt: skip

    for change, apply in changes:
        for client in readers.values():  # what each reader saw before the change
            for url in urls:
                _page(client, url)
        apply()
        try:
            _remembered_then_fresh(readers, urls)
        except AssertionError as failed:
            raise AssertionError(f"after {change}: {failed}") from None
    # The reviewer's badge (verified along the way) shows on their review.
    assert "badge-professional" in _page(readers["visitor"], urls[1])  # oldest: page 2
    # The nurse's note, as edited, with the reviewer's reply; the hidden one is gone.
    visitor_sees = _page(readers["visitor"], urls[1])
    assert "Ändrad anteckning." in visitor_sees
    assert "Tack!" in visitor_sees
    assert NOTE_BODY not in visitor_sees
    # "Add a note" is offered to the nurse on others' reviews, never to members.
    assert "/notes/add/review/" in _page(readers["nurse"], urls[0])
    assert "/notes/add/review/" not in _page(readers["member"], urls[0])


def test_a_members_page_is_remembered_and_a_page_with_a_message_is_not():
    drug = medicine()
    review(drug, 4)
    client = client_for(UserFactory.create())
    MEDICINE_PAGES.clear()
    _page(client, page_of(drug))
    assert len(MEDICINE_PAGES) == 1
    _page(client, page_of(drug))
    assert len(MEDICINE_PAGES) == 1  # the same state: the same page

    session = client.session
    SessionStorage(SimpleNamespace(session=session))._store(  # type: ignore[arg-type, attr-defined]
        [Message(messages.SUCCESS, "Sparat")], None
    )
    session.save()
    assert "Sparat" in _page(client, page_of(drug))
    assert "Sparat" not in _page(client, page_of(drug))  # shown once, never remembered


def test_staff_and_the_author_of_a_held_review_get_pages_built_for_them():
    drug = medicine()
    author = UserFactory.create()
    held = review(drug, 4, author=author, body="Väntar på moderator.")
    actions.set_review_status(held, ContentStatus.HELD)
    MEDICINE_PAGES.clear()

    own = _page(client_for(author), page_of(drug))
    staff = _page(client_for(acting_staff()), page_of(drug))

    assert "Väntar på moderator." in own
    assert "Väntar på moderator." in staff
    assert "Väntar på moderator." not in _page(Client(), page_of(drug))
    assert len(MEDICINE_PAGES) == 1  # the visitor's page only


def test_an_unknown_or_inactive_medicine_answers_404():
    drug = medicine()
    Medicine.objects.filter(pk=drug.pk).update(is_active=False)
    assert Client().get(page_of(drug)).status_code == 404
    assert Client().get("/sv/medicines/no-such-medicine/").status_code == 404
