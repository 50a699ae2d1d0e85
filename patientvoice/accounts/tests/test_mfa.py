"""Two-step verification: privileged roles need it, and the staff admin enforces it."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.mfa import MFAAdapter
from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import check_mfa_for_privileged_role, has_mfa

from .factories import PASSWORD, StaffFactory, UserFactory, login_with_mfa

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tolerant_clock(settings: Any) -> None:
    # A code computed just before a 30-second boundary must still verify just after it.
    settings.MFA_TOTP_TOLERANCE = 1


def _with_totp(user: User) -> str:
    secret = str(generate_totp_secret())
    TOTP.activate(user, secret)
    return secret


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the middle of the tolerance window: now
    return str(format_hotp_value(hotp_value(secret, counter)))


def test_privileged_role_without_a_second_factor_is_refused() -> None:
    user = UserFactory.create()

    with pytest.raises(PermissionDenied):
        check_mfa_for_privileged_role(user)


def test_privileged_role_with_totp_is_allowed() -> None:
    user = UserFactory.create()
    _with_totp(user)

    check_mfa_for_privileged_role(user)

    assert has_mfa(user)


def test_recovery_codes_alone_are_not_a_second_factor() -> None:
    user = UserFactory.create()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
    )

    assert not has_mfa(user)


def test_visitor_has_no_second_factor() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not has_mfa(AnonymousUser())


def test_totp_secret_is_stored_encrypted_and_still_verifies() -> None:
    user = UserFactory.create()
    secret = _with_totp(user)

    authenticator = Authenticator.objects.get(user=user)

    assert secret not in str(authenticator.data)
    assert TOTP(authenticator).validate_code(_current_code(secret))


def test_staff_without_mfa_is_refused_by_the_admin(client: Client) -> None:
    client.force_login(StaffFactory.create())

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_who_logged_in_with_totp_enters_the_admin(client: Client) -> None:
    staff = StaffFactory.create()
    login_with_mfa(client, staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert str(admin.site.site_header) in response.content.decode()


def test_staff_with_totp_who_logged_in_with_password_only_is_refused(client: Client) -> None:
    staff = StaffFactory.create()
    _with_totp(staff)
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302


def test_admin_login_page_is_allauths_login_with_its_second_factor(client: Client) -> None:
    response = client.get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_powers_are_suspended_in_a_session_without_a_second_factor(
    client: Client,
) -> None:
    from patientvoice.communities.tests.factories import CommunityFactory, ThreadFactory

    community = CommunityFactory.create(private=True)
    thread = ThreadFactory.create(community=community)
    staff = StaffFactory.create()
    _with_totp(staff)
    client.force_login(staff)

    assert client.get(thread.get_absolute_url()).status_code == 404
    login_with_mfa(client, staff)
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_member_with_totp_but_no_staff_role_is_refused_by_the_admin(client: Client) -> None:
    member = UserFactory.create()
    _with_totp(member)
    client.force_login(member)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302


def test_login_with_totp_asks_for_the_code_before_signing_in(client: Client) -> None:
    staff = StaffFactory.create(email="staff@example.org", preferred_language="en")
    secret = _with_totp(staff)
    with translation.override("en"):
        login_url, mfa_url = reverse("account_login"), reverse("mfa_authenticate")

    response = client.post(login_url, {"login": "staff@example.org", "password": PASSWORD})

    assert response["Location"] == mfa_url
    assert "_auth_user_id" not in client.session

    client.post(mfa_url, {"code": _current_code(secret)})

    assert client.session["_auth_user_id"] == str(staff.pk)


def test_login_with_a_wrong_totp_code_does_not_sign_in(client: Client) -> None:
    staff = StaffFactory.create(email="staff@example.org")
    _with_totp(staff)
    with translation.override("en"):
        login_url, mfa_url = reverse("account_login"), reverse("mfa_authenticate")
    client.post(login_url, {"login": "staff@example.org", "password": PASSWORD})

    response = client.post(mfa_url, {"code": "000000"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_staff_cannot_remove_their_only_second_factor() -> None:
    staff = StaffFactory.create()
    _with_totp(staff)

    assert not MFAAdapter().can_delete_authenticator(Authenticator.objects.get(user=staff))


def test_member_can_remove_their_only_second_factor() -> None:
    member = UserFactory.create()
    _with_totp(member)

    assert MFAAdapter().can_delete_authenticator(Authenticator.objects.get(user=member))


def test_two_step_verification_pages_use_the_sites_swedish_terms(client: Client) -> None:
    member = UserFactory.create()
    client.force_login(member)
    with translation.override("sv"):
        url = reverse("mfa_index")

    text = client.get(url).content.decode().lower()

    assert "tvåstegsverifiering" in text
    assert "tvåfaktor" not in text
