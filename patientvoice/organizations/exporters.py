from __future__ import annotations

from typing import Any

from django.db.models import Q

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import register_exporter, rows

from .medical_information import erase_requests_of
from .models import (
    MedicalInformationRequest,
    Organization,
    OrganizationStaff,
    SponsorContentApproval,
    Sponsorship,
)


@register_exporter("organization_roles", models=["organizations.OrganizationStaff"])
def export_roles(user: Any) -> list[dict[str, Any]]:
    return rows(
        OrganizationStaff.objects.filter(user=user), "organization__name", "role", "created_at"
    )


@register_exporter("organizations_verified", models=["organizations.Organization"])
def export_verifications(user: Any) -> list[dict[str, Any]]:
    """Organisations the person verified, as site staff."""
    return rows(Organization.objects.filter(verified_by=user), "name", "slug", "verified_at")


SPONSORSHIP_FIELDS = ("sponsor__name", "starts_on", "ends_on", "ended_at", "end_reason")
APPROVAL_FIELDS = ("content_type", "object_id", "reference", "approver", "created_at")


def _with_roles(
    found: list[dict[str, Any]], user: Any, roles: dict[str, str]
) -> list[dict[str, Any]]:
    """Replace each ``<who>_id`` column by ``<name>: bool`` ("was it this person?")."""
    for row in found:
        for column, name in roles.items():
            row[name] = row.pop(column) == user.pk
    return found


@register_exporter(
    "sponsorships_recorded",
    models=["organizations.Sponsorship", "organizations.SponsorContentApproval"],
)
def export_sponsorship_records(user: Any) -> dict[str, list[dict[str, Any]]]:
    """What the person did as site staff about sponsors (recorded or ended a
    sponsorship, recorded an approval), and the approvals of their own texts when they
    worked for a sponsor: two queries. Erasure: the rows stay, part of the public
    record, and the person's link to them goes (``SET_NULL``)."""
    sponsorships = Sponsorship.objects.filter(Q(recorded_by=user) | Q(ended_by=user))
    approvals = SponsorContentApproval.objects.filter(Q(recorded_by=user) | Q(author=user))
    return {
        "sponsorships": _with_roles(
            rows(sponsorships, *SPONSORSHIP_FIELDS, "recorded_by_id", "ended_by_id"),
            user,
            {"recorded_by_id": "recorded_by_you", "ended_by_id": "ended_by_you"},
        ),
        "approvals": _with_roles(
            rows(approvals, *APPROVAL_FIELDS, "recorded_by_id", "author_id"),
            user,
            {"recorded_by_id": "recorded_by_you", "author_id": "your_text"},
        ),
    }


@register_exporter(
    "medical_information_requests", models=["organizations.MedicalInformationRequest"]
)
def export_medical_information_requests(user: Any) -> list[dict[str, Any]]:
    """The person's private questions to sponsors' medical information services."""
    return rows(
        MedicalInformationRequest.objects.filter(asker=user),
        "sponsor__name", "medicine", "question", "language", "status", "sent_to", "created_at",
        "sent_at",
    )  # fmt: skip


@register_eraser("medical_information")
def erase_medical_information_requests(user: Any, mode: str) -> None:
    erase_requests_of(user)
