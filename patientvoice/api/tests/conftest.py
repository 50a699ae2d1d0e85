"""Fixtures for API tests: members, tokens and a tiny rate limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache.backends.locmem import LocMemCache

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.api import actions
from patientvoice.api.urls import api

ERROR_KEYS = {"code", "message", "details"}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is the API's one error shape with this status and code."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == ERROR_KEYS
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    return body


@pytest.fixture
def member() -> User:
    return UserFactory.create(handle="Anna_R", email="anna@example.org")


@pytest.fixture
def bearer() -> Callable[..., dict[str, Any]]:
    """Headers carrying a fresh personal access token of ``user``."""

    def make(user: User, scope: str = "read", lifetime_days: int = 30) -> dict[str, Any]:
        _, raw = actions.create_token(
            user=user, name="test", scope=scope, lifetime_days=lifetime_days
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return make


@pytest.fixture
def db_sessions(settings: Any) -> None:
    """Sessions read from the database, so query budgets count the session read even
    where CI runs with Redis (which makes sessions cached_db)."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


@pytest.fixture
def tiny_rate_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    """Two requests a minute, counted in a cache of this test's own (a shared cache
    is cleared by other test workers at any time)."""
    cache = LocMemCache("api-throttle-test", {})
    for throttle in api.throttle:  # type: ignore[union-attr]
        monkeypatch.setattr(throttle, "num_requests", 2)
        monkeypatch.setattr(throttle, "duration", 60)
        monkeypatch.setattr(throttle, "cache", cache)
    return 2
