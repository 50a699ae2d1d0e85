"""A verified professional's profile says so, not "not yet verified" (walk 2026-11-27)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.testing.sessions import log_in

from .factories import applicant, approved

pytestmark = pytest.mark.django_db


def _profile(person: User) -> str:
    client = Client()
    log_in(client, UserFactory.create())
    with translation.override("en"):
        url = reverse("accounts:profile", args=[person.handle])
    return client.get(url).text


def test_the_unverified_label_gives_way_to_the_badge_once_verified(
    django_capture_on_commit_callbacks,
):
    person = applicant(presence="professional")
    assert "(not yet verified)" in _profile(person)

    with django_capture_on_commit_callbacks(execute=True):  # the cached "none" is dropped
        approved(person)

    page = _profile(person)
    assert "(not yet verified)" not in page
    assert "badge-professional" in page
