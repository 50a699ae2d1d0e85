"""Export and erasure cover follows, notifications and e-mail choices."""

from __future__ import annotations

import pytest

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.exporting import build_export
from patientvoice.notifications import actions
from patientvoice.notifications.models import Notification, NotificationState, Subscription

from .factories import PostFactory

pytestmark = pytest.mark.django_db


def test_the_export_holds_follows_notifications_and_the_email_choice(anna, bo, thread, published):
    actions.set_email_frequency(user=anna, frequency="off")
    with published():
        post = PostFactory.create(thread=thread, author=bo)

    section = build_export(anna)["notifications"]

    assert section["settings"][0]["email_frequency"] == "off"
    assert section["following"][0]["thread__title"] == thread.title
    assert section["notifications"][0]["post__public_id"] == str(post.public_id)
    assert section["notifications"][0]["kind"] == "reply"


def test_the_export_does_not_copy_other_peoples_words(anna, bo, thread, published):
    with published():
        PostFactory.create(thread=thread, author=bo, body="Bo's own private words")

    assert "Bo's own private words" not in str(build_export(anna)["notifications"])


@pytest.mark.parametrize("mode", ["anonymise", "remove"])
def test_erasure_forgets_the_persons_follows_notifications_and_settings(
    anna, bo, thread, published, mode
):
    with published():
        PostFactory.create(thread=thread, author=bo)
    anna_pk = anna.pk
    account_actions.request_erasure(user=anna, mode=mode)

    account_actions.erase_account(user=anna)

    assert not Subscription.objects.filter(user_id=anna_pk).exists()
    assert not Notification.objects.filter(recipient_id=anna_pk).exists()
    assert not NotificationState.objects.filter(user_id=anna_pk).exists()


def test_erasure_in_remove_mode_takes_others_notifications_about_the_posts(
    anna, bo, thread, published
):
    with published():
        PostFactory.create(thread=thread, author=bo, body="@anna_k hello")
    account_actions.request_erasure(user=bo, mode="remove")

    account_actions.erase_account(user=bo)

    assert not Notification.objects.filter(recipient=anna).exists()


def test_the_export_names_no_thread_the_person_can_no_longer_see(anna, bo, published):
    from patientvoice.communities import actions as community_actions

    from .factories import CommunityFactory, ThreadFactory

    private = CommunityFactory.create(private=True, members=[anna, bo])
    with published():
        thread = ThreadFactory.create(community=private, author=bo, title="Bo's private worries")
    actions.follow_thread(user=anna, thread=thread)
    actions.follow_community(user=anna, community=private)
    community_actions.leave_community(user=anna, community=private)

    following = build_export(anna)["notifications"]["following"]

    assert "Bo's private worries" not in str(following)
    assert private.name not in str(following)
    assert str(thread.public_id) in str(following)
