"""Fixtures for the professionals' tests."""

from __future__ import annotations

from typing import Any

import pytest

from . import factories


@pytest.fixture
def nurse() -> Any:
    """A member with an active credential as a registered nurse."""
    return factories.approved().user


@pytest.fixture
def the_verifier() -> Any:
    return factories.verifier(handle="Granskare_1")
