"""A medicine's page lists the discussions tagged with it (decisions/0018): only those the
reader may read (communities.queries.tagged_threads, the visibility rule), the most
recently active first, at most DISCUSSIONS_ON_MEDICINE_PAGE, at a fixed query count."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from patientvoice.communities.tests.factories import (
    PHONE_BODY,
    CommunityFactory,
    OrganizationFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
)
from patientvoice.core.testing.sessions import log_in
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see
from patientvoice.directory.medicine_page import DISCUSSIONS_ON_MEDICINE_PAGE
from patientvoice.directory.models import Medicine

pytestmark = pytest.mark.django_db


@pytest.fixture
def medicine() -> Medicine:
    # From the starter set (directory/data/medicines.csv, loaded by a migration).
    return Medicine.objects.get(slug="methotrexate")


def _page_url(medicine: Medicine) -> str:
    return reverse("directory:medicine_detail", args=[medicine.slug])


def test_the_medicine_page_lists_public_discussions_tagged_with_it(medicine):
    thread = ThreadFactory.create(medicines=[medicine])
    other = ThreadFactory.create(medicines=[Medicine.objects.get(slug="ibuprofen")])

    response = Client().get(_page_url(medicine))

    assert response.status_code == 200
    with translation.override("sv"):
        heading = pgettext("medicine pages", "Discussions about this medicine")
    assert heading in response.text
    assert thread.get_absolute_url() in response.text
    assert thread.title in response.text
    assert thread.community.name in response.text
    assert other.title not in response.text


def test_the_most_recently_active_discussions_come_first(medicine):
    older = ThreadFactory.create(medicines=[medicine])
    newer = ThreadFactory.create(medicines=[medicine])
    PostFactory.create(thread=older)  # a reply makes the older one the most active

    response = Client().get(_page_url(medicine))

    assert response.context["discussions"] == [older, newer]


def test_the_page_lists_at_most_the_limit_of_discussions(medicine):
    community = CommunityFactory.create()
    threads = [
        ThreadFactory.create(community=community, medicines=[medicine])
        for _ in range(DISCUSSIONS_ON_MEDICINE_PAGE + 2)
    ]

    response = Client().get(_page_url(medicine))

    shown = response.context["discussions"]
    assert len(shown) == DISCUSSIONS_ON_MEDICINE_PAGE
    assert threads[0].title not in response.text  # the two least recently active
    assert threads[-1].title in response.text


def test_a_page_without_discussions_says_so_in_the_page_language(medicine):
    response = Client().get(_page_url(medicine).replace("/sv/", "/en/"))

    assert response.context["discussions"] == []
    assert "No discussion you can read is about this medicine yet." in response.text


def test_a_members_only_discussion_is_hidden_from_outsiders_but_not_from_members(medicine):
    member = UserFactory.create()
    community = CommunityFactory.create(members_only=True, members=[member])
    thread = ThreadFactory.create(community=community, author=member, medicines=[medicine])

    assert thread.title not in Client().get(_page_url(medicine)).text
    assert_cannot_see(None, thread)
    assert_cannot_see(UserFactory.create(), thread)
    assert_can_see(member, thread)


def test_a_private_discussion_is_hidden_from_outsiders(medicine):
    member = UserFactory.create()
    community = CommunityFactory.create(private=True, members=[member])
    thread = ThreadFactory.create(community=community, author=member, medicines=[medicine])

    assert_cannot_see(None, thread)
    assert_cannot_see(UserFactory.create(), thread)
    assert_can_see(member, thread)


def test_a_discussion_waiting_for_a_moderator_is_shown_to_its_author_only(medicine):
    author = UserFactory.create()
    thread = ThreadFactory.create(author=author, body=PHONE_BODY, medicines=[medicine])

    assert not thread.is_published
    assert_cannot_see(None, thread)
    assert_cannot_see(UserFactory.create(), thread)
    client = Client()
    log_in(client, author)
    assert thread.title in client.get(_page_url(medicine)).text


def test_the_medicine_page_has_a_fixed_query_count(medicine, django_assert_num_queries):
    member = UserFactory.create()
    for n in range(30):
        community = CommunityFactory.create(
            organization=OrganizationFactory.create(),
            members_only=bool(n % 3 == 0),
            members=[member] if n % 2 else [],
        )
        ThreadFactory.create(community=community, medicines=[medicine])
    client = Client()
    log_in(client, member)
    client.get(reverse("home"))

    # A page not seen before is built: session, user; the page's key (the medicine
    # with its summary's count and version, the member's own review with the header's
    # number, the discussions they may read; no reviews, so no page of them); then the
    # page itself: the medicine, the discussions with their communities and authors,
    # the summary, the own review.
    with django_assert_num_queries(2 + 3 + 4):
        response = client.get(_page_url(medicine))
    # Seen before: the key alone (the page comes from the memo).
    with django_assert_num_queries(2 + 3):
        again = client.get(_page_url(medicine))
    assert _without_token(again.content) == _without_token(response.content)
    # a visitor: the key (medicine, discussions), then the page (medicine, discussions,
    # summary)
    with django_assert_num_queries(2 + 3):
        visitor = Client().get(_page_url(medicine))
    with django_assert_num_queries(2):
        Client().get(_page_url(medicine))

    assert len(response.context["discussions"]) == DISCUSSIONS_ON_MEDICINE_PAGE
    assert len(visitor.context["discussions"]) == DISCUSSIONS_ON_MEDICINE_PAGE


def _without_token(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)
