"""The notes pages: the target's notes with badge, sources, label and footer; the form
keeps what was typed when a note is refused."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from patientvoice.expertnotes.models import ExpertNote
from patientvoice.expertnotes.views import target_notes_url

from .factories import FASS, UserFactory, client_for, expire, note, post, professional

pytestmark = pytest.mark.django_db


def _add_url(target) -> str:
    return f"/en/notes/add/post/{target.public_id}/"


def _form(body: str, title: str = "", url: str = "") -> dict[str, str]:
    return {"kind": "correction", "body": body, "source_title_0": title, "source_url_0": url}


def test_the_notes_page_shows_the_note_with_its_badge_sources_label_and_footer():
    target = post()
    note(target=target, kind="correction")
    with translation.override("en"):
        url = target_notes_url("post", target.public_id)

    html = client_for(None).get(url).content.decode()

    assert "A verified professional added context" in html
    assert "badge-professional" in html
    assert f'href="{FASS[1]}" rel="noopener nofollow external"' in html
    assert "not advice about your own care" in html


def test_a_note_without_a_source_comes_back_with_400_and_the_text_kept():
    target = post()
    client = client_for(professional(), mfa=True)

    response = client.post(_add_url(target), _form("Take it with food, say my notes."))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Take it with food, say my notes." in html
    assert "Add at least one source" in html
    assert not ExpertNote.objects.exists()


def test_a_source_that_is_not_http_comes_back_with_400_and_the_text_kept():
    target = post()
    client = client_for(professional(), mfa=True)

    response = client.post(_add_url(target), _form("Body kept here", "FASS", "ftp://fass.se/"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Body kept here" in html
    assert "ftp://fass.se/" in html


def test_a_professional_after_expiry_is_refused_with_403_and_the_text_kept():
    nurse = professional()
    expire(nurse)
    target = post()

    response = client_for(nurse, mfa=True).post(_add_url(target), _form("Kept text", *FASS))

    assert response.status_code == 403
    assert "expired" in response.content.decode()
    assert "Kept text" in response.content.decode()


def test_a_professional_without_a_second_factor_in_the_session_is_refused():
    target = post()

    response = client_for(professional()).post(_add_url(target), _form("Text", *FASS))

    assert response.status_code == 403
    assert not ExpertNote.objects.exists()


def test_a_professional_adds_a_note_through_the_form():
    target = post()

    response = client_for(professional(), mfa=True).post(
        _add_url(target), _form("With food, please.", *FASS)
    )

    assert response.status_code == 302
    written = ExpertNote.objects.get()
    assert written.post_id == target.pk
    assert written.is_published


def test_a_member_marks_a_note_helpful_on_the_page():
    written = note()

    response = client_for(UserFactory.create()).post(
        f"/en/notes/{written.public_id}/helpful/", {"helpful": "1"}
    )

    assert response.status_code == 302
    written.refresh_from_db()
    assert written.helpful_count == 1


def test_the_history_is_404_for_other_members():
    written = note()

    response = client_for(UserFactory.create()).get(f"/en/notes/{written.public_id}/history/")

    assert response.status_code == 404


def test_a_bad_source_address_marks_its_own_field_and_keeps_every_row():
    target = post()
    client = client_for(professional(), mfa=True)
    form = {**_form("Kept body", *FASS), "source_title_1": "Blog", "source_url_1": "ftp://x.se/"}

    response = client.post(_add_url(target), form)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'name="source_url_1" value="ftp://x.se/"' in html
    marked = re.search(r'<input[^>]*name="source_url_1"[^>]*>', html)
    assert marked is not None
    assert 'aria-invalid="true"' in marked.group(0)
    unmarked = re.search(r'<input[^>]*name="source_url_0"[^>]*>', html)
    assert unmarked is not None
    assert "aria-invalid" not in unmarked.group(0)
