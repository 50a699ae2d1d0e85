"""The authentication backends read the session's user by a prepared query
(accounts.backends) and decide as Django's and allauth's do."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.backends import AuthenticationBackend, ModelBackend

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("backend", [ModelBackend(), AuthenticationBackend()])
def test_get_user_gives_the_active_person_and_nobody_else(
    backend: ModelBackend | AuthenticationBackend,
) -> None:
    active, inactive = UserFactory.create(), UserFactory.create(is_active=False)

    found = backend.get_user(active.pk)

    assert found == active
    assert found is not None
    assert found.handle == active.handle
    assert found.email == active.email
    assert backend.get_user(str(active.pk)) == active
    assert backend.get_user(inactive.pk) is None
    assert backend.get_user(active.pk + inactive.pk + 1000) is None
    assert backend.get_user("not a number") is None


def test_a_signed_in_page_knows_the_person(client: Client) -> None:
    person = UserFactory.create()
    client.force_login(person, backend="patientvoice.accounts.backends.ModelBackend")

    page = client.get(reverse("accounts:settings"))

    assert page.status_code == 200
    assert person.handle in page.content.decode()
