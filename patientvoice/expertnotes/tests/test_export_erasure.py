"""Notes, replies and helpful marks in the data export, and what erasure does."""

from __future__ import annotations

import pytest

from patientvoice.accounts.exporting import build_export
from patientvoice.accounts.models import ErasureMode
from patientvoice.expertnotes import actions
from patientvoice.expertnotes.exporters import erase_notes
from patientvoice.expertnotes.models import ExpertNote, NoteAuthorReply, NoteHelpful

from .factories import UserFactory, author_of, note, post, professional

pytestmark = pytest.mark.django_db


def test_the_export_holds_notes_replies_and_helpful_marks():
    nurse = professional()
    target = post()
    written = note(nurse, target)
    actions.reply_to_note(author=author_of(target), note=written, body="Thanks for the source.")
    reader = UserFactory.create()
    actions.set_helpful(user=reader, note=written, helpful=True)

    mine = build_export(nurse)["expertnotes"]
    theirs = build_export(target.author)["expertnotes"]
    marks = build_export(reader)["expertnotes"]

    assert mine["expert_notes"][0]["body"] == written.body
    assert mine["expert_notes"][0]["sources"]
    assert theirs["replies_to_expert_notes"][0]["body"] == "Thanks for the source."
    assert marks["notes_marked_helpful"][0]["note__public_id"] == str(written.public_id)


def test_erasure_in_remove_mode_deletes_notes_and_marks_and_keeps_counts_right():
    nurse = professional()
    written = note(nurse)
    other = note()
    reader = UserFactory.create()
    actions.set_helpful(user=nurse, note=other, helpful=True)
    actions.set_helpful(user=reader, note=written, helpful=True)

    erase_notes(nurse, ErasureMode.REMOVE)

    assert not ExpertNote.objects.filter(pk=written.pk).exists()
    assert not NoteHelpful.objects.filter(user=nurse).exists()
    other.refresh_from_db()
    assert other.helpful_count == 0


def test_erasure_in_anonymise_mode_keeps_published_notes_and_replies():
    nurse = professional()
    target = post()
    written = note(nurse, target)
    actions.reply_to_note(author=author_of(target), note=written, body="Thanks.")

    erase_notes(nurse, ErasureMode.ANONYMISE)
    erase_notes(target.author, ErasureMode.ANONYMISE)

    assert ExpertNote.objects.filter(pk=written.pk).exists()
    assert NoteAuthorReply.objects.filter(note=written).exists()
