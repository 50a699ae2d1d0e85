"""Applicants, verifiers, requests and credentials for the professionals' tests. All of
them are made through the actions, as the pages make them."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.models import Group
from PIL import Image

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.professionals import actions
from patientvoice.professionals.evidence import CheckedEvidence, check_evidence
from patientvoice.professionals.models import Credential, VerificationRequest
from patientvoice.professionals.permissions import VERIFIER_GROUP

ANSWERS: dict[str, Any] = {
    "profession": "nurse",
    "licence_number": "SSK-123456",
    "specialty": "Diabetesvård",
    "workplace": "Vårdcentralen Norrby",
    "real_name": "Anna Svensson",
    "employer": "Region Norr",
    "industry_ties": "",
    "no_industry_ties": True,
}


def png_bytes(width: int = 60, height: int = 40) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes(body: bytes = b"1 0 obj << /Type /Catalog >> endobj\n") -> bytes:
    return b"%PDF-1.7\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def evidence(data: bytes | None = None) -> CheckedEvidence:
    return check_evidence(data if data is not None else pdf_bytes())


def applicant(**kwargs: Any) -> User:
    """A member with a second factor (applying needs one)."""
    return with_second_factor(UserFactory.create(**kwargs))


def verifier(**kwargs: Any) -> User:
    """A member of the group "verifier" with a second factor."""
    person = with_second_factor(UserFactory.create(**kwargs))
    group, _ = Group.objects.get_or_create(name=VERIFIER_GROUP)
    person.groups.add(group)
    return person


def staff(**kwargs: Any) -> User:
    return with_second_factor(StaffFactory.create(**kwargs))


def submitted(
    person: User | None = None, *, data: bytes | None = None, **answers: Any
) -> VerificationRequest:
    return actions.submit_request(
        applicant=person or applicant(),
        evidence=evidence(data),
        **{**ANSWERS, **answers},
    )


def approved(person: User | None = None, *, by: User | None = None, **answers: Any) -> Credential:
    request = submitted(person, **answers)
    actions.decide_request(
        verifier=by or verifier(), request=request, approve=True, reason="Checked in HOSP"
    )
    return Credential.objects.get(request=request)
