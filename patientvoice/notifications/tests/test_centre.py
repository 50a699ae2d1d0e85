"""The notification centre, marking read, and the unread count in the header."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.communities import actions as community_actions
from patientvoice.notifications import actions
from patientvoice.notifications.models import Notification
from patientvoice.notifications.queries import unread_count
from patientvoice.notifications.views import PER_PAGE

from .conftest import client_for
from .factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def replies(thread, bo, published):
    with published():
        return [PostFactory.create(thread=thread, author=bo) for _ in range(3)]


def test_the_centre_lists_the_persons_notifications(replies, thread, anna_client):
    response = anna_client.get(reverse("notifications:list"))

    assert response.status_code == 200
    assert response.content.decode().count(thread.title) == 3
    assert response.context["unread"] == 3


def test_the_header_shows_the_unread_count(replies, anna_client):
    response = anna_client.get(reverse("home"))

    assert 'data-testid="notification-count">3<' in response.content.decode()


def test_the_header_count_costs_no_query_once_cached(replies, anna, django_assert_num_queries):
    unread_count(anna)

    with django_assert_num_queries(0):
        assert unread_count(anna) == 3


def test_the_header_count_costs_one_query_when_the_cache_is_cold(
    replies, anna, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert unread_count(anna) == 3


def test_a_new_notification_shows_in_the_header_at_once(thread, anna, bo, published):
    assert unread_count(anna) == 0  # cached

    with published():
        PostFactory.create(thread=thread, author=bo)

    assert unread_count(anna) == 1


def test_opening_a_notification_marks_it_read_and_lands_on_the_post(replies, anna, anna_client):
    notification = Notification.objects.filter(recipient=anna)[0]

    response = anna_client.post(reverse("notifications:open", args=[notification.public_id]))

    assert response.status_code == 303
    assert response["Location"].endswith(f"#post-{notification.post.public_id}")
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_count(anna) == 2


def test_following_the_open_link_by_get_lands_on_the_post_and_changes_nothing(
    replies, anna, anna_client
):
    notification = Notification.objects.filter(recipient=anna)[0]

    response = anna_client.get(reverse("notifications:open", args=[notification.public_id]))

    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{notification.post.public_id}")
    notification.refresh_from_db()
    assert notification.read_at is None
    assert unread_count(anna) == 3


def test_the_centre_opens_a_notification_with_a_post_form(replies, anna, anna_client):
    notification = Notification.objects.filter(recipient=anna)[0]
    action = reverse("notifications:open", args=[notification.public_id])

    html = anna_client.get(reverse("notifications:list")).content.decode()

    assert f'<form method="post" action="{action}" class="notification-open">' in html
    assert f'href="{action}"' not in html


def test_mark_read_with_htmx_renders_the_fragment_from_a_template(replies, anna, anna_client):
    notification = Notification.objects.filter(recipient=anna)[0]

    response = anna_client.post(
        reverse("notifications:mark_read", args=[notification.public_id]), HTTP_HX_REQUEST="true"
    )

    assert "notifications/mark_read_done.html" in [t.name for t in response.templates]


def test_mark_read_lowers_the_count(replies, anna, anna_client):
    notification = Notification.objects.filter(recipient=anna)[0]

    response = anna_client.post(reverse("notifications:mark_read", args=[notification.public_id]))

    assert response.status_code == 302
    assert unread_count(anna) == 2


def test_mark_read_with_htmx_answers_a_fragment(replies, anna, anna_client):
    notification = Notification.objects.filter(recipient=anna)[0]

    response = anna_client.post(
        reverse("notifications:mark_read", args=[notification.public_id]), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "notification-read" in response.content.decode()


def test_mark_all_read_sets_the_count_to_zero(replies, anna, anna_client):
    anna_client.post(reverse("notifications:mark_all_read"))

    assert unread_count(anna) == 0
    assert not Notification.objects.filter(recipient=anna, read_at__isnull=True).exists()


def test_nobody_marks_someone_elses_notification_read(replies, anna, bo):
    notification = Notification.objects.filter(recipient=anna)[0]

    response = client_for(bo).post(
        reverse("notifications:mark_read", args=[notification.public_id])
    )

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_notifications_about_a_community_the_person_left_disappear(
    replies, anna, anna_client, published
):
    community_actions.leave_community(user=anna, community=replies[0].community)

    with published():
        response = anna_client.get(reverse("notifications:list"))

    assert response.context["unread"] == 0
    assert replies[0].thread.title not in response.content.decode()
    assert unread_count(anna) == 0  # the centre set the stored counter right


def test_a_notification_about_a_deleted_post_disappears(replies, bo, anna, anna_client):
    community_actions.delete_post(user=bo, post=replies[0])

    response = anna_client.get(reverse("notifications:list"))

    assert response.context["unread"] == 2


def test_the_centre_has_a_fixed_query_count(thread, anna, published, django_assert_num_queries):
    with published():
        for _ in range(PER_PAGE + 5):
            PostFactory.create(thread=thread, author=UserFactory.create())
    client = client_for(anna)
    client.get(reverse("home"))

    # session, user; count, page with authors, threads and communities; the visible
    # unread count; the unread moderation decisions listed first; the other apps'
    # unread notices, one query for all five; the header's cached counts (warm)
    with django_assert_num_queries(2 + 5):
        response = client.get(reverse("notifications:list"))

    assert len(response.context["page"].object_list) == PER_PAGE


def test_visitors_are_sent_to_log_in():
    response = Client().get(reverse("notifications:list"))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_reconcile_writes_nothing_when_the_count_is_right(replies, anna):
    assert actions.reconcile_unread_count(user=anna) == 0
    assert unread_count(anna) == 3


# --- the counts never count what the person can no longer read --------------------------


def test_leaving_a_community_lowers_the_header_count_without_visiting_the_centre(
    replies, anna, published
):
    assert unread_count(anna) == 3

    with published():
        community_actions.leave_community(user=anna, community=replies[0].community)

    assert unread_count(anna) == 0


def test_deleting_a_post_lowers_the_header_count_of_the_people_told(replies, anna, bo, published):
    with published():
        community_actions.delete_post(user=bo, post=replies[0])

    assert unread_count(anna) == 2


def test_a_post_held_after_an_edit_lowers_the_header_count(replies, anna, bo, published):
    from .factories import PHONE_BODY

    with published():
        community_actions.edit_post(user=bo, post=replies[0], body=PHONE_BODY)

    assert unread_count(anna) == 2


def test_the_recount_counts_inside_its_update_so_no_increment_is_lost(replies, anna):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from patientvoice.notifications.models import NotificationState

    NotificationState.objects.filter(user=anna).update(unread_count=7)

    with CaptureQueriesContext(connection) as queries:
        actions.reconcile_unread_count(user=anna)

    # No number counted earlier is written back: the UPDATE counts for itself.
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert "COUNT(" in updates[0]
    assert NotificationState.objects.get(user=anna).unread_count == 3
