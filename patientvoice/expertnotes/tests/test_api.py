"""The notes API: the same rules as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from patientvoice.expertnotes.models import ExpertNote

from .factories import FASS, UserFactory, client_for, note, post, professional

pytestmark = pytest.mark.django_db


def _post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_professional_adds_a_note_through_the_api():
    target = post()
    client = client_for(professional(), mfa=True)

    response = _post(
        client,
        f"/api/v1/notes/targets/post/{target.public_id}",
        {"kind": "context", "body": "With food.", "sources": [{"title": FASS[0], "url": FASS[1]}]},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["published"] is True
    assert body["note"]["sources"] == [{"title": FASS[0], "url": FASS[1]}]
    assert body["note"]["credential_at_writing"]["profession"] == "nurse"


def test_the_api_refuses_a_note_without_sources_with_422():
    target = post()
    client = client_for(professional(), mfa=True)

    response = _post(
        client, f"/api/v1/notes/targets/post/{target.public_id}", {"kind": "context", "body": "x"}
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["loc"] == ["body", "sources"]
    assert not ExpertNote.objects.exists()


def test_the_api_refuses_a_member_who_is_not_a_professional_with_403():
    target = post()

    response = _post(
        client_for(UserFactory.create()),
        f"/api/v1/notes/targets/post/{target.public_id}",
        {"kind": "context", "body": "x", "sources": [{"title": FASS[0], "url": FASS[1]}]},
    )

    assert response.status_code == 403


def test_the_api_lists_a_targets_notes_and_marks_helpful():
    target = post()
    written = note(target=target)
    reader = client_for(UserFactory.create())

    listed = reader.get(f"/api/v1/notes/targets/post/{target.public_id}").json()
    marked = _post(reader, f"/api/v1/notes/{written.public_id}/helpful", {"helpful": True})

    assert [n["public_id"] for n in listed] == [str(written.public_id)]
    assert marked.status_code == 200
    assert marked.json()["helpful_count"] == 1
    assert marked.json()["marked_helpful"] is True


def test_the_targets_author_replies_through_the_api():
    target = post()
    written = note(target=target)

    response = client_for(target.author).put(
        f"/api/v1/notes/{written.public_id}/reply",
        json.dumps({"body": "Thanks!"}),
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["note"]["reply"]["status"] == "published"
