"""Registry backends: a backend defined here, enabled through the setting, answers in
the worker; its answer is stored and shown to verifiers. A failing one is reported."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.professionals.models import VerificationRequest
from patientvoice.professionals.registries import RegistryResult, check_request, enabled_backends

from . import factories

pytestmark = pytest.mark.django_db
HERE = "patientvoice.professionals.tests.test_registries"


class FakeHosp:
    """Knows one licence number, as a register would."""

    name = "HOSP (test)"

    def check(self, request: VerificationRequest) -> RegistryResult | None:
        if request.country != "SE":
            return None
        if request.licence_number == "SSK-123456":
            return RegistryResult(
                registry=self.name,
                found=True,
                matches=request.real_name == "Anna Svensson",
                summary="Legitimerad sjuksköterska sedan 2011",
            )
        return RegistryResult(registry=self.name, found=False)


class BrokenRegistry:
    name = "Broken"

    def check(self, request: VerificationRequest) -> RegistryResult | None:
        raise TimeoutError


def test_no_backend_is_enabled_by_default():
    assert enabled_backends() == []


def test_an_enabled_backend_answers_after_submission_and_the_verifier_sees_it(
    settings, django_capture_on_commit_callbacks
):
    settings.PV_PROFESSIONAL_REGISTRIES = [f"{HERE}.FakeHosp"]

    with django_capture_on_commit_callbacks(execute=True):
        request = factories.submitted()

    request.refresh_from_db()
    assert request.registry_results[0]["found"] is True
    assert request.registry_results[0]["matches"] is True
    client = Client()
    log_in_with_mfa(client, factories.verifier())
    page = client.get(reverse("professionals:request_detail", args=[request.public_id])).text
    assert "Legitimerad sjuksköterska sedan 2011" in page


def test_a_backend_that_is_not_concerned_gives_no_answer(settings):
    settings.PV_PROFESSIONAL_REGISTRIES = [f"{HERE}.FakeHosp"]
    request = factories.submitted(
        profession="outside_sweden", country="NO", profession_text="Sykepleier"
    )

    assert check_request(request) == []


def test_a_failing_backend_is_reported_and_the_others_still_answer(settings):
    settings.PV_PROFESSIONAL_REGISTRIES = [f"{HERE}.BrokenRegistry", f"{HERE}.FakeHosp"]
    request = factories.submitted()

    results = check_request(request)

    assert [(r.registry, bool(r.error)) for r in results] == [
        ("Broken", True),
        ("HOSP (test)", False),
    ]


def test_a_verifier_asks_the_registers_again(settings):
    request = factories.submitted(licence_number="SSK-999")
    settings.PV_PROFESSIONAL_REGISTRIES = [f"{HERE}.FakeHosp"]
    client = Client()
    log_in_with_mfa(client, factories.verifier())

    response = client.post(reverse("professionals:recheck", args=[request.public_id]))

    request.refresh_from_db()
    assert response.status_code == 302
    assert request.registry_results[0]["found"] is False
