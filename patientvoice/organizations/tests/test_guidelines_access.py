"""Who reaches a community's guidelines for editing (organizations.queries)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities.actions import publish_guidelines
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.organizations import actions
from patientvoice.organizations.models import StaffRole
from patientvoice.organizations.queries import access_guidelines_for_editing

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_the_hosting_organisations_moderator_gets_a_private_communitys_versions() -> None:
    organization = OrganizationFactory.create()
    community = CommunityFactory.create(organization=organization, private=True)
    moderator = UserFactory.create()
    log_in_with_mfa(Client(), moderator)
    actions.add_staff(
        actor=None, organization=organization, user=moderator, role=StaffRole.MODERATOR
    )
    for body in ("Be kind.", "Be kind. No advertising."):
        publish_guidelines(actor=None, community=community, body=body)

    guidelines = access_guidelines_for_editing(moderator, community.slug)

    assert guidelines.community == community
    assert [v.version for v in guidelines.versions] == [2, 1]
    assert guidelines.current is not None
    assert guidelines.current.body == "Be kind. No advertising."


def test_someone_who_may_not_know_a_private_community_gets_404_not_its_guidelines() -> None:
    community = CommunityFactory.create(organization=OrganizationFactory.create(), private=True)

    with pytest.raises(Http404):
        access_guidelines_for_editing(UserFactory.create(), community.slug)


def test_a_member_who_may_not_edit_is_told_no() -> None:
    member = UserFactory.create()
    community = CommunityFactory.create(
        organization=OrganizationFactory.create(), private=True, members=[member]
    )

    with pytest.raises(PermissionDenied):
        access_guidelines_for_editing(member, community.slug)


def test_an_unknown_community_is_404() -> None:
    with pytest.raises(Http404):
        access_guidelines_for_editing(UserFactory.create(), "no-such-community")
