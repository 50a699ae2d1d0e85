"""The communities API writes through the same actions and rules as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import Post, Reaction, Thread
from patientvoice.core.testing.sessions import log_in_with_mfa

from .conftest import logged_in
from .factories import CommunityFactory, PostFactory, ThreadFactory, UserFactory
from .test_query_counts import API_SIGNED_IN

pytestmark = pytest.mark.django_db


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, data, content_type="application/json")


def thread_api(thread: Thread, tail: str = "") -> str:
    return f"/api/v1/communities/{thread.community.slug}/threads/{thread.public_id}{tail}"


@pytest.fixture
def thread(member: User) -> Thread:
    return ThreadFactory.create(community=CommunityFactory.create(members=[member]), author=member)


def test_a_member_opens_a_thread_with_condition_tags(member):
    from patientvoice.directory.tests.factories import ConditionFactory

    community = CommunityFactory.create(members=[member])
    condition = ConditionFactory.create()

    response = send(
        logged_in(member),
        "post",
        f"/api/v1/communities/{community.slug}/threads",
        {
            "title": "Mornings with fatigue",
            "body": "How do you start?",
            "conditions": [condition.slug],
        },
    )

    assert response.status_code == 201
    thread = Thread.objects.get(public_id=response.json()["public_id"])
    assert list(thread.conditions.all()) == [condition]


def test_an_unknown_condition_is_422(member):
    community = CommunityFactory.create(members=[member])

    response = send(
        logged_in(member),
        "post",
        f"/api/v1/communities/{community.slug}/threads",
        {"title": "Mornings", "body": "Hello there", "conditions": ["no-such-thing"]},
    )

    assert response.status_code == 422


def test_posting_needs_the_current_guidelines_accepted(member, thread):
    guidelines = actions.publish_guidelines(actor=None, community=thread.community, body="Be kind")
    client = logged_in(member)

    refused = send(client, "post", thread_api(thread, "/posts"), {"body": "A reply"})
    accepted = send(
        client,
        "post",
        thread_api(thread, "/posts"),
        {"body": "A reply", "accept_guidelines": guidelines.version},
    )

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "guidelines_not_accepted"
    assert accepted.status_code == 201


def test_a_reply_to_a_post_through_the_api(member, thread):
    answered = PostFactory.create(thread=thread)

    response = send(
        logged_in(member),
        "post",
        thread_api(thread, "/posts"),
        {"body": "Answering you", "reply_to": str(answered.public_id)},
    )

    assert response.status_code == 201
    assert Post.objects.get(public_id=response.json()["public_id"]).reply_to == answered
    listed = logged_in(member).get(thread_api(thread, "/posts")).json()["items"]
    assert listed[-1]["reply_to"] == str(answered.public_id)


def test_a_locked_thread_answers_thread_locked(member, thread, staff):
    actions.lock_thread(actor=staff, thread=thread, locked=True)

    response = send(logged_in(member), "post", thread_api(thread, "/posts"), {"body": "Late"})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "thread_locked"


def test_editing_and_deleting_own_post_and_404_for_someone_elses(member, thread):
    own = PostFactory.create(thread=thread, author=member)
    other = PostFactory.create(thread=thread)
    client = logged_in(member)

    edited = send(client, "patch", thread_api(thread, f"/posts/{own.public_id}"), {"body": "New"})
    foreign = send(client, "patch", thread_api(thread, f"/posts/{other.public_id}"), {"body": "X!"})
    deleted = send(client, "delete", thread_api(thread, f"/posts/{own.public_id}"))

    assert (edited.status_code, foreign.status_code, deleted.status_code) == (200, 404, 204)
    own.refresh_from_db()
    assert own.status == "removed"


def test_reactions_are_idempotent_and_counted(member, thread):
    post = PostFactory.create(thread=thread)
    client = logged_in(member)
    url = thread_api(thread, f"/posts/{post.public_id}/reactions/hug")

    assert client.put(url).status_code == 204
    assert client.put(url).status_code == 204
    post.refresh_from_db()
    assert post.hug_count == 1
    assert client.delete(url).status_code == 204
    assert not Reaction.objects.exists()
    assert (
        client.put(thread_api(thread, f"/posts/{post.public_id}/reactions/angry")).status_code
        == 422
    )


def test_best_answer_through_the_api(member, thread):
    best = PostFactory.create(thread=thread)
    client = logged_in(member)

    marked = send(client, "put", thread_api(thread, "/best-answer"), {"post": str(best.public_id)})
    opening = thread.posts.get(position=1)
    refused = send(
        client, "put", thread_api(thread, "/best-answer"), {"post": str(opening.public_id)}
    )

    assert marked.status_code == 200
    assert marked.json()["best_answer"] == str(best.public_id)
    assert refused.status_code == 422
    assert client.delete(thread_api(thread, "/best-answer")).status_code == 204


def test_a_token_carries_no_moderation_powers(thread):
    moderator = UserFactory.create()
    log_in_with_mfa(Client(), moderator)
    actions.make_moderator(actor=None, community=thread.community, user=moderator)
    from patientvoice.api import actions as api_actions

    _token, raw = api_actions.create_token(user=moderator, name="t", scope="read_write")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = send(client, "patch", thread_api(thread), {"is_pinned": True})

    assert response.status_code == 403


def test_thread_list_sorts_and_puts_pinned_first(member, staff):
    community = CommunityFactory.create(members=[member])
    first = ThreadFactory.create(community=community)
    second = ThreadFactory.create(community=community)
    PostFactory.create(thread=first)
    actions.pin_thread(actor=staff, thread=second, pinned=True)
    url = f"/api/v1/communities/{community.slug}/threads"

    def ids(sort: str) -> list[str]:
        return [t["public_id"] for t in Client().get(url, {"sort": sort}).json()["items"]]

    assert ids("activity") == [str(second.public_id), str(first.public_id)]
    assert ids("unanswered") == [str(second.public_id)]
    assert ids("whatever") == ids("activity")


def test_private_community_join_request_through_the_api(outsider):
    community = CommunityFactory.create(private=True, join_questions="Why?")
    url = f"/api/v1/communities/{community.slug}/join-requests"

    without_answer = send(logged_in(outsider), "post", url, {})
    with_answer = send(logged_in(outsider), "post", url, {"answer": "Asthma"})

    assert without_answer.status_code == 422
    assert with_answer.status_code == 201
    assert with_answer.json()["member"] is False


def test_leaving_through_the_api(member, thread):
    response = logged_in(member).delete(f"/api/v1/communities/{thread.community.slug}/membership")

    assert response.status_code == 204
    assert not thread.community.memberships.filter(user=member).exists()


def test_api_post_list_with_replies_has_a_fixed_query_count(
    member, thread, django_assert_num_queries
):
    posts = [PostFactory.create(thread=thread) for _ in range(20)]
    for answered in posts:
        PostFactory.create(thread=thread, reply_to=answered)
    client = logged_in(member)
    client.get("/")

    # thread, count, posts with authors and answered posts
    with django_assert_num_queries(API_SIGNED_IN + 3):
        response = client.get(thread_api(thread, "/posts") + "?limit=100")

    assert len(response.json()["items"]) == 41
