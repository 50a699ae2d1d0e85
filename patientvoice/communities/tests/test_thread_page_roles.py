"""What the thread page shows of questions for professionals (decisions/0037) and of
sponsors (decisions/0038), on pages remembered before each change."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities.models import Post
from patientvoice.organizations.tests.sponsor_factories import sponsor, sponsorship_of, staff_of
from patientvoice.professionals.tests.question_factories import (
    answer,
    client_for,
    professional,
    question,
)

from .factories import CommunityFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

FOOTER = "An answer from a verified professional"


def _article(html: str, post: Post) -> str:
    match = re.search(rf'<article[^>]*id="post-{post.public_id}".*?</article>', html, re.S)
    assert match is not None
    return match.group(0)


def _en(url: str) -> str:
    return url.replace("/sv/", "/en/", 1)


def test_a_professionals_answer_to_a_question_is_highlighted_with_its_footer(
    django_capture_on_commit_callbacks,
):
    asked = question()
    url = _en(asked.thread.get_absolute_url())
    visitor = Client()
    visitor.get(url)  # remembered before the answers
    member_reply = answer(django_capture_on_commit_callbacks, asked.thread, UserFactory.create())
    nurse_reply = answer(django_capture_on_commit_callbacks, asked.thread, professional())

    with translation.override("en"):
        html = visitor.get(url).content.decode()

    assert "post-professional-answer" in _article(html, nurse_reply)
    assert FOOTER in _article(html, nurse_reply)
    assert FOOTER not in _article(html, member_reply)
    assert "Answered by a verified registered nurse" in html


def test_a_professionals_post_in_an_ordinary_thread_is_not_an_answer():
    thread = ThreadFactory.create(community=CommunityFactory.create())
    post = PostFactory.create(thread=thread, author=professional())

    html = Client().get(_en(thread.get_absolute_url())).content.decode()

    assert FOOTER not in _article(html, post)


def test_only_the_threads_author_is_offered_to_ask_professionals():
    author, other = UserFactory.create(), UserFactory.create()
    thread = ThreadFactory.create(
        community=CommunityFactory.create(members=[author, other]), author=author
    )
    url = _en(thread.get_absolute_url())

    assert "Ask verified professionals" in client_for(author).get(url).content.decode()
    assert "Ask verified professionals" not in client_for(other).get(url).content.decode()
    assert "Ask verified professionals" not in Client().get(url).content.decode()


def test_a_new_sponsorship_shows_its_notice_on_a_remembered_thread_page(
    django_capture_on_commit_callbacks,
):
    thread = ThreadFactory.create(community=CommunityFactory.create())
    url = _en(thread.get_absolute_url())
    visitor = Client()
    assert "has no editorial control" not in visitor.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sponsorship_of(sponsor(name="Pharma Nordic AB"), thread.community)

    html = visitor.get(url).content.decode()
    assert "This community is funded by Pharma Nordic AB" in html
    assert html.count("has no editorial control") == 1  # not again from the site's block


def test_sponsor_staff_are_labelled_on_their_posts(django_capture_on_commit_callbacks):
    thread = ThreadFactory.create(community=CommunityFactory.create())
    with django_capture_on_commit_callbacks(execute=True):
        employee = staff_of(sponsor(name="Pharma Nordic AB"))
    post = PostFactory.create(thread=thread, author=employee)
    other = PostFactory.create(thread=thread)

    html = Client().get(_en(thread.get_absolute_url())).content.decode()

    assert "Works for Pharma Nordic AB (sponsor)" in _article(html, post)
    assert "(sponsor)" not in _article(html, other)
