"""Follow buttons on thread and community pages, and what they cost the hot page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patientvoice.notifications import actions
from patientvoice.notifications.models import Subscription
from patientvoice.notifications.queries import is_following

from .conftest import client_for
from .factories import CommunityFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def follow_data(target, *, kind="thread", follow="1", next_url=""):
    return {"kind": kind, "target": str(target.public_id), "follow": follow, "next": next_url}


def test_a_member_follows_a_thread_without_javascript(thread, bo):
    client = client_for(bo)

    response = client.post(
        reverse("notifications:follow"), follow_data(thread, next_url=thread.get_absolute_url())
    )

    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert Subscription.objects.filter(user=bo, thread=thread).exists()


def test_unfollowing_a_thread_stops_the_follow(thread, anna, anna_client):
    anna_client.post(reverse("notifications:follow"), follow_data(thread, follow="0"))

    assert not Subscription.objects.filter(user=anna, thread=thread).exists()


def test_with_htmx_the_button_swaps_itself_for_its_new_state(thread, bo):
    response = client_for(bo).post(
        reverse("notifications:follow"), follow_data(thread), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'hx-post="/sv/notifications/follow/"' in body
    assert 'name="follow" value="0"' in body


def test_a_member_follows_a_community(members_only, bo):
    client_for(bo).post(
        reverse("notifications:follow"), follow_data(members_only, kind="community")
    )

    assert Subscription.objects.filter(user=bo, community=members_only).exists()


def test_an_outsider_cannot_follow_a_members_only_thread(thread, outsider):
    response = client_for(outsider).post(reverse("notifications:follow"), follow_data(thread))

    assert response.status_code == 404
    assert not Subscription.objects.filter(user=outsider).exists()


def test_an_outsider_cannot_follow_a_members_only_community(members_only, outsider):
    response = client_for(outsider).post(
        reverse("notifications:follow"), follow_data(members_only, kind="community")
    )

    assert response.status_code == 403


def test_an_outsider_cannot_learn_a_private_community_exists(outsider, anna):
    private = CommunityFactory.create(private=True, members=[anna])

    response = client_for(outsider).post(
        reverse("notifications:follow"), follow_data(private, kind="community")
    )

    assert response.status_code == 404


def test_a_visitor_is_sent_to_log_in(thread):
    before = Subscription.objects.count()

    response = Client().post(reverse("notifications:follow"), follow_data(thread))

    assert response.status_code == 302
    assert Subscription.objects.count() == before


def test_a_bad_follow_form_is_a_400(anna_client):
    response = anna_client.post(reverse("notifications:follow"), {"kind": "spaceship"})

    assert response.status_code == 400


def test_a_redirect_elsewhere_is_refused(thread, bo):
    response = client_for(bo).post(
        reverse("notifications:follow"), follow_data(thread, next_url="https://evil.example/")
    )

    assert response["Location"] == thread.get_absolute_url()


def test_the_thread_page_shows_whether_the_reader_follows(thread, anna_client, bo):
    following = anna_client.get(thread.get_absolute_url()).content.decode()
    not_following = client_for(bo).get(thread.get_absolute_url()).content.decode()

    assert 'name="follow" value="0"' in following
    assert 'name="follow" value="1"' in not_following
    assert 'action="/sv/notifications/follow/"' in following


def test_visitors_see_no_follow_button():
    public_thread = ThreadFactory.create()

    body = Client().get(public_thread.get_absolute_url()).content.decode()

    assert reverse("notifications:follow") not in body


def test_the_follow_state_costs_the_thread_page_no_query_once_cached(
    thread, anna, django_assert_num_queries
):
    is_following(anna, thread)

    with django_assert_num_queries(0):
        assert is_following(anna, thread) is True


def test_the_follow_state_costs_at_most_one_query_when_cold(
    thread, anna, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert is_following(anna, thread) is True


def test_the_cached_follow_state_changes_with_the_follow(thread, bo, published):
    assert is_following(bo, thread) is False

    with published():
        actions.follow_thread(user=bo, thread=thread)

    assert is_following(bo, thread) is True


def test_the_thread_page_costs_the_same_with_the_follow_button_when_warm(thread, anna_client):
    anna_client.get(thread.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        anna_client.get(thread.get_absolute_url())

    # The follow state and the header's number come with the thread's own row.
    own_queries = [
        q for q in queries.captured_queries if q["sql"].split(" FROM ")[1].startswith('"notif')
    ]
    assert not own_queries


def test_someone_who_left_can_still_stop_following_with_the_button(thread, anna):
    from patientvoice.communities import actions as community_actions

    community_actions.leave_community(user=anna, community=thread.community)

    response = client_for(anna).post(
        reverse("notifications:follow"), follow_data(thread, follow="0")
    )

    assert response.status_code == 302
    assert not Subscription.objects.filter(user=anna, thread=thread).exists()


def test_an_outsider_cannot_stop_a_follow_they_do_not_have(thread, outsider):
    response = client_for(outsider).post(
        reverse("notifications:follow"), follow_data(thread, follow="0")
    )

    assert response.status_code == 404
