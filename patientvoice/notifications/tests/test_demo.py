from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from patientvoice.accounts.models import User
from patientvoice.notifications.models import Notification, NotificationKind, Subscription

pytestmark = pytest.mark.django_db


def test_demo_data_has_follows_and_a_mention_in_each_language_once():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    anna = User.objects.get(email__startswith="anna@")
    sam = User.objects.get(email__startswith="sam@")
    assert Notification.objects.filter(recipient=anna, kind=NotificationKind.MENTION).count() == 1
    assert Notification.objects.filter(recipient=sam, kind=NotificationKind.MENTION).count() == 1
    assert Subscription.objects.filter(community__isnull=False).count() == 3
    assert (
        anna.notification_state.unread_count == Notification.objects.filter(recipient=anna).count()
    )
