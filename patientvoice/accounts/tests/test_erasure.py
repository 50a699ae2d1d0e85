"""Erasure (GDPR art. 17): a grace period, then the person is forgotten."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.tasks import task_backends  # type: ignore[import-untyped,unused-ignore]
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from patientvoice.accounts import actions
from patientvoice.accounts.handles import validate_handle_available
from patientvoice.accounts.models import User
from patientvoice.communities.models import Post, Thread
from patientvoice.core import audit
from patientvoice.core.models import AuditEntry
from patientvoice.core.tests.factories import ThreadFactory, publish_post

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

GRACE_DAYS = 7


@pytest.fixture(autouse=True)
def _grace(settings: Any) -> None:
    settings.PV_ERASURE_GRACE_DAYS = GRACE_DAYS


@pytest.fixture
def queued(settings: Any) -> list[Any]:
    """Tasks are kept instead of run, so a test sees what was scheduled and when."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "email"],
        }
    }
    backend: Any = task_backends["default"]
    results: list[Any] = backend.results
    return results


def _requested_days_ago(user: User, days: int, mode: str = "anonymise") -> User:
    User.objects.filter(pk=user.pk).update(
        erasure_requested_at=timezone.now() - timedelta(days=days), erasure_mode=mode
    )
    user.refresh_from_db()
    return user


