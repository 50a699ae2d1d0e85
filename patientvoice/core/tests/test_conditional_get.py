"""Feeds and API lists answer a repeated question with 304 Not Modified, and a changed
answer with the new content (core.middleware.ConditionalGetMiddleware, decisions/0045)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.communities import actions
from patientvoice.communities.tests.factories import (
    CommunityFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def community() -> Any:
    author = UserFactory.create()
    community = CommunityFactory.create(members=[author])
    thread = ThreadFactory.create(community=community, author=author)
    PostFactory.create(thread=thread, author=author, body="Morning routines with a pump.")
    return community


def test_an_api_list_asked_again_is_not_sent_again(community: Any) -> None:
    client = Client()
    first = client.get("/api/v1/communities")
    assert first.status_code == 200
    etag = first["ETag"]

    again = client.get("/api/v1/communities", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.content == b""


def test_a_changed_api_list_is_sent_with_a_new_tag(community: Any) -> None:
    client = Client()
    etag = client.get("/api/v1/communities")["ETag"]
    CommunityFactory.create(name="A new place for caregivers")

    changed = client.get("/api/v1/communities", headers={"If-None-Match": etag})

    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "A new place for caregivers" in changed.text


def test_a_feed_asked_again_is_not_sent_again(community: Any) -> None:
    client = Client()
    url = reverse("communities:community_feed", args=[community.slug])
    first = client.get(url)
    assert first.status_code == 200

    again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304


def test_a_date_alone_never_answers_304(community: Any) -> None:
    """A date cannot say that an item left the feed (a post hidden since): only the tag."""
    client = Client()
    url = reverse("communities:community_feed", args=[community.slug])
    first = client.get(url)

    again = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})

    assert again.status_code == 200


def test_api_answers_are_private_and_pages_carry_no_tag(community: Any) -> None:
    client = Client()

    api = client.get("/api/v1/communities")
    page = client.get(community.get_absolute_url())

    assert "private" in api["Cache-Control"]
    assert not page.has_header("ETag")


def test_a_feed_with_a_new_post_is_sent_again(community: Any) -> None:
    client = Client()
    url = reverse("communities:community_feed", args=[community.slug])
    etag = client.get(url)["ETag"]
    thread = community.threads.get()
    actions.reply_to_thread(
        author=thread.author, thread=thread, body="A new tip about sensors.", language="sv"
    )

    changed = client.get(url, headers={"If-None-Match": etag})

    assert changed.status_code == 200
