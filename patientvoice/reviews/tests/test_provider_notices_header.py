"""The header's notifications number counts unread review notices: on pages that ask the
cache and on the thread page, which reads the number with its own row; a new notice and
reading the notices change it at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.communities.tests.factories import CommunityFactory, ThreadFactory
from patientvoice.core.testing.sessions import log_in
from patientvoice.notifications.queries import header_unread_count, header_unread_expression
from patientvoice.reviews import provider_actions
from patientvoice.reviews.models import ReviewNotice

from .factories import UserFactory, acting_staff, clinic, review
from .provider_factories import approved_claim, reply

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r'data-testid="notification-count">(\d+)<')


def header_number(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    found = NUMBER.search(response.content.decode())
    return int(found.group(1)) if found else 0


@pytest.fixture
def reviewer() -> User:
    return UserFactory.create()


@pytest.fixture
def pages(reviewer):
    thread = ThreadFactory.create(community=CommunityFactory.create())
    client = Client()
    log_in(client, reviewer)
    return client, [reverse("home"), thread.get_absolute_url()]


def test_a_reply_notice_raises_the_number_on_the_home_and_thread_pages(
    reviewer, pages, django_capture_on_commit_callbacks
):
    client, urls = pages
    place = clinic()
    rated = review(place, author=reviewer)
    claim = approved_claim(place)
    before = [header_number(client, url) for url in urls]  # cached now

    with django_capture_on_commit_callbacks(execute=True):
        reply(rated, claim)

    assert before == [0, 0]
    assert [header_number(client, url) for url in urls] == [1, 1]


def test_reading_the_notices_brings_the_number_down(
    reviewer, pages, django_capture_on_commit_callbacks
):
    client, urls = pages
    place = clinic()
    claim = approved_claim(place)
    other = clinic()
    with django_capture_on_commit_callbacks(execute=True):
        reply(review(place, author=reviewer), claim)
        reply(review(other, author=reviewer), approved_claim(other))
    assert [header_number(client, url) for url in urls] == [2, 2]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:notices"))

    assert response.status_code == 302
    assert [header_number(client, url) for url in urls] == [0, 0]


def test_a_claimant_sees_the_decision_on_their_claim_in_the_header(
    django_capture_on_commit_callbacks,
):
    member = UserFactory.create()
    claim = provider_actions.request_claim(user=member, entry=clinic(), role="Chef")
    client = Client()
    log_in(client, member)
    assert header_number(client, reverse("home")) == 0

    with django_capture_on_commit_callbacks(execute=True):
        provider_actions.decide_claim(
            staff=acting_staff(), claim=claim, approve=False, reason="Okänd."
        )

    assert header_number(client, reverse("home")) == 1


def test_the_thread_pages_expression_counts_what_the_cached_count_counts(reviewer):
    place = clinic()
    claim = approved_claim(place)
    for _ in range(3):
        reply(review(place, author=UserFactory.create()), claim)
    other = clinic()
    reply(review(other, author=reviewer), approved_claim(other))
    reply(review(place, author=reviewer), claim)
    ReviewNotice.objects.filter(recipient=reviewer).order_by("id")[0].delete()

    from_sql = (
        User.objects.filter(pk=reviewer.pk)
        .annotate(unread=header_unread_expression(reviewer.pk))
        .values_list("unread", flat=True)
        .get()
    )

    assert from_sql == header_unread_count(reviewer) == 1
