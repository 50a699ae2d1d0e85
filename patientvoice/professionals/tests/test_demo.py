"""seed_demo leaves a verified nurse and a request in the verifiers' queue, once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from patientvoice.accounts.models import User
from patientvoice.professionals.models import Credential, RequestStatus, VerificationRequest
from patientvoice.professionals.permissions import is_verifier
from patientvoice.professionals.queries import credential_of

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_verified_nurse_a_waiting_request_and_a_verifier():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())  # idempotent

    nurse = User.objects.get(email="sjukskoterska@demo.patientvoice.local")
    credential = credential_of(nurse)
    assert credential is not None
    assert credential.is_active()
    assert Credential.objects.filter(user=nurse).count() == 1
    assert VerificationRequest.objects.filter(status=RequestStatus.PENDING).count() == 1
    assert is_verifier(User.objects.get(email="granskning@demo.patientvoice.local"))
    assert "/sv/professionals/verify/" in out.getvalue()
