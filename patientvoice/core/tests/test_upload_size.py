"""A request body larger than PV_MAX_UPLOAD_BYTES is refused before it is read: a
translated page (or the API's error shape) and 413."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_oversized_form_gets_a_translated_413_page(settings: Any) -> None:
    settings.PV_MAX_UPLOAD_BYTES = 1024

    response = Client().post(
        "/sv/search/", data=b"x" * 2048, content_type="application/octet-stream"
    )

    assert response.status_code == 413
    assert "Filen är för stor" in response.content.decode()


def test_an_oversized_api_request_gets_the_api_error_shape(settings: Any) -> None:
    settings.PV_MAX_UPLOAD_BYTES = 1024

    response = Client().post(
        "/api/v1/campaigns", data=b"x" * 2048, content_type="application/octet-stream"
    )

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_a_request_under_the_limit_reaches_the_page(settings: Any) -> None:
    settings.PV_MAX_UPLOAD_BYTES = 1024

    response = Client().get("/sv/search/?q=diabetes")

    assert response.status_code == 200
