"""Project-wide pytest fixtures. App factories live in <app>/tests/factories.py."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PV_PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the site's default language: a request in an earlier test
    must not leave English active for reverse() and gettext in the next one."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    from django.core.cache import cache

    from patientvoice.core import fragments, prepared
    from patientvoice.organizations.sponsorship_queries import forget_in_process

    cache.clear()
    fragments.forget_all()  # remembered HTML (core.fragments): each test starts cold
    forget_in_process()  # the funding notices' copy in this process's memory
    prepared.forget_all()  # and compiles its hot queries anew (core.prepared)
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _policy_memo(request: pytest.FixtureRequest) -> Any:
    """Each process remembers the privacy-notice version in force (accounts.queries),
    so a served request checks consent without a query. Tests start from that warm
    state, whatever ran before, and never see a version from another test."""
    from patientvoice.accounts.queries import current_policy_version, forget_policy_version

    forget_policy_version()
    marker = request.node.get_closest_marker("django_db")
    uses_db = "db" in request.fixturenames or marker is not None
    transactional = "transactional_db" in request.fixturenames or (
        marker is not None and marker.kwargs.get("transaction", False)
    )
    if uses_db and not transactional:
        request.getfixturevalue("db")
        _restore_published_policies()
        _restore_reference_data()
        current_policy_version()
    yield
    forget_policy_version()


def _restore_reference_data() -> None:
    """Put back the starter conditions and medicines that directory migrations 0002 and
    0004 load, when a transactional test flushed them before this test on the same
    worker; in this test's transaction, so nothing outlives it."""
    import importlib

    from django.apps import apps

    from patientvoice.directory.models import Condition, Medicine

    for model, name in (
        (Condition, "0002_starter_conditions"),
        (Medicine, "0004_starter_medicines"),
    ):
        if not model.objects.exists():
            importlib.import_module(f"patientvoice.directory.migrations.{name}").load(apps, None)


def _restore_published_policies() -> None:
    """Put back the policies migration accounts 0002 publishes when a transactional
    test (the browser journeys) flushed them before this test on the same worker; in
    this test's transaction, so nothing outlives it."""
    import importlib

    from django.apps import apps

    from patientvoice.accounts.models import PolicyVersion

    if PolicyVersion.objects.exists():
        return
    migration = importlib.import_module("patientvoice.accounts.migrations.0002_initial_policies")
    migration.publish(apps, None)
