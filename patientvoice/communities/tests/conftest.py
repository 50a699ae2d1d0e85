"""People and places shared by the communities tests."""

from __future__ import annotations

import pytest
from django.test import Client

from patientvoice.accounts.models import User
from patientvoice.core.testing.sessions import log_in

from .factories import StaffFactory, UserFactory


@pytest.fixture
def member() -> User:
    return UserFactory.create()


@pytest.fixture
def outsider() -> User:
    """Signed in, but a member of nothing."""
    return UserFactory.create()


@pytest.fixture
def staff() -> User:
    return StaffFactory.create()


def logged_in(user: User) -> Client:
    client = Client()
    log_in(client, user)
    return client
