"""People and places shared by the stories tests."""

from __future__ import annotations

import pytest

from patientvoice.accounts.models import User
from patientvoice.communities.models import Community
from patientvoice.moderation.tests.factories import organization_staff
from patientvoice.organizations.models import Organization
from patientvoice.stories.models import Story

from .factories import (
    CommunityFactory,
    OrganizationFactory,
    StaffFactory,
    StoryFactory,
    UserFactory,
)


@pytest.fixture
def author() -> User:
    return UserFactory.create(handle="teller_anna")


@pytest.fixture
def reader() -> User:
    return UserFactory.create(handle="reader_bo")


@pytest.fixture
def staff() -> User:
    return StaffFactory.create(handle="staff_dan")


@pytest.fixture
def organization() -> Organization:
    return OrganizationFactory.create()


@pytest.fixture
def org_moderator(organization: Organization) -> User:
    return organization_staff(organization, handle="orgmod_gun")


@pytest.fixture
def private_community(organization: Organization, reader: User) -> Community:
    return CommunityFactory.create(private=True, organization=organization, members=[reader])


@pytest.fixture
def story(author: User) -> Story:
    return StoryFactory.create(author=author, title="Story no. 1: the long first year")


@pytest.fixture
def private_story(author: User, private_community: Community) -> Story:
    return StoryFactory.create(
        author=author, community=private_community, title="Story no. 2: only for us"
    )
