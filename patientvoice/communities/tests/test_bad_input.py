"""Bad input gets a clear, translated answer and keeps what the person typed."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from patientvoice.communities.forms import ReplyForm, ThreadForm
from patientvoice.communities.models import Post, Thread

from .conftest import logged_in
from .factories import CommunityFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def swedish_error(form_class, data: dict[str, str], field: str) -> str:
    """The error the form gives ``field`` in Swedish (and proof it is not English)."""
    with translation.override("sv"):
        message = form_class(data).errors[field][0]
    with translation.override("en"):
        english = form_class(data).errors[field][0]
    assert message != english, "the message is translated"
    return escape(message)


@pytest.fixture
def thread(member):
    return ThreadFactory.create(community=CommunityFactory.create(), author=member)


def reply_url(thread) -> str:
    return reverse("communities:reply", args=[thread.community.slug, thread.public_id])


def test_empty_reply_is_refused_with_a_translated_error(thread, member):
    response = logged_in(member).post(reply_url(thread), {"body": "   "})

    assert response.status_code == 400
    assert swedish_error(ReplyForm, {"body": "   "}, "body") in response.text
    assert thread.posts.count() == 1


def test_too_long_reply_is_refused_and_the_text_is_kept_in_the_textarea(thread, member):
    typed = "My long story about the new medicine. " * 600  # over 20 000 characters

    response = logged_in(member).post(reply_url(thread), {"body": typed})

    assert response.status_code == 400
    assert swedish_error(ReplyForm, {"body": typed}, "body") in response.text
    assert escape(typed.strip()) in response.text
    assert 'name="body"' in response.text
    assert thread.posts.count() == 1


def test_thread_with_too_short_title_is_refused_and_keeps_the_body(member):
    community = CommunityFactory.create(members=[member])
    body = "What helps you sleep when the pain keeps you awake?"

    response = logged_in(member).post(
        reverse("communities:thread_create", args=[community.slug]), {"title": "Hi", "body": body}
    )

    assert response.status_code == 400
    assert swedish_error(ThreadForm, {"title": "Hi", "body": body}, "title") in response.text
    assert escape(body) in response.text
    assert not Thread.objects.filter(community=community).exists()


def test_reply_in_a_community_you_have_not_joined_is_refused(thread, outsider):
    response = logged_in(outsider).post(reply_url(thread), {"body": "I am not a member here."})

    assert response.status_code == 302
    assert response["Location"] == thread.community.get_absolute_url()
    assert not Post.objects.filter(author=outsider).exists()


def test_reply_in_a_members_only_community_you_have_not_joined_is_a_404(member, outsider):
    thread = ThreadFactory.create(
        community=CommunityFactory.create(members_only=True), author=member
    )

    response = logged_in(outsider).post(reply_url(thread), {"body": "Let me in, please."})

    assert response.status_code == 404
    assert not Post.objects.filter(author=outsider).exists()


def test_visitor_who_replies_is_sent_to_log_in(thread):
    response = Client().post(reply_url(thread), {"body": "Hello from nobody."})

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_thread_that_does_not_exist_is_a_404_on_the_page_the_reply_and_the_api(member):
    community = CommunityFactory.create(members=[member])
    missing = uuid.uuid4()
    client = logged_in(member)

    page = client.get(reverse("communities:thread", args=[community.slug, missing]))
    reply = client.post(
        reverse("communities:reply", args=[community.slug, missing]), {"body": "Hello there."}
    )
    api = client.get(reverse("api:list_posts", args=[community.slug, missing]))

    assert (page.status_code, reply.status_code, api.status_code) == (404, 404, 404)
    assert api.json()["error"]["code"] == "not_found"


def test_thread_in_the_wrong_community_is_a_404(member, thread):
    other = CommunityFactory.create()

    response = logged_in(member).get(
        reverse("communities:thread", args=[other.slug, thread.public_id])
    )

    assert response.status_code == 404


def test_community_that_does_not_exist_is_a_404_on_the_page_and_the_api(member):
    client = logged_in(member)

    assert client.get(reverse("communities:detail", args=["no-such-place"])).status_code == 404
    assert client.get(reverse("api:list_threads", args=["no-such-place"])).status_code == 404
