"""Nobody works for a sponsor and holds powers at once (decisions/0038): each side
door is closed, with a reason that says what to do."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Membership, MembershipRole
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.moderation.tests.factories import community_moderator
from patientvoice.organizations import actions
from patientvoice.organizations.models import OrganizationStaff, StaffRole

from .factories import OrganizationFactory
from .sponsor_factories import sponsor, staff_of, with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Any:
    with translation.override("en"):
        yield


def test_someone_who_works_for_a_sponsor_cannot_be_made_a_community_moderator() -> None:
    employee = staff_of(sponsor(), StaffRole.MODERATOR)
    community = CommunityFactory.create()

    with pytest.raises(PermissionDenied, match="work for a sponsor"):
        community_actions.make_moderator(actor=None, community=community, user=employee)

    assert not Membership.objects.filter(
        user=employee, community=community, role=MembershipRole.MODERATOR
    ).exists()


def test_someone_who_works_for_a_sponsor_cannot_join_an_advocacy_organisations_staff() -> None:
    employee = staff_of(sponsor())
    advocacy = OrganizationFactory.create()

    with pytest.raises(PermissionDenied, match="work for a sponsor"):
        actions.add_staff(
            actor=None, organization=advocacy, user=employee, role=StaffRole.MODERATOR
        )

    assert not OrganizationStaff.objects.filter(organization=advocacy, user=employee).exists()


def test_a_community_moderator_cannot_be_taken_on_by_a_sponsor() -> None:
    moderator = community_moderator(CommunityFactory.create())

    with pytest.raises(PermissionDenied, match="cannot also work for a sponsor"):
        actions.add_staff(actor=None, organization=sponsor(), user=moderator, role=StaffRole.ADMIN)

    assert not OrganizationStaff.objects.filter(user=moderator).exists()


def test_an_advocacy_organisations_moderator_cannot_be_taken_on_by_a_sponsor() -> None:
    person = staff_of(OrganizationFactory.create(), StaffRole.MODERATOR)

    with pytest.raises(PermissionDenied):
        actions.add_staff(actor=None, organization=sponsor(), user=person, role=StaffRole.ADMIN)


def test_a_sponsors_staff_may_change_role_within_the_sponsor() -> None:
    organization = sponsor()
    employee = staff_of(organization, StaffRole.MODERATOR)

    actions.add_staff(actor=None, organization=organization, user=employee, role=StaffRole.ADMIN)

    assert OrganizationStaff.objects.get(user=employee).role == StaffRole.ADMIN


def test_the_staff_page_shows_the_reason_and_adds_nobody() -> None:
    advocacy = OrganizationFactory.create()
    admin = staff_of(advocacy, StaffRole.ADMIN)
    employee = with_second_factor(staff_of(sponsor()))
    client = Client()
    log_in_with_mfa(client, admin)
    with translation.override("en"):
        url = reverse("organizations:staff", kwargs={"slug": advocacy.slug})

    response = client.post(
        url, {"handle": employee.handle, "role": StaffRole.MODERATOR}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code in (200, 302, 400, 403)
    assert not OrganizationStaff.objects.filter(organization=advocacy, user=employee).exists()
    page = client.get(url).content.decode() if response.status_code == 302 else ""
    assert "work for a sponsor" in (response.content.decode() + page)
