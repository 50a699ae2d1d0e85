"""The stories API: lists through the visibility rule with a fixed query budget, a
story, its comments, and a member's comment with a token."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.api import actions as api_actions
from patientvoice.core.models import ContentStatus
from patientvoice.stories.models import StoryComment

from .factories import CommentFactory, GuestCommentFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _bearer(user: Any, scope: str = "read_write") -> dict[str, Any]:
    _, raw = api_actions.create_token(user=user, name="test", scope=scope, lifetime_days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_list_shows_public_stories_to_a_visitor_and_not_private_ones(story, private_story):
    body = Client().get(reverse("api:list_stories")).json()

    ids = [item["public_id"] for item in body["items"]]
    assert str(story.public_id) in ids
    assert str(private_story.public_id) not in ids
    assert body["count"] == 1


def test_the_list_costs_the_same_queries_for_three_or_twelve_stories(django_assert_num_queries):
    for _ in range(3):
        StoryFactory.create(author=UserFactory.create())
    client = Client()
    url = reverse("api:list_stories")

    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    for _ in range(9):
        StoryFactory.create(author=UserFactory.create())
    with django_assert_num_queries(3):
        assert client.get(url).json()["count"] == 12


def test_a_story_names_its_author_reading_time_and_conditions(story):
    body = Client().get(reverse("api:get_story", args=[story.public_id])).json()

    assert body["title"] == story.title
    assert body["author"] == story.author.handle
    assert body["reading_minutes"] == 1
    assert body["url"] == story.get_absolute_url()


def test_a_private_story_is_404_to_a_visitor(private_story):
    response = Client().get(reverse("api:get_story", args=[private_story.public_id]))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_comments_hide_a_guests_held_comment_and_never_an_address(story, reader):
    shown = CommentFactory.create(story=story, author=reader)
    GuestCommentFactory.create(story=story, guest_email="secret@example.org")

    response = Client().get(reverse("api:list_comments", args=[story.public_id]))

    assert [c["public_id"] for c in response.json()["items"]] == [str(shown.public_id)]
    assert "secret@example.org" not in response.content.decode()


def test_the_comment_list_costs_the_same_queries_for_few_or_many(story, django_assert_num_queries):
    top = CommentFactory.create(story=story)
    client = Client()
    url = reverse("api:list_comments", args=[story.public_id])

    with django_assert_num_queries(3):
        client.get(url)
    for _ in range(8):
        CommentFactory.create(story=story, parent=top)
    with django_assert_num_queries(3):
        assert client.get(url).json()["count"] == 9


def test_a_member_comments_with_a_token(story, reader):
    response = Client().post(
        reverse("api:create_comment", args=[story.public_id]),
        {"body": "Tack för att du delar."},
        content_type="application/json",
        **_bearer(reader),
    )

    assert response.status_code == 201
    assert response.json()["status"] == ContentStatus.PUBLISHED
    assert StoryComment.objects.get().author == reader


def test_a_reply_names_the_comment_it_answers(story, reader):
    top = CommentFactory.create(story=story)

    Client().post(
        reverse("api:create_comment", args=[story.public_id]),
        {"body": "Ett svar på det.", "reply_to": str(top.public_id)},
        content_type="application/json",
        **_bearer(reader),
    )

    listed = Client().get(reverse("api:list_comments", args=[story.public_id])).json()
    assert listed["items"][-1]["reply_to"] == str(top.public_id)


def test_a_read_only_token_cannot_comment(story, reader):
    response = Client().post(
        reverse("api:create_comment", args=[story.public_id]),
        {"body": "Tack."},
        content_type="application/json",
        **_bearer(reader, scope="read"),
    )

    assert response.status_code == 403


def test_commenting_on_a_story_you_cannot_see_is_404(private_story):
    response = Client().post(
        reverse("api:create_comment", args=[private_story.public_id]),
        {"body": "Hej där."},
        content_type="application/json",
        **_bearer(UserFactory.create()),
    )

    assert response.status_code == 404


def test_a_visitor_cannot_comment_through_the_api(story):
    response = Client().post(
        reverse("api:create_comment", args=[story.public_id]),
        {"body": "Hej där."},
        content_type="application/json",
    )

    assert response.status_code == 401


def test_commenting_too_fast_is_429(story, reader, settings):
    settings.PV_POSTS_PER_HOUR = 1
    headers = _bearer(reader)
    url = reverse("api:create_comment", args=[story.public_id])
    Client().post(url, {"body": "Första."}, content_type="application/json", **headers)

    response = Client().post(url, {"body": "Andra."}, content_type="application/json", **headers)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"


def test_an_empty_comment_is_422(story, reader):
    response = Client().post(
        reverse("api:create_comment", args=[story.public_id]),
        {"body": ""},
        content_type="application/json",
        **_bearer(reader),
    )

    assert response.status_code == 422
