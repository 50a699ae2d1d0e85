"""Text the pipeline holds (here: a phone number) is seen by its author, with the
reason, and by site staff; by nobody else, anywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import pgettext_lazy

from patientvoice.communities import actions
from patientvoice.communities.models import Post, Thread
from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see
from patientvoice.core.textchecks import reason_label

from .conftest import logged_in
from .factories import PHONE_BODY, CommunityFactory, PostFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


def swedish(text) -> str:
    with translation.override("sv"):
        return escape(str(text))


@pytest.fixture
def thread(member):
    return ThreadFactory.create(community=CommunityFactory.create(), author=member)


@pytest.fixture
def author(thread):
    """A member whose reply the pipeline will hold."""
    person = UserFactory.create()
    actions.join_community(user=person, community=thread.community)
    return person


def reply(client, thread, body):
    url = reverse("communities:reply", args=[thread.community.slug, thread.public_id])
    return client.post(url, {"body": body}, follow=True)


def test_reply_with_a_phone_number_is_held_and_the_author_is_told_why(thread, author):
    response = reply(logged_in(author), thread, PHONE_BODY)

    post = Post.objects.get(author=author)
    assert post.status == ContentStatus.HELD
    assert post.hold_reasons == ["personal_data.phone"]
    assert response.status_code == 200
    assert swedish(reason_label("personal_data.phone")) in response.text
    assert str(post.public_id) in response.text


def test_author_still_sees_the_reason_when_coming_back_to_the_thread(thread, author):
    post = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)

    response = logged_in(author).get(thread.get_absolute_url())

    assert str(post.public_id) in response.text
    assert swedish(reason_label("personal_data.phone")) in response.text


def test_held_reply_is_visible_to_its_author_and_to_staff_only(thread, author, member, staff):
    post = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)

    assert_can_see(author, post)
    assert_can_see(staff, post)
    assert_cannot_see(member, post)
    assert_cannot_see(None, post)


def test_other_readers_see_the_thread_without_the_held_reply(thread, author, member):
    post = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)

    response = logged_in(member).get(thread.get_absolute_url())

    assert response.status_code == 200
    assert str(post.public_id) not in response.text
    assert "070-123 45 67" not in response.text


def test_thread_whose_first_post_is_held_is_known_only_to_its_author_and_staff(
    member, outsider, staff
):
    community = CommunityFactory.create(members=[outsider])
    thread = ThreadFactory.create(community=community, author=member, body=PHONE_BODY)

    assert not thread.is_published
    assert_can_see(member, thread)
    assert_can_see(staff, thread)
    assert_cannot_see(outsider, thread)
    assert_cannot_see(None, thread)


def test_held_thread_is_not_counted_in_the_community(member):
    community = CommunityFactory.create()

    ThreadFactory.create(community=community, author=member, body=PHONE_BODY)

    community.refresh_from_db()
    assert community.thread_count == 0


def test_author_sees_a_waiting_badge_on_their_held_thread_in_the_list(member):
    thread = ThreadFactory.create(
        community=CommunityFactory.create(), author=member, body=PHONE_BODY
    )

    response = logged_in(member).get(thread.community.get_absolute_url())

    assert thread.title in response.text
    assert swedish(pgettext_lazy("post", "Waiting for a moderator")) in response.text


def test_held_post_in_the_api_shows_its_status_to_the_author(thread, author):
    post = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)
    url = reverse("api:list_posts", args=[thread.community.slug, thread.public_id])

    items = logged_in(author).get(url).json()["items"]

    assert {"public_id": str(post.public_id), "status": "held"}.items() <= next(
        item for item in items if item["public_id"] == str(post.public_id)
    ).items()


def test_held_thread_title_counts_as_checked_text(member):
    community = CommunityFactory.create(members=[member])

    logged_in(member).post(
        reverse("communities:thread_create", args=[community.slug]),
        {"title": "Ring mig 070-123 45 67", "body": "Hej, jag undrar en sak om sömn."},
    )

    assert Thread.objects.get(community=community).is_published is False
