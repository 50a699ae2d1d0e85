"""Consent: asked before anything else, asked again for a new policy, withdrawable."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from patientvoice.accounts import actions, queries
from patientvoice.accounts.models import ConsentRecord, PolicyKind, PolicyVersion, User
from patientvoice.accounts.queries import consent_state, has_consent, needs_consent

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _publish_privacy_v2(**fields: Any) -> PolicyVersion:
    return PolicyVersion.objects.create(
        kind=PolicyKind.PRIVACY,
        version=2,
        **fields,
        title_sv="Integritet v2",
        title_en="Privacy v2",
        summary_sv="Kort",
        summary_en="Short",
        body_sv="Text",
        body_en="Text",
    )


@pytest.fixture
def member(client: Client) -> User:
    user = UserFactory.create()
    client.force_login(user)
    return user


def test_member_without_consent_is_sent_to_the_consent_page_first(client: Client) -> None:
    user = UserFactory.create(consented=False)
    client.force_login(user)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert (
        response["Location"]
        == f"{reverse('accounts:consent')}?{urlencode({'next': reverse('home')})}"
    )


def test_consent_page_itself_opens_without_consent(client: Client) -> None:
    client.force_login(UserFactory.create(consented=False))

    assert client.get(reverse("accounts:consent")).status_code == 200


def test_visitor_is_not_asked_for_consent(client: Client) -> None:
    assert client.get(reverse("home")).status_code == 200


def test_member_with_current_consent_reaches_the_page(client: Client, member: User) -> None:
    assert client.get(reverse("home")).status_code == 200


def test_giving_consent_returns_the_member_to_where_they_were_going(client: Client) -> None:
    user = UserFactory.create(consented=False)
    client.force_login(user)
    target = reverse("accounts:settings")

    response = client.post(f"{reverse('accounts:consent')}?next={target}", {"health_data": "on"})

    assert response["Location"] == target
    assert has_consent(user, "health_data")
    assert client.get(target).status_code == 200


def test_consent_page_does_not_redirect_to_another_site(client: Client) -> None:
    client.force_login(UserFactory.create(consented=False))

    response = client.post(
        f"{reverse('accounts:consent')}?next=https://evil.example/", {"health_data": "on"}
    )

    assert response["Location"] == reverse("accounts:consent")


def test_new_policy_version_asks_for_consent_again(client: Client, member: User) -> None:
    assert client.get(reverse("home")).status_code == 200
    _publish_privacy_v2()

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:consent"))
    assert needs_consent(member)


def test_policy_published_ahead_of_its_date_is_not_asked_for_yet(
    client: Client, member: User
) -> None:
    _publish_privacy_v2(effective_at=timezone.now() + timedelta(days=30))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert not needs_consent(member)


def test_consenting_to_the_new_version_records_it(client: Client, member: User) -> None:
    v2 = _publish_privacy_v2()

    client.post(reverse("accounts:consent"), {"health_data": "on"})

    record = consent_state(member)["health_data"]
    assert record is not None
    assert (record.granted, record.policy_id) == (True, v2.pk)
    assert client.get(reverse("home")).status_code == 200


def test_saving_unchanged_choices_writes_no_ledger_row(client: Client, member: User) -> None:
    before = ConsentRecord.objects.filter(user=member).count()

    client.post(reverse("accounts:consent"), {"health_data": "on"})

    assert ConsentRecord.objects.filter(user=member).count() == before


def test_withdrawing_optional_consent_writes_a_ledger_row(client: Client, member: User) -> None:
    actions.record_consents(user=member, granted={"health_data", "email_digest"}, language="sv")

    response = client.post(reverse("accounts:consent"), {"health_data": "on"})

    latest = ConsentRecord.objects.filter(user=member, purpose="email_digest").first()
    assert response.status_code == 302
    assert latest is not None
    assert latest.granted is False
    assert not has_consent(member, "email_digest")
    assert has_consent(member, "health_data")


def test_consent_page_cannot_refuse_the_required_consent_without_having_given_it(
    client: Client,
) -> None:
    user = UserFactory.create(consented=False)
    client.force_login(user)

    response = client.post(reverse("accounts:consent"), {"email_digest": "on"})

    assert response.status_code == 400
    assert not ConsentRecord.objects.filter(user=user).exists()


def test_unticking_health_data_leads_to_the_explanation_first(client: Client, member: User) -> None:
    response = client.post(reverse("accounts:consent"), {})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:consent_withdraw")
    assert has_consent(member, "health_data")
    assert client.get(response["Location"]).status_code == 200


def test_confirming_withdrawal_schedules_erasure_and_logs_out(client: Client, member: User) -> None:
    client.post(reverse("accounts:consent"), {})

    response = client.post(
        reverse("accounts:consent_withdraw"), {"confirm": "yes", "mode": "remove"}
    )

    member.refresh_from_db()
    assert response["Location"] == reverse("accounts:deleted")
    assert not has_consent(member, "health_data")
    assert member.erasure_pending
    assert member.erasure_mode == "remove"
    assert "_auth_user_id" not in client.session


def test_not_confirming_withdrawal_keeps_everything(client: Client, member: User) -> None:
    response = client.post(reverse("accounts:consent_withdraw"), {})

    member.refresh_from_db()
    assert response["Location"] == reverse("accounts:consent")
    assert has_consent(member, "health_data")
    assert not member.erasure_pending


def test_optional_consent_unticked_along_with_health_data_is_withdrawn_too(
    client: Client, member: User
) -> None:
    actions.record_consents(user=member, granted={"health_data", "email_digest"}, language="sv")
    client.post(reverse("accounts:consent"), {})  # every box unticked

    client.post(reverse("accounts:consent_withdraw"), {"confirm": "yes", "mode": "anonymise"})

    assert not has_consent(member, "email_digest")
    assert not has_consent(member, "health_data")


def test_tampered_erasure_mode_still_closes_the_account_keeping_posts(
    client: Client, member: User
) -> None:
    response = client.post(
        reverse("accounts:consent_withdraw"), {"confirm": "yes", "mode": "everything"}
    )

    member.refresh_from_db()
    assert response["Location"] == reverse("accounts:deleted")
    assert (member.erasure_pending, member.erasure_mode) == (True, "anonymise")
    assert not has_consent(member, "health_data")


def test_the_user_row_follows_the_ledger_when_consent_is_given_and_withdrawn() -> None:
    user = UserFactory.create(consented=False)
    assert User.objects.get(pk=user.pk).consented_policy_version is None

    actions.record_consents(user=user, granted={"health_data"}, language="sv")
    assert User.objects.get(pk=user.pk).consented_policy_version == 1

    actions.withdraw_consent(user=user, purpose="health_data", language="sv")
    assert User.objects.get(pk=user.pk).consented_policy_version is None
    assert needs_consent(User.objects.get(pk=user.pk))


def test_withdrawal_on_another_device_stops_the_next_request_here(
    client: Client, member: User
) -> None:
    assert client.get(reverse("home")).status_code == 200

    actions.withdraw_consent(
        user=User.objects.get(pk=member.pk), purpose="health_data", language="sv"
    )

    assert client.get(reverse("home")).status_code == 302


def test_a_policy_published_for_a_later_date_is_asked_for_once_that_date_passes(
    client: Client, member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _publish_privacy_v2(effective_at=timezone.now() + timedelta(minutes=10))
    assert client.get(reverse("home")).status_code == 200  # remembered: v1 in force

    later = timezone.now() + timedelta(minutes=11)
    monkeypatch.setattr(queries, "time", SimpleNamespace(time=later.timestamp))
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(reverse("home"))

    assert response.status_code == 302
