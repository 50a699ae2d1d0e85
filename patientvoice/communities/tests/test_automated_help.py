"""Automated help for moderators (moderation issue, item 6), as members meet it: the
first posts of new accounts and repeated texts are held with the reason shown, and
posting too fast is refused with the text kept (pages and API)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from patientvoice.api import actions as api_actions
from patientvoice.communities import actions
from patientvoice.communities.models import Post
from patientvoice.core.models import ContentStatus
from patientvoice.core.textchecks import reason_label
from patientvoice.moderation.errors import MemberSanctioned, PostingTooFast
from patientvoice.moderation.models import Case

from .conftest import logged_in
from .factories import CommunityFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db

LONG = "Jag har tagit metotrexat i två år och tröttheten kommer alltid dagen efter dosen."


def swedish(text) -> str:
    with translation.override("sv"):
        return escape(str(text))


@pytest.fixture
def thread():
    return ThreadFactory.create(community=CommunityFactory.create())


@pytest.fixture
def writer(thread):
    person = UserFactory.create()
    actions.join_community(user=person, community=thread.community)
    return person


def reply_url(thread) -> str:
    return reverse("communities:reply", args=[thread.community.slug, thread.public_id])


def test_the_same_long_text_twice_is_held_for_a_moderator_with_the_reason(
    thread, writer, django_capture_on_commit_callbacks
):
    client = logged_in(writer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reply_url(thread), {"body": LONG})
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reply_url(thread), {"body": LONG.upper() + "!!"}, follow=True)

    first, second = Post.objects.filter(author=writer).order_by("position")
    assert first.status == ContentStatus.PUBLISHED
    assert second.status == ContentStatus.HELD
    assert second.hold_reasons == ["spam.duplicate"]
    assert swedish(reason_label("spam.duplicate")) in page.text
    assert Case.objects.filter(kind="post", object_id=second.pk, source="pipeline").exists()


def test_an_edit_is_not_a_repeat_and_short_texts_may_repeat(
    thread, writer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.reply_to_thread(author=writer, thread=thread, body=LONG, language="sv")
        thanks = [
            actions.reply_to_thread(author=writer, thread=thread, body="Tack!", language="sv")
            for _ in range(2)
        ]
    assert isinstance(post.content, Post)
    with django_capture_on_commit_callbacks(execute=True):
        edited = actions.edit_post(user=writer, post=post.content, body=LONG + " ")

    assert edited.content.status == ContentStatus.PUBLISHED
    assert all(r.content.status == ContentStatus.PUBLISHED for r in thanks)


@override_settings(PV_HOLD_FIRST_POSTS=2)
def test_the_first_posts_of_a_new_account_wait_for_a_moderator_when_the_site_says_so(
    thread, writer
):
    held = actions.reply_to_thread(author=writer, thread=thread, body="Hej alla!", language="sv")

    assert held.content.status == ContentStatus.HELD
    assert held.content.hold_reasons == ["review.first_posts"]
    writer.published_count = 2
    writer.save(update_fields=["published_count"])
    later = actions.reply_to_thread(author=writer, thread=thread, body="Hej igen!", language="sv")
    assert later.content.status == ContentStatus.PUBLISHED


def test_by_default_new_accounts_publish_at_once(thread, writer):
    result = actions.reply_to_thread(author=writer, thread=thread, body="Hej alla!", language="sv")

    assert result.content.status == ContentStatus.PUBLISHED


@override_settings(PV_POSTS_PER_HOUR=2)
def test_a_member_posting_too_fast_is_told_to_wait_and_keeps_the_text(thread, writer):
    client = logged_in(writer)
    for n in range(2):
        assert client.post(reply_url(thread), {"body": f"Svar nummer {n}"}).status_code == 302

    refused = client.post(reply_url(thread), {"body": "Det tredje svaret jag skrev"})

    assert refused.status_code == 429
    assert swedish(PostingTooFast.message) in refused.text
    assert "Det tredje svaret jag skrev" in refused.text
    assert Post.objects.filter(author=writer).count() == 2
    new_thread = reverse("communities:thread_create", args=[thread.community.slug])
    again = client.post(new_thread, {"title": "En ny fråga", "body": "Min text om detta"})
    assert again.status_code == 429
    assert "Min text om detta" in again.text
    assert swedish(PostingTooFast.message) in again.text


@override_settings(PV_POSTS_PER_HOUR=100, PV_POSTS_PER_HOUR_PER_IP=2)
def test_one_network_address_posting_too_fast_is_refused_whoever_posts(thread, writer):
    other = UserFactory.create()
    actions.join_community(user=other, community=thread.community)
    assert logged_in(writer).post(reply_url(thread), {"body": "Ett"}).status_code == 302
    assert logged_in(other).post(reply_url(thread), {"body": "Två"}).status_code == 302

    assert logged_in(other).post(reply_url(thread), {"body": "Tre"}).status_code == 429


@override_settings(PV_POSTS_PER_HOUR=1)
def test_the_api_answers_429_rate_limited_when_posting_too_fast(thread, writer):
    _token, raw = api_actions.create_token(user=writer, name="t", scope="read_write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = f"/api/v1/communities/{thread.community.slug}/threads/{thread.public_id}/posts"

    assert client.post(url, {"body": "Första"}, content_type="application/json").status_code == 201
    refused = client.post(url, {"body": "Andra"}, content_type="application/json")

    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limited"


def test_a_suspended_member_replying_is_told_why_and_keeps_the_text(thread, writer, monkeypatch):
    def sanctioned(user, community_id):
        raise MemberSanctioned

    monkeypatch.setattr("patientvoice.communities.actions.posts.check_may_post", sanctioned)

    refused = logged_in(writer).post(reply_url(thread), {"body": "Mitt svar som inte får gå"})

    assert refused.status_code == 403
    assert swedish(MemberSanctioned.message) in refused.text
    assert "Mitt svar som inte får gå" in refused.text


def test_a_suspended_member_editing_is_told_why_and_keeps_the_new_text(thread, writer, monkeypatch):
    post = actions.reply_to_thread(
        author=writer, thread=thread, body="Första texten", language="sv"
    )
    assert isinstance(post.content, Post)

    def sanctioned(user, community_id):
        raise MemberSanctioned

    monkeypatch.setattr("patientvoice.communities.actions.posts.check_may_post", sanctioned)
    url = reverse(
        "communities:post_edit",
        args=[thread.community.slug, thread.public_id, post.content.public_id],
    )

    refused = logged_in(writer).post(url, {"body": "Den nya texten som inte får gå"})

    assert refused.status_code == 403
    assert swedish(MemberSanctioned.message) in refused.text
    assert "Den nya texten som inte får gå" in refused.text
    post.content.refresh_from_db()
    assert post.content.body == "Första texten"
