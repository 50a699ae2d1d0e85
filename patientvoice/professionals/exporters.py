"""What the professionals app holds about a person (data export) and how it forgets
them (erasure, both modes): their applications (without the evidence file itself,
which only verifiers read and which is deleted after the decision; its SHA-256 and
size are listed), their credentials and their notices. At erasure all of them are
deleted and the evidence files removed; audit entries about them stay, labelled by
public id only (decisions/0033)."""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import register_exporter, rows

from .actions import erase_professional_data
from .models import Credential, ProfessionalNotice, VerificationRequest

_PROFESSION = (
    "profession",
    "country",
    "profession_text",
    "specialty",
    "real_name",
    "shows_real_name",
    "employer",
    "industry_ties",
)


@register_exporter(
    "professionals",
    models=[
        "professionals.VerificationRequest",
        "professionals.Credential",
        "professionals.ProfessionalNotice",
    ],
)
def export_professionals(user: Any) -> dict[str, Any]:
    return {
        "verification_requests": rows(
            VerificationRequest.objects.filter(applicant=user).order_by("created_at", "pk"),
            "public_id",
            *_PROFESSION,
            "licence_number",
            "workplace",
            "evidence_kind",
            "evidence_sha256",
            "evidence_size",
            "evidence_deleted_at",
            "status",
            "reason",
            "created_at",
            "decided_at",
        ),
        "credentials": rows(
            Credential.objects.filter(user=user).order_by("verified_at", "pk"),
            "public_id",
            *_PROFESSION,
            "verified_at",
            "expires_at",
            "superseded_at",
            "revoked_at",
            "revoked_reason",
        ),
        "notices": rows(
            ProfessionalNotice.objects.filter(recipient=user).order_by("created_at", "pk"),
            "kind",
            "text",
            "created_at",
            "read_at",
        ),
    }


@register_eraser("professionals")
def erase_professionals(user: Any, mode: str) -> None:
    erase_professional_data(user)
