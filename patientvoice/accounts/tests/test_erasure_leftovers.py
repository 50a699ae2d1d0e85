"""After erasure, nothing personal is left behind in places people forget."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from patientvoice.accounts import actions
from patientvoice.accounts.models import ErasureMode, User
from patientvoice.communities.models import Post, Thread
from patientvoice.communities.tests.factories import (
    PHONE_BODY,
    CommunityFactory,
    PostFactory,
    ThreadFactory,
)
from patientvoice.core import audit
from patientvoice.core.models import AuditEntry

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def erase(user: User, mode: str) -> None:
    User.objects.filter(pk=user.pk).update(erasure_mode=mode, erasure_requested_at=timezone.now())
    user.refresh_from_db()
    actions.erase_account(user=user)


@pytest.mark.parametrize("mode", [ErasureMode.ANONYMISE, ErasureMode.REMOVE])
def test_held_posts_are_deleted_in_either_mode(mode: str) -> None:
    person = UserFactory.create()
    thread = ThreadFactory.create()
    held = PostFactory.create(thread=thread, author=person, body=PHONE_BODY)

    erase(person, mode)

    assert not Post.objects.filter(pk=held.pk).exists()


def test_thread_opened_by_the_person_but_answered_keeps_no_title_of_theirs() -> None:
    person, other = UserFactory.create(), UserFactory.create()
    community = CommunityFactory.create(language="en")
    thread = ThreadFactory.create(community=community, author=person, title="My story of Anna S")
    PostFactory.create(thread=thread, author=other, body="Thank you for sharing this")

    erase(person, ErasureMode.REMOVE)

    thread.refresh_from_db()
    assert "Anna" not in thread.title
    assert thread.title == "Title removed by its author"
    assert Post.objects.filter(thread=thread, author=other).exists()


def test_thread_title_stays_when_posts_are_kept_as_former_member() -> None:
    person, other = UserFactory.create(), UserFactory.create()
    thread = ThreadFactory.create(author=person, title="Sleeping with pain")
    PostFactory.create(thread=thread, author=other)

    erase(person, ErasureMode.ANONYMISE)

    thread.refresh_from_db()
    assert thread.title == "Sleeping with pain"
    assert thread.author is None
    assert Thread.objects.filter(pk=thread.pk).exists()


def test_audit_entries_keep_no_handle_id_or_address_of_the_person() -> None:
    person = UserFactory.create(handle="anna_erased")
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.44")
    audit.record(actor=person, action="accounts.mfa_added", target=person, request=request)
    public_id = str(person.public_id)

    erase(person, ErasureMode.ANONYMISE)

    for entry in AuditEntry.objects.exclude(action="accounts.erased"):
        assert "anna_erased" not in (entry.actor_label + entry.target_label)
        assert entry.target_id != public_id
        assert entry.ip_address is None


def test_admin_history_about_the_person_shows_a_pseudonym() -> None:
    person, staff = UserFactory.create(handle="anna_admin"), UserFactory.create(is_staff=True)
    LogEntry.objects.log_actions(
        user_id=staff.pk, queryset=[person], action_flag=CHANGE, change_message="fixed"
    )

    erase(person, ErasureMode.ANONYMISE)

    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(User))
    assert "anna_admin" not in entry.object_repr
    assert entry.object_repr.startswith("former-member-")


def test_sent_e_mails_to_the_person_are_forgotten(settings: Any) -> None:
    person = UserFactory.create(email="anna.erased@example.org")
    other = UserFactory.create(email="someone.else@example.org")
    for address in (person.email, other.email):
        DBTaskResult.objects.create(
            status="SUCCESSFUL", queue_name="email", backend_name="default",
            task_path="patientvoice.core.tasks.send_email", run_after="9999-01-01T00:00:00Z",
            finished_at="2026-01-01T00:00:00Z",
            args_kwargs={"args": [], "kwargs": {"to": [address], "subject": "Hi"}},
        )  # fmt: skip

    erase(person, ErasureMode.ANONYMISE)

    remaining = [str(r.args_kwargs) for r in DBTaskResult.objects.all()]
    assert len(remaining) == 1
    assert "someone.else@example.org" in remaining[0]
