"""Every read goes through visible_notes: a note on a members-only post is invisible to
outsiders on the notes page and in the API, like the post."""

from __future__ import annotations

from typing import Any

import pytest

from patientvoice.communities import actions as community_actions
from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see
from patientvoice.expertnotes.actions import set_content_status
from patientvoice.expertnotes.models import ExpertNote
from patientvoice.expertnotes.permissions import visible_notes
from patientvoice.expertnotes.queries import notes_for

from .factories import UserFactory, client_for, members_only_post, note, post, professional

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_note():
    target = members_only_post()
    nurse = professional()
    community_actions.join_community(user=nurse, community=target.community)
    return note(nurse, target)


def test_a_note_on_a_members_only_post_is_invisible_to_outsiders(private_note):
    outsider = UserFactory.create()

    assert_cannot_see(outsider, private_note)
    assert_cannot_see(None, private_note)
    assert notes_for(outsider, "post", [private_note.post_id]) == {}


def test_a_note_on_a_members_only_post_is_visible_to_members(private_note):
    member = UserFactory.create()
    community_actions.join_community(user=member, community=private_note.post.community)

    assert_can_see(member, private_note)


def test_the_api_answers_404_for_a_note_target_an_outsider_may_not_see(private_note):
    response = client_for(UserFactory.create()).get(
        f"/api/v1/notes/targets/post/{private_note.post.public_id}"
    )

    assert response.status_code == 404
    assert private_note.body not in response.content.decode()


def test_a_hidden_note_is_seen_by_its_author_only():
    nurse = professional()
    written = note(nurse)
    set_content_status(written, ContentStatus.HIDDEN)

    assert not visible_notes(UserFactory.create(), ExpertNote.objects.all()).exists()
    assert visible_notes(nurse, ExpertNote.objects.all()).get() == written
    assert_cannot_see(None, written)


def test_notes_for_a_page_of_targets_costs_three_queries(django_assert_num_queries):
    targets = [post() for _ in range(3)]
    for target in targets:
        for _ in range(2):
            note(target=target)
    reader = UserFactory.create()

    with django_assert_num_queries(3):
        found = notes_for(reader, "post", [t.pk for t in targets])
        every: list[Any] = [n for notes in found.values() for n in notes]
        shown = [(n.shown_sources, n.shown_reply) for n in every]

    assert len(shown) == 6
    assert all(len(sources) == 1 for sources, _ in shown)
