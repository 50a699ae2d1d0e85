"""seed_demo shows an expert note under a post in a public community, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from patientvoice.core.models import ContentStatus
from patientvoice.expertnotes.demo import BODY
from patientvoice.expertnotes.models import ExpertNote

pytestmark = pytest.mark.django_db


def test_the_demo_shows_the_nurses_note_under_a_parents_tip_to_visitors():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # idempotent

    note = ExpertNote.objects.get()
    assert note.status == ContentStatus.PUBLISHED
    assert note.author is not None
    assert note.author.email == "sjukskoterska@demo.patientvoice.local"
    assert note.post is not None
    html = Client().get(note.post.thread.get_absolute_url()).content.decode()
    assert BODY[:40] in html
    assert "badge-professional" in html
