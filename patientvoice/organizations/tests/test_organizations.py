"""Organisation pages list the communities they host, through the visibility rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see
from patientvoice.organizations import actions
from patientvoice.organizations.models import OrganizationKind, OrganizationStaff, StaffRole

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    return OrganizationFactory.create(name="Diabetesföreningen Norr")


def test_organisation_page_shows_its_public_and_members_only_communities_to_visitors(
    organization,
):
    public = CommunityFactory.create(organization=organization)
    members_only = CommunityFactory.create(members_only=True, organization=organization)

    assert_can_see(None, public)
    assert_can_see(None, members_only)


def test_organisation_page_hides_its_private_communities_from_outsiders(organization):
    member, outsider = UserFactory.create(), UserFactory.create()
    private = CommunityFactory.create(private=True, organization=organization, members=[member])

    assert_cannot_see(outsider, private)
    assert_cannot_see(None, private)
    assert_can_see(member, private)


def test_organisation_that_does_not_exist_is_a_404():
    response = Client().get(reverse("organizations:detail", args=["no-such-organisation"]))

    assert response.status_code == 404


def test_organisation_page_costs_the_same_queries_for_many_communities(
    organization, django_assert_num_queries
):
    for n in range(30):
        CommunityFactory.create(organization=organization, members_only=bool(n % 2))

    # organisation, communities, its featured stories (decisions/0040); +1: the site's
    # funding notices, read once the cache is cold (decisions/0038)
    with django_assert_num_queries(4):
        response = Client().get(organization.get_absolute_url())

    assert len(response.context["communities"]) == 30


def test_organisations_with_the_same_name_get_different_addresses():
    first = actions.create_organization(actor=None, name="Ledstöd", kind=OrganizationKind.ADVOCACY)
    second = actions.create_organization(actor=None, name="Ledstöd", kind=OrganizationKind.ADVOCACY)

    assert (first.slug, second.slug) == ("ledstod", "ledstod-2")
    assert Client().get(second.get_absolute_url()).status_code == 200


def test_organisation_with_a_name_without_latin_letters_still_gets_an_address():
    organization = actions.create_organization(
        actor=None, name="Ελληνικός Σύλλογος", kind=OrganizationKind.ADVOCACY
    )

    assert organization.slug == "organisation"
    assert Client().get(organization.get_absolute_url()).status_code == 200


def test_creating_an_organisation_is_audited():
    organization = OrganizationFactory.create()

    entry = AuditEntry.objects.get(action="organizations.created")
    assert entry.target_id == str(organization.public_id)


def test_staff_role_without_two_step_verification_is_refused(organization):
    person = UserFactory.create()

    with pytest.raises(PermissionDenied):
        actions.add_staff(
            actor=None, organization=organization, user=person, role=StaffRole.MODERATOR
        )

    assert not OrganizationStaff.objects.filter(user=person).exists()
