"""Organisations: public pages, read by anyone; their staff list, for the people who
manage it (the organisation's administrators and site staff, with their powers
active: a token never carries them)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from patientvoice.communities.models import Community
from patientvoice.communities.permissions import visible_communities
from patientvoice.organizations.models import Organization, OrganizationKind, OrganizationStaff
from patientvoice.organizations.permissions import check_manage_staff
from patientvoice.organizations.sponsorship_queries import FundingLine, funding_record

from ..auth import optional_auth, token_or_session
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import SLUG, ErrorOut

router = Router(tags=["organisations"])


class LogoOut(Schema):
    url: str
    width: int | None
    height: int | None


class OrganizationOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    language: str
    website: str
    contact_email: str
    registration_number: str
    funding: str  # Markdown, as the organisation wrote it
    verified: bool
    verified_at: datetime | None
    logo: LogoOut | None

    @staticmethod
    def resolve_verified(obj: Organization) -> bool:
        return obj.is_verified

    @staticmethod
    def resolve_logo(obj: Organization) -> dict[str, Any] | None:
        if not obj.logo:
            return None
        return {"url": obj.logo.url, "width": obj.logo_width, "height": obj.logo_height}


class HostedCommunityOut(Schema):
    slug: str
    name: str
    visibility: str


class OrganizationDetailOut(OrganizationOut):
    communities: list[HostedCommunityOut]

    @staticmethod
    def resolve_communities(obj: Organization) -> list[Community]:
        # Narrowed through visible_communities by the endpoint.
        return getattr(obj, "visible_hosted_communities", [])


class StaffOut(Schema):
    user: UUID
    handle: str
    role: str
    since: datetime

    @staticmethod
    def resolve_user(obj: OrganizationStaff) -> UUID:
        return obj.user.public_id

    @staticmethod
    def resolve_handle(obj: OrganizationStaff) -> str:
        return obj.user.handle

    @staticmethod
    def resolve_since(obj: OrganizationStaff) -> datetime:
        return obj.created_at


class OrganizationFilters(Schema):
    kind: OrganizationKind | None = None
    verified: bool | None = None


@router.get("/organisations", response=list[OrganizationOut], auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> Any:
    """Every organisation (their pages are public), by name; ``?kind=`` and
    ``?verified=true|false`` narrow the list."""
    qs = Organization.objects.order_by("name", "pk")
    if filters.kind is not None:
        qs = qs.filter(kind=filters.kind.value)
    if filters.verified is not None:
        qs = qs.filter(verified_at__isnull=not filters.verified)
    return qs


@router.get(
    "/organisations/{slug}",
    response={200: OrganizationDetailOut, 404: ErrorOut},
    auth=optional_auth,
)
def get_organization(request: HttpRequest, slug: str = SLUG) -> Any:
    """One organisation, with the communities it hosts that the caller may know of
    (a private one only for its members)."""
    organization = get_object_or_404(Organization, slug=slug)
    organization.visible_hosted_communities = list(  # type: ignore[attr-defined]
        visible_communities(request.user, Community.objects.filter(organization=organization))
        .order_by("name")
        .only("slug", "name", "visibility")
    )
    return organization


@router.get(
    "/organisations/{slug}/staff",
    response={200: list[StaffOut], 403: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def list_staff(request: HttpRequest, slug: str = SLUG) -> Any:
    """Who holds a role, for the organisation's administrators and site staff in a
    session that passed two-step verification (403 for everyone else, tokens
    included: managing staff is a privileged power)."""
    organization = get_object_or_404(Organization, slug=slug)
    check_manage_staff(request.user, organization)
    return (
        OrganizationStaff.objects.filter(organization=organization)
        .select_related("user")
        .order_by("role", "user__handle")
    )


# --- funding (decisions/0038) ----------------------------------------------------------


class OrganizationRefOut(Schema):
    slug: str
    name: str


class FundedCommunityOut(Schema):
    slug: str
    name: str


class FundingOut(Schema):
    id: UUID
    sponsor: OrganizationRefOut
    # "site" or "community"; a private community the caller may not know of is named
    # neither here nor on the funding page ("community": null, "private_community": true).
    scope: str
    community: FundedCommunityOut | None
    private_community: bool
    purpose: str
    language: str
    amount: str | None
    currency: str
    starts_on: date
    ends_on: date | None
    agreement_summary: str
    agreement_url: str
    ended_early: bool


class FundingRecordOut(Schema):
    current: list[FundingOut]
    upcoming: list[FundingOut]
    past: list[FundingOut]


def _funding_line(line: FundingLine) -> dict[str, Any]:
    s = line.sponsorship
    community = s.community if line.community_known else None
    return {
        "id": s.public_id,
        "sponsor": {"slug": s.sponsor.slug, "name": s.sponsor.name},
        "scope": "site" if s.community_id is None else "community",
        "community": (
            {"slug": community.slug, "name": community.name} if community is not None else None
        ),
        "private_community": s.community_id is not None and not line.community_known,
        "purpose": s.purpose,
        "language": s.language,
        "amount": None if s.amount is None else str(s.amount),
        "currency": s.currency,
        "starts_on": s.starts_on,
        "ends_on": s.ends_on,
        "agreement_summary": s.agreement_summary,
        "agreement_url": s.agreement_url,
        "ended_early": s.ended_at is not None,
    }


@router.get("/funding", response=FundingRecordOut, auth=optional_auth)
def get_funding(request: HttpRequest) -> Any:
    """Who funds the site and its communities, as the public funding page shows it:
    current, upcoming and past sponsorships. Sponsors have no editorial control."""
    record = funding_record(request.user)
    return {
        "current": [_funding_line(line) for line in record.current],
        "upcoming": [_funding_line(line) for line in record.upcoming],
        "past": [_funding_line(line) for line in record.past],
    }
