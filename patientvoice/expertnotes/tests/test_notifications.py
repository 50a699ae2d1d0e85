"""A published note tells the target's author; their reply tells the note's author."""

from __future__ import annotations

import pytest

from patientvoice.communities.tests.factories import PHONE_BODY
from patientvoice.expertnotes import actions
from patientvoice.expertnotes.models import NoteNotice, NoticeKind
from patientvoice.expertnotes.queries import notices_for

from .factories import author_of, client_for, note, post, professional

pytestmark = pytest.mark.django_db


def test_the_posts_author_is_told_once_of_a_published_note(django_capture_on_commit_callbacks):
    target = post()
    nurse = professional()
    with django_capture_on_commit_callbacks(execute=True):
        written = note(nurse, target)
    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_note(
            note=written, editor=nurse, kind="correction", body="Changed.", sources=[
                ("1177", "https://www.1177.se/")
            ],
        )  # fmt: skip

    told = list(notices_for(target.author))
    assert [(n.kind, n.note_id) for n in told] == [(NoticeKind.NOTE_ADDED, written.pk)]
    page = client_for(target.author).get("/en/notes/notices/").content.decode()
    assert f"#note-{written.public_id}" in page


def test_a_held_note_tells_nobody(django_capture_on_commit_callbacks):
    target = post()
    with django_capture_on_commit_callbacks(execute=True):
        held = note(target=target, body=PHONE_BODY)

    assert not held.is_published
    assert not NoteNotice.objects.exists()


def test_the_notes_author_is_told_of_the_reply(django_capture_on_commit_callbacks):
    target = post()
    nurse = professional()
    written = note(nurse, target)
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply_to_note(author=author_of(target), note=written, body="Thank you!")

    assert NoteNotice.objects.filter(
        recipient=nurse, note=written, kind=NoticeKind.NOTE_REPLY
    ).exists()
