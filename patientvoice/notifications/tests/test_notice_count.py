"""The header's number counts the unread notices of every app: reviews, notes and
verification (notifications.notices), on remembered pages too."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from patientvoice.communities.tests.factories import CommunityFactory, PostFactory, ThreadFactory
from patientvoice.core.testing.sessions import log_in
from patientvoice.expertnotes import actions as note_actions
from patientvoice.expertnotes.tests.factories import note
from patientvoice.notifications.queries import header_unread_count
from patientvoice.professionals.tests import factories as professionals
from patientvoice.reviews.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COUNT = re.compile(r'data-testid="notification-count">(\d+)')


def _header_number(client: Client, url: str) -> int:
    found = COUNT.search(client.get(url).content.decode())
    return int(found.group(1)) if found else 0


def _author_of_a_post() -> tuple[Any, Any, Client]:
    """A member with a post of their own in a community, and their signed-in client."""
    author = UserFactory.create()
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[author]))
    target = PostFactory.create(thread=thread, author=author)
    client = Client()
    log_in(client, author)
    return author, target, client


def test_a_note_on_your_post_counts_in_the_header_until_you_read_it(
    django_capture_on_commit_callbacks,
):
    author, target, client = _author_of_a_post()
    thread = target.thread
    url = thread.get_absolute_url()
    before = _header_number(client, url)
    assert header_unread_count(author) == before

    with django_capture_on_commit_callbacks(execute=True):
        note_actions.notify_about_note(note=note(target=target))

    assert header_unread_count(author) == before + 1
    assert _header_number(client, url) == before + 1  # the thread page's own count
    with django_capture_on_commit_callbacks(execute=True):
        note_actions.mark_notices_read(user=author)
    assert header_unread_count(author) == before
    assert _header_number(client, url) == before


def test_a_verification_decision_counts_in_the_header(django_capture_on_commit_callbacks):
    applicant = professionals.applicant()
    before = header_unread_count(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        professionals.approved(applicant)

    assert header_unread_count(applicant) > before


def test_the_centre_says_which_page_holds_the_rest_of_the_headers_number(
    django_capture_on_commit_callbacks,
):
    from django.urls import reverse
    from django.utils import translation

    _, target, client = _author_of_a_post()
    with django_capture_on_commit_callbacks(execute=True):
        note_actions.notify_about_note(note=note(target=target))

    with translation.override("en"):
        page = client.get(reverse("notifications:list")).content.decode()
        notes_link = f'<a href="{reverse("expertnotes:notices")}">'
        stories_link = f'<a href="{reverse("stories:notices")}">'
    notes_line = page[page.index(notes_link) :].split("</p>", 1)[0]
    stories_line = page[page.index(stories_link) :].split("</p>", 1)[0]

    assert "1 unread" in notes_line
    assert "unread" not in stories_line