def test_request_erasure_schedules_the_erasure_after_the_grace_period(
    queued: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory.create()

    with django_capture_on_commit_callbacks(execute=True):
        actions.request_erasure(user=user, mode="anonymise")

    user.refresh_from_db()
    assert user.erasure_pending
    assert [r.task.name for r in queued] == ["erase_account_task"]
    assert queued[0].args == [user.pk]
    assert user.erasure_requested_at is not None
    assert queued[0].task.run_after == user.erasure_requested_at + timedelta(days=GRACE_DAYS)
    assert AuditEntry.objects.filter(action="accounts.erasure_requested").count() == 1


def test_request_erasure_refuses_an_unknown_mode() -> None:
    user = UserFactory.create()

    with pytest.raises(ValueError, match="everything"):
        actions.request_erasure(user=user, mode="everything")

    user.refresh_from_db()
    assert not user.erasure_pending


def test_erasure_task_does_nothing_before_it_is_due(queued: list[Any]) -> None:
    user = _requested_days_ago(UserFactory.create(), GRACE_DAYS - 1)

    actions.erase_account_task.call(user.pk)

    assert User.objects.filter(pk=user.pk).exists()
    assert [r.args for r in queued] == [[user.pk]]  # tries again when it is due


def test_erasure_task_does_nothing_when_the_person_cancelled() -> None:
    user = _requested_days_ago(UserFactory.create(), GRACE_DAYS + 1)
    actions.cancel_erasure(user=user)

    actions.erase_account_task.call(user.pk)

    assert User.objects.filter(pk=user.pk).exists()


def test_erasure_task_erases_the_person_once_due() -> None:
    user = _requested_days_ago(UserFactory.create(), GRACE_DAYS)

    actions.erase_account_task.call(user.pk)

    assert not User.objects.filter(pk=user.pk).exists()


def test_erasure_task_for_someone_already_gone_does_nothing() -> None:
    actions.erase_account_task.call(987654)

    assert not AuditEntry.objects.filter(action="accounts.erased").exists()


def test_anonymise_mode_keeps_posts_without_an_author() -> None:
    user = UserFactory.create()
    thread = ThreadFactory.create()
    post = publish_post(thread=thread, author=user, body="Mitt tips").content
    user = _requested_days_ago(user, GRACE_DAYS, mode="anonymise")

    actions.erase_account(user=user)

    post.refresh_from_db()
    assert post.author is None
    assert post.body == "Mitt tips"


def test_remove_mode_deletes_the_persons_posts_and_keeps_others() -> None:
    user, other = UserFactory.create(), UserFactory.create()
    thread = ThreadFactory.create()
    publish_post(thread=thread, author=user, body="mine")
    publish_post(thread=thread, author=other, body="theirs")
    user = _requested_days_ago(user, GRACE_DAYS, mode="remove")

    actions.erase_account(user=user)

    assert list(Post.objects.values_list("body", flat=True)) == ["theirs"]


def test_remove_mode_deletes_threads_nobody_else_answered() -> None:
    user = UserFactory.create()
    thread = ThreadFactory.create(author=user)
    publish_post(thread=thread, author=user, body="alone")
    user = _requested_days_ago(user, GRACE_DAYS, mode="remove")

    actions.erase_account(user=user)

    assert not Thread.objects.filter(pk=thread.pk).exists()


def test_audit_entries_by_the_person_are_pseudonymised() -> None:
    user = UserFactory.create(handle="Anna_R")
    audit.record(actor=user, action="communities.joined")
    user = _requested_days_ago(user, GRACE_DAYS)
    pseudonym = actions.pseudonym_for(user.pk)

    actions.erase_account(user=user)

    entry = AuditEntry.objects.get(action="communities.joined")
    assert entry.actor is None
    assert entry.actor_label == pseudonym
    assert AuditEntry.objects.get(action="accounts.erased").data["pseudonym"] == pseudonym


def test_no_audit_entry_names_the_erased_person_by_handle() -> None:
    user = UserFactory.create(handle="Anna_R")
    actions.request_erasure(user=user, mode="anonymise")
    user = _requested_days_ago(user, GRACE_DAYS)

    actions.erase_account(user=user)

    for entry in AuditEntry.objects.all():
        assert "Anna_R" not in (entry.actor_label, entry.target_label, str(entry.data))


def test_past_and_current_handles_stay_reserved_after_erasure() -> None:
    user = UserFactory.create(handle="Old_Name")
    actions.change_handle(user=user, handle="Anna_R")
    user = _requested_days_ago(user, GRACE_DAYS)

    actions.erase_account(user=user)

    for handle in ("old_name", "anna_r"):
        with pytest.raises(ValidationError) as caught:
            validate_handle_available(handle)
        assert caught.value.code == "taken"


def test_profile_disappears_as_soon_as_erasure_is_requested(client: Client) -> None:
    user = UserFactory.create(handle="Anna_R", profile_audience="everyone")
    actions.request_erasure(user=user, mode="anonymise")

    response = client.get(reverse("accounts:profile", kwargs={"handle": "Anna_R"}))

    assert response.status_code == 404


def test_delete_page_needs_the_password(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)

    response = client.post(
        reverse("accounts:delete"), {"mode": "anonymise", "password": "wrong", "confirm": "on"}
    )

    user.refresh_from_db()
    assert response.status_code == 400
    assert not user.erasure_pending


def test_delete_page_requests_erasure_and_logs_out(client: Client) -> None:
    user = UserFactory.create()
    client.force_login(user)

    response = client.post(
        reverse("accounts:delete"), {"mode": "remove", "password": PASSWORD, "confirm": "on"}
    )

    user.refresh_from_db()
    assert response["Location"] == reverse("accounts:deleted")
    assert (user.erasure_pending, user.erasure_mode) == (True, "remove")
    assert "_auth_user_id" not in client.session


def test_person_can_log_in_during_grace_and_is_offered_to_cancel(client: Client) -> None:
    user = UserFactory.create(email="anna@example.org", preferred_language="en")
    actions.request_erasure(user=user, mode="anonymise")
    with translation.override("en"):
        login_url = reverse("account_login")
        pending_url = reverse("accounts:erasure_pending")

    response = client.post(
        login_url, {"login": "anna@example.org", "password": PASSWORD}, follow=True
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == pending_url
    assert b'value="cancel"' in response.content


def test_every_page_leads_a_person_with_pending_erasure_to_the_cancel_page(
    client: Client,
) -> None:
    user = UserFactory.create()
    actions.request_erasure(user=user, mode="anonymise")
    client.force_login(user)

    response = client.get(reverse("accounts:settings"))

    assert response["Location"] == reverse("accounts:erasure_pending")


def test_cancelling_on_the_pending_page_keeps_the_account(client: Client) -> None:
    user = UserFactory.create()
    actions.request_erasure(user=user, mode="remove")
    client.force_login(user)

    response = client.post(reverse("accounts:erasure_pending"), {"action": "cancel"})

    user.refresh_from_db()
    assert response["Location"] == reverse("accounts:settings")
    assert not user.erasure_pending
    assert user.erasure_mode == ""
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_continuing_on_the_pending_page_logs_out_and_keeps_the_request(client: Client) -> None:
    user = UserFactory.create()
    actions.request_erasure(user=user, mode="remove")
    client.force_login(user)

    client.post(reverse("accounts:erasure_pending"), {"action": "logout"})

    user.refresh_from_db()
    assert user.erasure_pending
    assert "_auth_user_id" not in client.session
