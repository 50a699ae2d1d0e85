"""Staff repair data in the admin, but cannot rewrite what the law or trust relies on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.actions import change_handle
from patientvoice.accounts.models import PastHandle
from patientvoice.core.testing.sessions import log_in_with_mfa

from .factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    log_in_with_mfa(client, StaffFactory.create(is_superuser=True))
    return client


def test_staff_cannot_forge_a_consent(staff_client: Client) -> None:
    response = staff_client.get(reverse("admin:accounts_consentrecord_add"))

    assert response.status_code == 403


def test_staff_cannot_free_a_past_handle(staff_client: Client) -> None:
    person = UserFactory.create(handle="anna_first")
    change_handle(user=person, handle="anna_second")
    past = PastHandle.objects.get(handle="anna_first")

    response = staff_client.post(
        reverse("admin:accounts_pasthandle_delete", args=[past.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert PastHandle.objects.filter(pk=past.pk).exists()


def test_staff_see_the_handle_but_cannot_edit_it_in_the_admin(staff_client: Client) -> None:
    person = UserFactory.create(handle="anna_shown")

    response = staff_client.get(reverse("admin:accounts_user_change", args=[person.pk]))

    assert response.status_code == 200
    assert "anna_shown" in response.text
    assert 'name="handle"' not in response.text


def test_making_someone_staff_without_a_second_factor_is_refused(staff_client: Client) -> None:
    person = UserFactory.create()
    with translation.override("en"):
        url = reverse("admin:accounts_user_change", args=[person.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(is_staff="on", is_active="on")

    response = staff_client.post(url, data)

    person.refresh_from_db()
    assert not person.is_staff
    assert response.status_code == 200
    assert "two-step verification" in response.text


def test_a_change_made_in_the_admin_is_written_to_the_audit_log(staff_client: Client) -> None:
    from patientvoice.core.models import AuditEntry

    person = UserFactory.create(bio="old")
    with translation.override("en"):
        url = reverse("admin:accounts_user_change", args=[person.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(bio="fixed by staff", is_active="on")

    staff_client.post(url, data)

    entry = AuditEntry.objects.get(action="admin.accounts.user.changed")
    assert entry.target_id == str(person.public_id)
    assert "bio" in entry.data["fields"]
