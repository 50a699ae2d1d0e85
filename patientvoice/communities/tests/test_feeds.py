"""Atom feeds: public communities and threads only, read as a visitor."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.core.testing.visibility import assert_cannot_see

from .factories import PHONE_BODY, CommunityFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def test_a_public_community_has_an_atom_feed_of_its_threads() -> None:
    thread = ThreadFactory.create(title="Morning stiffness tips")

    response = Client().get(reverse("communities:community_feed", args=[thread.community.slug]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Morning stiffness tips" in response.text


def test_a_public_thread_has_an_atom_feed_of_its_posts() -> None:
    post = PostFactory.create(body="The cold pack helped me more than anything")
    url = reverse("communities:thread_feed", args=[post.community.slug, post.thread.public_id])

    response = Client().get(url)

    assert response.status_code == 200
    assert "The cold pack helped me more than anything" in response.text


@pytest.mark.parametrize("kind", ["members_only", "private"])
def test_closed_communities_have_no_feed(kind: str) -> None:
    community = CommunityFactory.create(**{kind: True})
    thread = ThreadFactory.create(community=community)

    community_feed = Client().get(reverse("communities:community_feed", args=[community.slug]))
    thread_feed = Client().get(
        reverse("communities:thread_feed", args=[community.slug, thread.public_id])
    )

    assert community_feed.status_code == 404
    assert thread_feed.status_code == 404


def test_a_held_post_never_reaches_a_feed() -> None:
    post = PostFactory.create(body=PHONE_BODY)

    assert_cannot_see(None, post)


def test_the_community_page_announces_its_feed_only_when_public() -> None:
    public = CommunityFactory.create()
    closed = CommunityFactory.create(members_only=True)

    assert 'type="application/atom+xml"' in Client().get(public.get_absolute_url()).text
    assert 'type="application/atom+xml"' not in Client().get(closed.get_absolute_url()).text


def test_the_community_feed_costs_the_same_queries_for_many_threads(
    django_assert_num_queries,
) -> None:
    community = CommunityFactory.create()
    for n in range(30):
        ThreadFactory.create(community=community, body=f"Opening post number {n}")
    url = reverse("communities:community_feed", args=[community.slug])

    # the community, the site (for absolute links), the threads with their first posts
    with django_assert_num_queries(3):
        response = Client().get(url)

    assert "Opening post number 29" in response.text
