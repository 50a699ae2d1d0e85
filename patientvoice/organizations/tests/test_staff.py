"""Organisation administrators manage their staff; roles need two-step verification."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.organizations import actions
from patientvoice.organizations.models import Organization, OrganizationStaff, StaffRole

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _with_role(organization: Organization, role: str) -> User:
    person = UserFactory.create()
    log_in_with_mfa(Client(), person)  # gives the person a TOTP authenticator
    actions.add_staff(actor=None, organization=organization, user=person, role=role)
    return person


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("visitor", False),
        ("member", False),
        ("moderator", False),
        ("admin_without_second_factor_this_session", False),
        ("admin", True),
        ("site_staff", True),
    ],
)
def test_only_administrators_and_staff_reach_the_staff_page(who: str, allowed: bool) -> None:
    organization = OrganizationFactory.create()
    client = Client()
    if who == "member":
        client.force_login(UserFactory.create())
    elif who == "moderator":
        log_in_with_mfa(client, _with_role(organization, StaffRole.MODERATOR))
    elif who == "admin_without_second_factor_this_session":
        client.force_login(_with_role(organization, StaffRole.ADMIN))
    elif who == "admin":
        log_in_with_mfa(client, _with_role(organization, StaffRole.ADMIN))
    elif who == "site_staff":
        log_in_with_mfa(client, StaffFactory.create())

    response = client.get(reverse("organizations:staff", args=[organization.slug]))

    if allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in {302, 403}
        assert 'name="handle"' not in response.text


def test_an_administrator_gives_a_role_to_someone_with_two_step_verification() -> None:
    organization = OrganizationFactory.create()
    admin = _with_role(organization, StaffRole.ADMIN)
    helper = UserFactory.create(handle="Volunteer_Vera")
    log_in_with_mfa(Client(), helper)
    client = Client()
    log_in_with_mfa(client, admin)

    response = client.post(
        reverse("organizations:staff", args=[organization.slug]),
        {"handle": "volunteer_vera", "role": StaffRole.MODERATOR},
    )

    assert response.status_code == 302
    assert OrganizationStaff.objects.filter(
        organization=organization, user=helper, role=StaffRole.MODERATOR
    ).exists()
    assert AuditEntry.objects.filter(action="organizations.staff_added").exists()


def test_a_role_for_someone_without_two_step_verification_is_refused_and_the_form_kept() -> None:
    organization = OrganizationFactory.create()
    client = Client()
    log_in_with_mfa(client, _with_role(organization, StaffRole.ADMIN))
    UserFactory.create(handle="No_Factor")

    response = client.post(
        reverse("organizations:staff", args=[organization.slug]),
        {"handle": "No_Factor", "role": StaffRole.MODERATOR},
    )

    assert response.status_code == 400
    assert 'value="No_Factor"' in response.text
    assert not OrganizationStaff.objects.filter(user__handle="No_Factor").exists()


def test_an_unknown_handle_is_refused_with_a_reason() -> None:
    organization = OrganizationFactory.create()
    client = Client()
    log_in_with_mfa(client, _with_role(organization, StaffRole.ADMIN))

    response = client.post(
        reverse("organizations:staff", args=[organization.slug]),
        {"handle": "nobody_here", "role": StaffRole.MODERATOR},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["handle"]


def test_the_last_administrator_cannot_be_removed() -> None:
    organization = OrganizationFactory.create()
    admin = _with_role(organization, StaffRole.ADMIN)
    client = Client()
    log_in_with_mfa(client, admin)

    client.post(reverse("organizations:staff_remove", args=[organization.slug, admin.public_id]))

    assert OrganizationStaff.objects.filter(organization=organization, user=admin).exists()


def test_an_administrator_removes_a_moderator() -> None:
    organization = OrganizationFactory.create()
    admin = _with_role(organization, StaffRole.ADMIN)
    moderator = _with_role(organization, StaffRole.MODERATOR)
    client = Client()
    log_in_with_mfa(client, admin)

    client.post(
        reverse("organizations:staff_remove", args=[organization.slug, moderator.public_id])
    )

    assert not OrganizationStaff.objects.filter(user=moderator).exists()
    assert AuditEntry.objects.filter(action="organizations.staff_removed").exists()


def test_the_organisation_page_shows_who_funds_it() -> None:
    organization = OrganizationFactory.create(
        registration_number="802000-1234", contact_email="info@example.org"
    )
    Organization.objects.filter(pk=organization.pk).update(
        funding="Member fees, and a grant from **Region Norr**."
    )

    response = Client().get(organization.get_absolute_url())

    assert "<strong>Region Norr</strong>" in response.text
    assert "802000-1234" in response.text
    assert "mailto:info@example.org" in response.text


def test_the_user_row_says_whether_the_person_holds_any_organisation_role() -> None:
    first, second = OrganizationFactory.create(), OrganizationFactory.create()
    person = _with_role(first, StaffRole.MODERATOR)
    assert User.objects.get(pk=person.pk).holds_organization_role
    actions.add_staff(actor=None, organization=second, user=person, role=StaffRole.MODERATOR)

    actions.remove_staff(actor=None, organization=first, user=person)
    assert User.objects.get(pk=person.pk).holds_organization_role  # still one role left

    actions.remove_staff(actor=None, organization=second, user=person)
    assert not User.objects.get(pk=person.pk).holds_organization_role
