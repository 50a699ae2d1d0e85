"""Shared fixtures. Tests run inside a transaction, so the after-publish task (queued
on commit) runs only inside ``published``: it executes the on-commit callbacks, as a
real commit would, and the worker's hooks run (tasks run immediately in tests)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from patientvoice.accounts.models import User
from patientvoice.core.testing.sessions import log_in

from .factories import CommunityFactory, ThreadFactory, UserFactory


@pytest.fixture
def published(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    def commit() -> AbstractContextManager[Any]:
        return django_capture_on_commit_callbacks(execute=True)

    return commit


@pytest.fixture
def anna() -> User:
    return UserFactory.create(handle="anna_k", preferred_language="sv")


@pytest.fixture
def bo() -> User:
    return UserFactory.create(handle="bo_lind", preferred_language="en")


@pytest.fixture
def outsider() -> User:
    return UserFactory.create(handle="outsider_x")


@pytest.fixture
def members_only(anna: User, bo: User) -> Any:
    return CommunityFactory.create(members_only=True, members=[anna, bo])


@pytest.fixture
def thread(members_only: Any, anna: User, published: Any) -> Any:
    with published():
        return ThreadFactory.create(community=members_only, author=anna)


def client_for(user: User) -> Client:
    client = Client()
    log_in(client, user)
    return client


@pytest.fixture
def anna_client(anna: User) -> Client:
    return client_for(anna)
