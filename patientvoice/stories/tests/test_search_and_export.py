"""Stories and comments in search (found by whom may read them), in the data export,
and the eraser; the expert notes on a story."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.exporting import build_export, covered_models
from patientvoice.core.testing.sessions import log_in
from patientvoice.expertnotes.models import ExpertNote
from patientvoice.expertnotes.queries import notes_for
from patientvoice.expertnotes.targets import TARGETS, access_target
from patientvoice.search.indexing import rebuild
from patientvoice.search.queries import SearchParams, search

from .factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _found(q: str, user=None) -> list[str]:
    return [r.hit.url for r in search(user, SearchParams(q=q)).results]


def test_a_public_story_and_its_comment_are_found_by_everyone(story, reader):
    comment = CommentFactory.create(story=story, author=reader, body="Tack, pelargoner hjälper")
    rebuild(labels=["stories.story", "stories.storycomment"])

    assert any(story.get_absolute_url() in url for url in _found("diagnosis"))
    assert any(f"#comment-{comment.public_id}" in url for url in _found("pelargoner"))


def test_a_private_communitys_story_is_found_by_its_members_only(private_story, reader):
    rebuild(labels=["stories.story"])

    assert not _found("diagnosis")
    assert not _found("diagnosis", UserFactory.create())
    assert _found("diagnosis", reader)


def test_the_search_page_finds_a_story(story):
    rebuild(labels=["stories.story"])

    page = Client().get(reverse("search:search"), {"q": "diagnosis"}).content.decode()

    assert story.title in page


def test_the_export_holds_the_persons_stories_comments_and_drafts(story, author, reader):
    CommentFactory.create(story=story, author=author, body="Mitt eget svar här")
    from patientvoice.stories import actions

    actions.save_draft(
        author=author, draft=None, title="Utkast", body="", language="sv", community=None
    )

    archive = json.loads(json.dumps(build_export(author)))["stories"]

    assert archive["stories"][0]["title"] == story.title
    assert archive["story_comments"][0]["body"] == "Mitt eget svar här"
    assert archive["story_drafts"][0]["title"] == "Utkast"


def test_every_stories_model_that_names_a_person_is_exported():
    assert {
        "stories.story",
        "stories.storydraft",
        "stories.storyrevision",
        "stories.storycomment",
        "stories.storynotice",
        "stories.storyfeature",
    } <= covered_models()


def test_the_download_page_includes_stories(story, author):
    client = Client()
    log_in(client, author)

    response = client.post(reverse("accounts:data_export"))

    assert story.title in response.content.decode()


def test_a_story_is_a_target_for_expert_notes(story, reader):
    assert "story" in TARGETS
    assert access_target(reader, "story", story.public_id) == story


def test_a_professionals_note_on_a_story_shows_under_it(story, author):
    from patientvoice.expertnotes.tests.factories import note as add_note

    note = add_note(target=story, kind="correction")

    shown = notes_for(author, "story", [story.pk])[story.pk]
    page = Client().get(story.get_absolute_url()).content.decode()

    assert shown == [note]
    assert note.story_id == story.pk
    assert f'id="{note.anchor}"' in page
    assert "expert-note-label" in page


def test_a_professional_is_offered_to_add_a_note_to_a_story(story):
    from patientvoice.expertnotes.tests.factories import client_for, professional

    page = client_for(professional(), mfa=True).get(story.get_absolute_url()).content.decode()

    assert reverse("expertnotes:add", args=["story", story.public_id]) in page


def test_a_note_on_a_private_story_is_hidden_like_the_story(private_story, reader):
    from patientvoice.expertnotes.permissions import visible_notes
    from patientvoice.expertnotes.tests.factories import note as add_note
    from patientvoice.expertnotes.tests.factories import professional

    nurse = professional()
    from patientvoice.communities import actions as community_actions

    community_actions.join_community(user=nurse, community=private_story.community)
    note = add_note(author=nurse, target=private_story)

    assert not visible_notes(None, ExpertNote.objects.filter(pk=note.pk)).exists()
    assert visible_notes(reader, ExpertNote.objects.filter(pk=note.pk)).exists()
