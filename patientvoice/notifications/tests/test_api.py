"""/api/v1/notifications: the same rules as the pages, with the API's conventions."""

from __future__ import annotations

import pytest
from django.test import Client

from patientvoice.api import actions as api_actions
from patientvoice.notifications.models import Notification, Subscription

from .conftest import client_for
from .factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications"


def bearer(user, scope="read_write"):
    _, raw = api_actions.create_token(user=user, name="test", scope=scope, lifetime_days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def replies(thread, published):
    with published():
        return [PostFactory.create(thread=thread, author=UserFactory.create()) for _ in range(30)]


def test_the_list_has_the_persons_notifications_with_a_fixed_query_count(
    replies, anna, django_assert_num_queries
):
    headers = bearer(anna)
    # token (with its owner), last-used update; count, page with joins
    with django_assert_num_queries(4):
        response = Client().get(f"{BASE}?limit=25", **headers)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 30
    assert len(body["items"]) == 25
    assert body["items"][0]["kind"] == "reply"
    assert body["items"][0]["thread_title"] == replies[0].thread.title


def test_the_unread_count(replies, anna):
    response = client_for(anna).get(f"{BASE}/unread-count")

    assert response.json() == {"unread": 30}


def test_mark_one_read(replies, anna):
    notification = Notification.objects.filter(recipient=anna)[0]

    response = Client().post(f"{BASE}/{notification.public_id}/read", **bearer(anna))

    assert response.status_code == 200
    assert response.json()["read_at"] is not None


def test_mark_all_read(replies, anna):
    response = Client().post(f"{BASE}/read-all", **bearer(anna))

    assert response.json() == {"marked": 30}


def test_someone_elses_notification_is_a_404(replies, anna, bo):
    notification = Notification.objects.filter(recipient=anna)[0]

    response = Client().post(f"{BASE}/{notification.public_id}/read", **bearer(bo))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_read_token_cannot_mark_read(replies, anna):
    response = Client().post(f"{BASE}/read-all", **bearer(anna, scope="read"))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_visitors_get_401():
    response = Client().get(BASE)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_follow_and_unfollow_a_thread(thread, bo):
    url = f"{BASE}/subscriptions/threads/{thread.public_id}"

    assert Client().put(url, **bearer(bo)).json() == {"following": True}
    assert Subscription.objects.filter(user=bo, thread=thread).exists()
    assert Client().delete(url, **bearer(bo)).json() == {"following": False}
    assert not Subscription.objects.filter(user=bo, thread=thread).exists()


def test_follow_a_community(members_only, bo):
    response = Client().put(f"{BASE}/subscriptions/communities/{members_only.slug}", **bearer(bo))

    assert response.status_code == 200
    assert Subscription.objects.filter(user=bo, community=members_only).exists()


def test_an_outsider_cannot_follow_a_members_only_thread(thread, outsider):
    response = Client().put(f"{BASE}/subscriptions/threads/{thread.public_id}", **bearer(outsider))

    assert response.status_code == 404


def test_an_outsider_cannot_follow_a_members_only_community(members_only, outsider):
    response = Client().put(
        f"{BASE}/subscriptions/communities/{members_only.slug}", **bearer(outsider)
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_bad_slug_is_a_422(bo):
    response = Client().put(f"{BASE}/subscriptions/communities/a%00b", **bearer(bo))

    assert response.status_code == 422


def test_the_subscriptions_list_has_a_fixed_query_count(
    anna, members_only, published, django_assert_num_queries
):
    from patientvoice.notifications import actions

    from .factories import ThreadFactory

    with published():
        for _ in range(30):
            ThreadFactory.create(community=members_only, author=anna)
    actions.follow_community(user=anna, community=members_only)
    headers = bearer(anna)

    # token (with its owner), last-used update; count, page with joins
    with django_assert_num_queries(4):
        response = Client().get(f"{BASE}/subscriptions?limit=100", **headers)

    body = response.json()
    assert body["count"] == 31
    assert body["items"][0] == {
        "thread_id": None,
        "thread_title": None,
        "community": members_only.slug,
        "created_at": body["items"][0]["created_at"],
    }


def test_the_subscriptions_list_leaves_out_what_the_person_can_no_longer_read(
    anna, thread, members_only
):
    from patientvoice.communities import actions as community_actions

    community_actions.leave_community(user=anna, community=members_only)

    response = client_for(anna).get(f"{BASE}/subscriptions")

    assert response.json()["count"] == 0


def test_the_unread_count_leaves_out_posts_the_person_can_no_longer_read(replies, anna):
    from patientvoice.communities import actions as community_actions

    # Left without the recount having run yet (its task is queued on commit).
    community_actions.leave_community(user=anna, community=replies[0].community)

    response = client_for(anna).get(f"{BASE}/unread-count")

    assert response.json() == {"unread": 0}


def test_someone_who_left_can_still_stop_following_a_thread(thread, anna):
    from patientvoice.communities import actions as community_actions

    community_actions.leave_community(user=anna, community=thread.community)

    response = client_for(anna).delete(f"{BASE}/subscriptions/threads/{thread.public_id}")

    assert response.status_code == 200
    assert response.json() == {"following": False}
    assert not Subscription.objects.filter(user=anna, thread=thread).exists()


def test_someone_who_left_can_still_stop_following_a_community(members_only, anna):
    from patientvoice.communities import actions as community_actions
    from patientvoice.notifications import actions

    actions.follow_community(user=anna, community=members_only)
    community_actions.leave_community(user=anna, community=members_only)

    response = client_for(anna).delete(f"{BASE}/subscriptions/communities/{members_only.slug}")

    assert response.status_code == 200
    assert not Subscription.objects.filter(user=anna, community=members_only).exists()


def test_unfollowing_a_thread_one_cannot_see_and_never_followed_is_a_404(thread, outsider):
    response = client_for(outsider).delete(f"{BASE}/subscriptions/threads/{thread.public_id}")

    assert response.status_code == 404
