"""Notification e-mails: at once, daily or never; only what the person may still read;
one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Visibility
from patientvoice.notifications import actions
from patientvoice.notifications.models import EmailFrequency, Notification, NotificationState
from patientvoice.notifications.queries import digests_due
from patientvoice.notifications.tasks import send_digest
from patientvoice.notifications.tokens import unsubscribe_token

from .factories import PostFactory, UserFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(hour: int, day: int = 2) -> datetime:
    return datetime(2026, 12, day, hour, 5, tzinfo=STOCKHOLM)


def test_the_default_is_a_daily_summary(anna, bo, thread, published):
    with published():
        PostFactory.create(thread=thread, author=bo)

    assert NotificationState.objects.get(user=anna).email_frequency == EmailFrequency.DAILY
    assert mail.outbox == []


def test_immediately_sends_one_email_in_the_persons_language(anna, bo, thread, published):
    actions.set_email_frequency(user=bo, frequency=EmailFrequency.IMMEDIATELY)

    with published():
        PostFactory.create(thread=thread, author=anna, body="Good morning @bo_lind")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert isinstance(message, EmailMultiAlternatives)
    assert message.to == [bo.email]
    assert "mentioned you" in message.subject  # bo reads English
    assert thread.title in message.body
    assert "Good morning" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert thread.title in str(html)
    assert Notification.objects.get(recipient=bo).emailed_at is not None


def test_a_swedish_reader_gets_swedish(anna, bo, thread, published):
    actions.set_email_frequency(user=anna, frequency=EmailFrequency.IMMEDIATELY)

    with published():
        PostFactory.create(thread=thread, author=bo, body="Hello @anna_k")

    body = mail.outbox[0].body
    assert "/sv/notifications/" in body
    assert "/en/" not in body


def test_every_email_has_one_click_unsubscribe_headers(anna, bo, thread, published):
    actions.set_email_frequency(user=bo, frequency=EmailFrequency.IMMEDIATELY)

    with published():
        PostFactory.create(thread=thread, author=anna, body="@bo_lind")

    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<http")
    assert "/en/notifications/unsubscribe/" in headers["List-Unsubscribe"]


def test_off_sends_nothing(anna, bo, thread, published):
    actions.set_email_frequency(user=bo, frequency=EmailFrequency.OFF)

    with published():
        PostFactory.create(thread=thread, author=anna, body="@bo_lind")
    call_command("send_digests", verbosity=0)

    assert mail.outbox == []


def test_the_daily_summary_holds_everything_unread_in_one_email(anna, bo, thread, published):
    with published():
        PostFactory.create(thread=thread, author=bo, body="First reply")
        PostFactory.create(thread=thread, author=bo, body="Second reply")

    send_digest.enqueue(user_id=anna.pk)

    assert len(mail.outbox) == 1
    assert "First reply" in mail.outbox[0].body
    assert "Second reply" in mail.outbox[0].body
    assert "2" in mail.outbox[0].subject


def test_the_summary_drops_content_no_longer_visible(anna, bo, thread, published):
    with published():
        gone = PostFactory.create(thread=thread, author=bo, body="Deleted words here")
        PostFactory.create(thread=thread, author=bo, body="Still here")
    community_actions.delete_post(user=bo, post=gone)

    send_digest.enqueue(user_id=anna.pk)

    assert "Deleted words here" not in mail.outbox[0].body
    assert "Still here" in mail.outbox[0].body


def test_the_email_drops_content_no_longer_visible_after_leaving(anna, bo, thread, published):
    with published():
        PostFactory.create(thread=thread, author=bo, body="Members-only words")
    community_actions.leave_community(user=anna, community=thread.community)

    send_digest.enqueue(user_id=anna.pk)

    assert mail.outbox == []
    # Dropped for good: rejoining later does not send yesterday's news.
    assert Notification.objects.get(recipient=anna).emailed_at is not None


def test_nothing_is_sent_about_a_community_made_private_after_a_public_reply(anna, bo, published):
    from .factories import CommunityFactory, ThreadFactory

    community = CommunityFactory.create(members=[bo])
    with published():
        public_thread = ThreadFactory.create(community=community, author=anna)
        PostFactory.create(thread=public_thread, author=bo, body="Was public once")
    community_actions.leave_community(user=anna, community=community)
    type(community).objects.filter(pk=community.pk).update(visibility=Visibility.PRIVATE)

    send_digest.enqueue(user_id=anna.pk)

    assert mail.outbox == []


def test_an_immediate_email_skips_what_was_read_meanwhile(anna, bo, thread, published):
    from patientvoice.notifications.tasks import send_notification_email

    with published():
        PostFactory.create(thread=thread, author=bo)
    actions.set_email_frequency(user=anna, frequency=EmailFrequency.IMMEDIATELY)
    notification = Notification.objects.get(recipient=anna)
    actions.mark_read(user=anna, notification=notification)

    send_notification_email.enqueue(user_id=anna.pk, notification_ids=[notification.pk])

    assert mail.outbox == []


def test_digests_are_due_once_a_day_from_eight(anna, bo, thread, published):
    with published():
        PostFactory.create(thread=thread, author=bo)

    assert digests_due(at(7)) == []
    assert digests_due(at(8)) == [anna.pk]
    NotificationState.objects.filter(user=anna).update(last_digest_at=at(8))
    assert digests_due(at(20)) == []
    assert digests_due(at(8, day=3)) == [anna.pk]


def test_nothing_is_due_when_everything_was_read(anna, bo, thread, published):
    with published():
        PostFactory.create(thread=thread, author=bo)
    actions.mark_all_read(user=anna)

    assert digests_due(at(9)) == []


def test_the_command_queues_the_due_summaries(anna, bo, thread, published, monkeypatch):
    with published():
        PostFactory.create(thread=thread, author=bo)
    monkeypatch.setattr(timezone, "now", lambda: at(9))

    call_command("send_digests", verbosity=0)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [anna.email]
    assert NotificationState.objects.get(user=anna).last_digest_at is not None
    assert digests_due(at(10)) == []


# --- unsubscribe ----------------------------------------------------------------------


def test_one_click_post_without_login_or_csrf_turns_emails_off(anna):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(anna)]),
        {"List-Unsubscribe": "One-Click"},
    )

    assert response.status_code == 200
    assert NotificationState.objects.get(user=anna).email_frequency == EmailFrequency.OFF


def test_get_only_asks_for_confirmation(anna):
    actions.set_email_frequency(user=anna, frequency=EmailFrequency.DAILY)
    before = NotificationState.objects.get(user=anna)
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(anna)])

    response = Client().get(url)

    assert response.status_code == 200
    assert f'<form method="post" action="{url}">' in response.content.decode()
    after = NotificationState.objects.get(user=anna)
    assert after.email_frequency == EmailFrequency.DAILY
    assert after.updated_at == before.updated_at


def test_a_person_whose_erasure_is_pending_still_reaches_the_unsubscribe_page(anna, anna_client):
    from patientvoice.accounts.models import User

    User.objects.filter(pk=anna.pk).update(
        erasure_requested_at=timezone.now(), erasure_mode="anonymise"
    )

    response = anna_client.get(reverse("notifications:unsubscribe", args=[unsubscribe_token(anna)]))

    assert response.status_code == 200
    assert "notifications/unsubscribe.html" in [t.name for t in response.templates]


def test_a_link_from_before_turning_emails_on_again_no_longer_works(anna):
    old = unsubscribe_token(anna)
    actions.set_email_frequency(user=anna, frequency=EmailFrequency.OFF)
    actions.set_email_frequency(user=anna, frequency=EmailFrequency.DAILY)

    response = Client().post(reverse("notifications:unsubscribe", args=[old]))

    assert response.status_code == 400
    assert NotificationState.objects.get(user=anna).email_frequency == EmailFrequency.DAILY
    assert (
        Client()
        .post(reverse("notifications:unsubscribe", args=[unsubscribe_token(anna)]))
        .status_code
        == 200
    )


def test_a_link_sent_to_an_old_address_no_longer_works(anna):
    from allauth.account.models import EmailAddress

    old = unsubscribe_token(anna)
    EmailAddress.objects.filter(user=anna).update(email="anna.new@example.org")

    response = Client().post(reverse("notifications:unsubscribe", args=[old]))

    assert response.status_code == 400
    assert not NotificationState.objects.filter(user=anna, email_frequency="off").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_a_400(anna, bo, method):
    token = unsubscribe_token(anna)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = getattr(Client(), method)(reverse("notifications:unsubscribe", args=[tampered]))

    assert response.status_code == 400
    assert not NotificationState.objects.filter(email_frequency="off").exists()


def test_a_token_for_another_purpose_is_a_400(anna):
    from django.core import signing

    token = signing.dumps({"u": str(anna.public_id)}, salt="something.else")

    response = Client().post(reverse("notifications:unsubscribe", args=[token]))

    assert response.status_code == 400


def test_a_token_for_an_erased_person_is_a_400(anna):
    token = unsubscribe_token(anna)
    anna.delete()

    assert Client().post(reverse("notifications:unsubscribe", args=[token])).status_code == 400


# --- preferences ----------------------------------------------------------------------


def test_the_preference_page_saves_the_choice(anna, anna_client):
    response = anna_client.post(
        reverse("notifications:preferences"), {"email_frequency": "immediately"}
    )

    assert response.status_code == 302
    assert NotificationState.objects.get(user=anna).email_frequency == "immediately"


def test_an_unknown_choice_is_a_400_that_keeps_the_page(anna_client):
    response = anna_client.post(reverse("notifications:preferences"), {"email_frequency": "x"})

    assert response.status_code == 400
    assert 'name="email_frequency"' in response.content.decode()


def test_the_preference_page_shows_the_current_choice(anna, anna_client):
    response = anna_client.get(reverse("notifications:preferences"))

    assert response.status_code == 200
    assert response.context["form"].initial["email_frequency"] == "daily"


def test_a_summary_that_went_out_is_not_sent_again(anna, bo, thread, published):
    with published():
        PostFactory.create(thread=thread, author=bo)
    send_digest.enqueue(user_id=anna.pk)
    NotificationState.objects.filter(user=anna).update(
        last_digest_at=timezone.now() - timedelta(days=2)
    )

    send_digest.enqueue(user_id=anna.pk)

    assert len(mail.outbox) == 1


# --- who gets e-mail, and only once ----------------------------------------------------


def test_an_account_without_a_verified_address_gets_no_email(anna, bo, thread, published):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=bo).update(verified=False)
    actions.set_email_frequency(user=bo, frequency=EmailFrequency.IMMEDIATELY)

    with published():
        PostFactory.create(thread=thread, author=anna, body="Good morning @bo_lind")

    assert mail.outbox == []
    assert Notification.objects.filter(recipient=bo).count() == 1  # in-app still


def test_email_goes_to_the_verified_primary_address(anna, bo, thread, published):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=bo).update(primary=False)
    EmailAddress.objects.create(user=bo, email="bo.new@example.org", verified=True, primary=True)
    actions.set_email_frequency(user=bo, frequency=EmailFrequency.IMMEDIATELY)

    with published():
        PostFactory.create(thread=thread, author=anna, body="Good morning @bo_lind")

    assert [m.to for m in mail.outbox] == [["bo.new@example.org"]]


def test_no_summary_is_due_for_an_unverified_account(anna, bo, thread, published):
    from allauth.account.models import EmailAddress

    with published():
        PostFactory.create(thread=thread, author=bo)
    EmailAddress.objects.filter(user=anna).update(verified=False)

    assert digests_due(at(9)) == []


def test_an_account_whose_erasure_is_pending_gets_no_email(anna, bo, thread, published):
    from patientvoice.accounts.models import User

    with published():
        PostFactory.create(thread=thread, author=bo)
    User.objects.filter(pk=anna.pk).update(
        erasure_requested_at=timezone.now(), erasure_mode="anonymise"
    )

    send_digest.enqueue(user_id=anna.pk)

    assert digests_due(at(9)) == []
    assert mail.outbox == []


def test_an_email_task_run_twice_sends_once(anna, bo, thread, published):
    from patientvoice.notifications.tasks import send_notification_email

    actions.set_email_frequency(user=anna, frequency=EmailFrequency.IMMEDIATELY)
    with published():
        PostFactory.create(thread=thread, author=bo)
    notification = Notification.objects.get(recipient=anna)

    send_notification_email.enqueue(user_id=anna.pk, notification_ids=[notification.pk])

    assert len(mail.outbox) == 1


def test_a_claimed_notification_is_not_sent_by_another_run(anna, bo, thread, published):
    from patientvoice.notifications import emails

    with published():
        PostFactory.create(thread=thread, author=bo)
    ids = actions.digest_candidates(anna)
    # Another worker claimed it between this run's reads and its claim.
    Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())

    sent = emails.send_notification_email(anna, ids, digest=True)

    assert sent is False
    assert mail.outbox == []


def test_two_runs_of_the_command_queue_one_summary(anna, bo, thread, published, monkeypatch):
    queued = []
    with published():
        PostFactory.create(thread=thread, author=bo)
    monkeypatch.setattr(timezone, "now", lambda: at(9))
    monkeypatch.setattr(
        "patientvoice.notifications.management.commands.send_digests.send_digest",
        SimpleNamespace(enqueue=lambda **kwargs: queued.append(kwargs)),
    )

    call_command("send_digests", verbosity=0)  # the worker has not run yet
    call_command("send_digests", verbosity=0)

    assert queued == [{"user_id": anna.pk}]


def test_a_long_summary_shows_fifty_and_says_how_many_more(anna, thread, published):
    from patientvoice.accounts.models import User
    from patientvoice.notifications.emails import DIGEST_LINES

    User.objects.filter(pk=anna.pk).update(preferred_language="en")
    writers = [UserFactory.create() for _ in range(3)]
    for writer in writers:
        community_actions.join_community(user=writer, community=thread.community)
    with published():
        for i in range(DIGEST_LINES + 5):
            PostFactory.create(thread=thread, author=writers[i % 3])

    send_digest.enqueue(user_id=anna.pk)

    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert body.count("#post-") == DIGEST_LINES
    assert "And 5 more" in body
    assert "55 new notifications" in mail.outbox[0].subject
    assert not Notification.objects.filter(recipient=anna, emailed_at__isnull=True).exists()
    send_digest.enqueue(user_id=anna.pk)
    assert len(mail.outbox) == 1
