"""Advisers (decisions/0037): an organisation's administrators list, invite and end
the professionals who advise the communities it hosts; a professional lists, accepts
and declines their own invitations. The pages' rules through the same actions and
permissions (administrators act in a session with two-step verification, as on the
pages; a token never carries organisation powers)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import pgettext
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.accounts.queries import person_by_handle
from patientvoice.organizations.models import Organization
from patientvoice.professionals import advisers
from patientvoice.professionals.adviser_queries import (
    hosted_communities,
    organisation_advisers,
    own_adviser_roles,
)
from patientvoice.professionals.errors import ProfessionalError
from patientvoice.professionals.models import AdviserRole
from patientvoice.professionals.permissions import (
    access_adviser_role_as_admin,
    access_own_adviser_role,
    check_manage_advisers,
)

from ..auth import token_or_session
from ..errors import ApiError
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import ErrorOut, InputSchema

router = Router(tags=["advisers"])
ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}


@contextmanager
def _refusals() -> Iterator[None]:
    """An action's refusal in the API's one error shape."""
    try:
        yield
    except ProfessionalError as exc:
        raise ApiError(422 if exc.status == 400 else exc.status, exc.code, str(exc)) from None
    except PermissionDenied as exc:
        raise ApiError(403, "forbidden", str(exc)) from None


class AdviserRoleOut(Schema):
    public_id: UUID
    status: str
    community: str = Field(alias="community.slug")
    community_name: str = Field(alias="community.name")
    professional: str | None
    invited_at: datetime = Field(alias="created_at")
    responded_at: datetime | None
    ended_at: datetime | None

    @staticmethod
    def resolve_professional(obj: AdviserRole) -> str | None:
        return obj.professional.handle if obj.professional_id else None


class OwnRoleOut(Schema):
    public_id: UUID
    status: str
    community: str = Field(alias="community.slug")
    community_name: str = Field(alias="community.name")
    organization: str | None
    invited_at: datetime = Field(alias="created_at")

    @staticmethod
    def resolve_organization(obj: AdviserRole) -> str | None:
        organization = obj.community.organization
        return organization.name if organization is not None else None


class InviteIn(InputSchema):
    handle: str = Field(min_length=1, max_length=150)
    communities: list[str] = Field(min_length=1, max_length=50)


class EndIn(InputSchema):
    reason: str = Field(default="", max_length=AdviserRole.MAX_REASON)


def _managed(request: HttpRequest, slug: str) -> tuple[Any, Organization]:
    user = signed_in_user(request)
    organization = get_object_or_404(Organization, slug=slug)
    with _refusals():
        check_manage_advisers(user, organization)
    return user, organization


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid", message, [{"loc": ["body", field], "msg": message}])


# --- an organisation's administrators -------------------------------------------------------


@router.get(
    "/organisations/{slug}/advisers",
    response={200: list[AdviserRoleOut], **ERRORS},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def list_advisers(request: HttpRequest, slug: str) -> Any:
    """The adviser roles of the communities the organisation hosts, open ones first
    (its administrators only: 403 for others)."""
    _, organization = _managed(request, slug)
    return organisation_advisers(organization)


@router.post(
    "/organisations/{slug}/advisers",
    response={201: list[AdviserRoleOut], **ERRORS},
    auth=token_or_session,
)
def invite(request: HttpRequest, slug: str, payload: InviteIn) -> Any:
    """Invite the verified professional with ``handle`` to advise ``communities``
    (slugs of communities the organisation hosts). 422 names the field that is wrong;
    409 when they already advise every one of them."""
    user, organization = _managed(request, slug)
    person = person_by_handle(payload.handle)
    if person is None or not person.is_active or person.erasure_pending:
        raise _invalid("handle", pgettext("adviser form", "Nobody has that handle."))
    offered = {c.slug: c for c in hosted_communities(user, organization)}
    unknown = [s for s in payload.communities if s not in offered]
    if unknown:
        raise _invalid(
            "communities",
            pgettext("adviser api", "The organisation does not host: %(slugs)s")
            % {"slugs": ", ".join(unknown)},
        )
    with _refusals():
        made = advisers.invite_adviser(
            admin=user,
            organization=organization,
            professional=person,
            communities=[offered[s] for s in dict.fromkeys(payload.communities)],
        )
    return Status(201, made)


@router.post(
    "/advisers/{public_id}/end",
    response={200: AdviserRoleOut, **ERRORS},
    auth=token_or_session,
)
def end(request: HttpRequest, public_id: UUID, payload: EndIn) -> Any:
    """End a role or take back an invitation (404 for anyone who does not manage the
    organisation's advisers)."""
    user = signed_in_user(request)
    role = access_adviser_role_as_admin(user, public_id)
    with _refusals():
        return advisers.end_adviser_role(admin=user, role=role, reason=payload.reason)


# --- the professional's own -----------------------------------------------------------------


@router.get(
    "/professionals/me/adviser-roles",
    response={200: list[OwnRoleOut], **ERRORS},
    auth=token_or_session,
)
def my_roles(request: HttpRequest) -> Any:
    """The caller's open invitations and adviser roles."""
    return list(own_adviser_roles(signed_in_user(request)))


@router.post(
    "/professionals/me/adviser-roles/{public_id}/accept",
    response={200: OwnRoleOut, **ERRORS},
    auth=token_or_session,
)
def accept(request: HttpRequest, public_id: UUID) -> Any:
    """Accept an invitation: as an acting professional (403 with the reason), one's own
    only (404), while it waits (409)."""
    user = signed_in_user(request)
    role = access_own_adviser_role(user, public_id)
    with _refusals():
        return advisers.accept_adviser_role(professional=user, role=role)


@router.post(
    "/professionals/me/adviser-roles/{public_id}/decline",
    response={200: OwnRoleOut, **ERRORS},
    auth=token_or_session,
)
def decline(request: HttpRequest, public_id: UUID) -> Any:
    user = signed_in_user(request)
    role = access_own_adviser_role(user, public_id)
    with _refusals():
        return advisers.decline_adviser_role(professional=user, role=role)
