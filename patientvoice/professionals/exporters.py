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
from patientvoice.accounts.models import ErasureMode

from .actions import erase_professional_data
from .advisers import erase_adviser_roles
from .models import (
    AdviserRole,
    Credential,
    ProfessionalNotice,
    ProfessionalQuestion,
    VerificationRequest,
)
from .questions import forget_answers_by

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


# --- questions for professionals and adviser roles (decisions/0037) --------------------------


@register_exporter(
    "professional_questions",
    models=["professionals.ProfessionalQuestion", "professionals.AdviserRole"],
)
def export_questions_and_advisers(user: Any) -> dict[str, Any]:
    """The questions the person asked professionals (the thread and its field; the
    answers are other people's posts, named by public id), and their adviser roles and
    invitations (not the ones they made or ended as an administrator: those are about
    other people)."""
    return {
        "questions_asked": rows(
            ProfessionalQuestion.objects.filter(asked_by=user).order_by("asked_at", "pk"),
            "thread__public_id",
            "thread__title",
            "field",
            "asked_at",
            "first_answer_post__public_id",
            "first_answer_at",
            "first_answer_profession",
        ),
        "adviser_roles": rows(
            AdviserRole.objects.filter(professional=user).order_by("created_at", "pk"),
            "public_id",
            "community__name",
            "status",
            "created_at",
            "responded_at",
            "ended_at",
            "ended_reason",
        ),
    }


@register_eraser("professional_questions")
def erase_questions_and_advisers(user: Any, mode: str) -> None:
    """Both modes: the person's adviser roles go, and the questions they answered first
    are recomputed without them (their credentials go with the account). Removing
    everything also takes the "question for professionals" mark off their threads;
    anonymising keeps it (the asker becomes NULL with the account)."""
    erase_adviser_roles(user)
    forget_answers_by(user)
    if mode == ErasureMode.REMOVE:
        ProfessionalQuestion.objects.filter(asked_by=user).delete()
