"""Opening an address that only takes a form gives a page, not a blank 405."""

from __future__ import annotations

import pytest
from django.test import Client

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.testing.sessions import log_in

pytestmark = pytest.mark.django_db


def _member() -> Client:
    client = Client()
    log_in(client, UserFactory.create())
    return client


def test_opening_a_form_only_address_explains_itself_in_the_pages_language():
    response = _member().get("/en/professionals/notices/read/")

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert "This address takes a form" in html
    assert 'href="/en/professionals/notices/"' in html  # one step up


def test_the_swedish_page_is_in_swedish():
    html = _member().get("/sv/professionals/notices/read/").content.decode()

    assert "This address takes a form" not in html
    assert 'lang="sv"' in html


def test_the_api_keeps_its_own_405_shape():
    response = Client().get("/api/v1/notes/00000000-0000-0000-0000-000000000000/helpful")

    assert "This address takes a form" not in response.content.decode()
