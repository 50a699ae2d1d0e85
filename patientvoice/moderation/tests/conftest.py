"""People and places shared by the moderation tests.

Moderating powers need a second factor on the account (decisions/0015): every
moderator here has one. Tests that pass a user object (no request) act with the
powers the account has; ``suspended(user)`` gives the object of a request whose
session did not pass two-step verification.
"""

from __future__ import annotations

from typing import Any

import pytest

from patientvoice.accounts.models import User
from patientvoice.communities.models import Community, Post, Thread
from patientvoice.organizations.models import Organization

from .factories import (
    CommunityFactory,
    OrganizationFactory,
    PostFactory,
    StaffFactory,
    ThreadFactory,
    UserFactory,
    community_moderator,
    organization_staff,
)


@pytest.fixture
def author() -> User:
    return UserFactory.create(handle="poster_anna")


@pytest.fixture
def reader() -> User:
    return UserFactory.create(handle="reader_bo")


@pytest.fixture
def outsider() -> User:
    return UserFactory.create(handle="outsider_cy")


@pytest.fixture
def staff() -> User:
    return StaffFactory.create(handle="staff_dan")


@pytest.fixture
def organization() -> Organization:
    return OrganizationFactory.create()


@pytest.fixture
def community(organization: Organization, author: User, reader: User) -> Community:
    """A public community hosted by ``organization``, with two members."""
    return CommunityFactory.create(organization=organization, members=[author, reader])


@pytest.fixture
def other_community(author: User) -> Community:
    return CommunityFactory.create(members=[author])


@pytest.fixture
def moderator(community: Community) -> User:
    return community_moderator(community, handle="mod_eva")


@pytest.fixture
def second_moderator(community: Community) -> User:
    return community_moderator(community, handle="mod_filip")


@pytest.fixture
def org_moderator(organization: Organization) -> User:
    return organization_staff(organization, handle="orgmod_gun")


@pytest.fixture
def foreign_moderator(other_community: Community) -> User:
    """Moderates another community only."""
    return community_moderator(other_community, handle="mod_elsewhere")


@pytest.fixture
def thread(community: Community, author: User) -> Thread:
    return ThreadFactory.create(community=community, author=author)


@pytest.fixture
def post(thread: Thread, author: User) -> Post:
    return PostFactory.create(thread=thread, author=author)


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what actions leave for after the commit (e-mails, after-publish hooks)."""

    def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run
