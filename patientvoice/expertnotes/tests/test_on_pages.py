"""Notes shown right under the content they are about: posts on the thread page and
review cards on physician and clinic pages (the medicine page has its own differential
test in directory/tests/test_medicine_page.py). Those pages are remembered per state, so
each change must show at once, to each reader as they would see it afresh."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from patientvoice.communities.tests.factories import CommunityFactory, PostFactory, ThreadFactory
from patientvoice.core.fragments import forget_all
from patientvoice.core.models import ContentStatus
from patientvoice.expertnotes import actions
from patientvoice.expertnotes.models import ExpertNote
from patientvoice.reviews.tests.factories import physician, review
from patientvoice.reviews.tests.test_pages_entry import page_of

from .factories import FASS, NOTE_BODY, UserFactory, client_for, note, professional

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
ADD_LINK = "/notes/add/"
LABEL = "A verified professional added context"


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return _TOKEN.sub("TOKEN", response.content.decode())


def _article(html: str, public_id: Any) -> str:
    """The target's article, with the notes' articles inside it."""
    start = re.search(rf'<article[^>]*id="[a-z]+-{public_id}"', html)
    assert start is not None
    depth, position = 0, start.start()
    for tag in re.finditer(r"<(/?)article\b", html[position:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[position : position + tag.end()]
    raise AssertionError("unclosed article")


def _check_every_change(
    readers: dict[str, Client], url: str, changes: list[tuple[str, Callable[[], Any]]]
) -> None:
    """After each change, each reader's page as remembered from before it equals the
    page rendered with nothing remembered."""
    for change, apply in changes:
        for client in readers.values():
            _page(client, url)
        apply()
        remembered = {name: _page(client, url) for name, client in readers.items()}
        forget_all()
        for name, client in readers.items():
            assert remembered[name] == _page(client, url), f"after {change}: {name}"


def _stored() -> ExpertNote:
    return ExpertNote.objects.order_by("pk").first()  # type: ignore[return-value]


def test_the_thread_page_shows_each_change_of_a_note_to_every_reader_at_once():
    writer, member, nurse, doctor = (
        UserFactory.create(),
        UserFactory.create(),
        professional(),
        professional(),
    )
    community = CommunityFactory.create(members=[writer, member, nurse, doctor])
    thread = ThreadFactory.create(community=community, author=writer)
    target = PostFactory.create(thread=thread, author=writer, body="Ta den på fastande mage.")
    url = thread.get_absolute_url()
    readers = {
        "visitor": Client(),
        "writer": client_for(writer),
        "member": client_for(member),
        "nurse": client_for(nurse, mfa=True),
        "doctor": client_for(doctor, mfa=True),
    }
    changes: list[tuple[str, Callable[[], Any]]] = [
        ("a correction", lambda: note(nurse, target, kind="correction")),
        ("a second note", lambda: note(doctor, target, body="Another view (second note).")),
        ("marked helpful", lambda: actions.set_helpful(user=member, note=_stored(), helpful=True)),
        ("the writer replied", lambda: actions.reply_to_note(
            author=writer, note=_stored(), body="Tack, det visste jag inte.")),
        ("the note edited", lambda: actions.edit_note(
            note=_stored(), editor=nurse, kind="correction", body="Edited note text.",
            sources=[FASS])),
        ("the note hidden", lambda: actions.set_content_status(_stored(), ContentStatus.HIDDEN)),
    ]  # fmt: skip

    _check_every_change(readers, url, changes)

    visitor_sees = _article(_page(readers["visitor"], url), target.public_id)
    assert "Another view (second note)." in visitor_sees
    assert "Edited note text." not in visitor_sees  # hidden by a moderator
    # Its author still sees it, marked as hidden.
    assert "Edited note text." in _page(readers["nurse"], url)


def test_a_correction_is_labelled_and_shown_under_the_post_with_badge_and_footer():
    target = PostFactory.create(body="Antibiotika hjälper mot förkylning.")
    nurse = professional()
    note(nurse, target, kind="correction")
    with translation.override("en"):
        url = target.thread.get_absolute_url().replace("/sv/", "/en/", 1)

    article = _article(_page(Client(), url), target.public_id)

    assert LABEL in article
    assert NOTE_BODY in article
    assert "badge-professional" in article
    assert f'href="{FASS[1]}"' in article
    assert "not advice about your own care" in article
    # The label comes before the post's text, the note after it.
    assert article.index(LABEL) < article.index("Antibiotika") < article.index(NOTE_BODY)


def test_only_a_professional_is_offered_to_add_a_note_and_not_on_their_own_post():
    nurse, member = professional(), UserFactory.create()
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[nurse, member]))
    others = PostFactory.create(thread=thread, author=member)
    own = PostFactory.create(thread=thread, author=nurse)
    url = thread.get_absolute_url()

    nurse_sees = _page(client_for(nurse, mfa=True), url)
    member_sees = _page(client_for(member), url)

    assert f"{ADD_LINK}post/{others.public_id}/" in _article(nurse_sees, others.public_id)
    assert ADD_LINK not in _article(nurse_sees, own.public_id)
    assert ADD_LINK not in member_sees
    assert ADD_LINK not in _page(Client(), url)
    # Once the nurse has added one, the offer goes; their note has its edit link.
    note(nurse, others)
    after = _article(_page(client_for(nurse, mfa=True), url), others.public_id)
    assert f"{ADD_LINK}post/" not in after
    assert "/edit/" in after


def test_notes_under_members_only_posts_stay_with_the_members():
    insider, nurse = UserFactory.create(), professional()
    community = CommunityFactory.create(members_only=True, members=[insider, nurse])
    target = PostFactory.create(thread=ThreadFactory.create(community=community))
    note(nurse, target)
    url = target.thread.get_absolute_url()

    assert NOTE_BODY in _page(client_for(insider), url)
    assert NOTE_BODY not in Client().get(url).content.decode()


def test_a_thread_page_with_notes_costs_three_queries_more_whatever_their_number():
    member = UserFactory.create()
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[member]))
    posts = [PostFactory.create(thread=thread) for _ in range(6)]
    client = client_for(member)
    url = thread.get_absolute_url()

    def queries() -> int:
        forget_all()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first visit records where the member has read to
    without = queries()
    note(target=posts[0])
    with_one = queries()
    for target in posts[1:]:
        note(target=target)
    with_six = queries()

    assert with_one == without + 3  # the notes, their sources, the authors' replies
    assert with_six == with_one


def test_a_physician_review_card_shows_its_note_and_each_change_to_every_reader():
    doctor = physician()
    author, nurse = UserFactory.create(), professional()
    target = review(doctor, 4, author=author, body="Lyssnade inte alls.")
    url = page_of(doctor)
    readers = {
        "visitor": Client(),
        "author": client_for(author),
        "nurse": client_for(nurse, mfa=True),
    }
    changes: list[tuple[str, Callable[[], Any]]] = [
        ("a note", lambda: note(nurse, target, kind="context")),
        ("the author replied", lambda: actions.reply_to_note(
            author=author, note=_stored(), body="Tack för svaret.")),
        ("the note edited", lambda: actions.edit_note(
            note=_stored(), editor=nurse, kind="correction", body="Edited review note.",
            sources=[FASS])),
    ]  # fmt: skip

    _check_every_change(readers, url, changes)

    card = _article(_page(readers["visitor"], url), target.public_id)
    assert "Edited review note." in card
    assert "Tack för svaret." in card
    assert LABEL in card
