"""Adviser pages (decisions/0037): an organisation's administrators invite verified
professionals as advisers to the communities it hosts and end roles; a professional
accepts or declines on their own page."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.organizations.models import Organization

from . import advisers
from .adviser_queries import hosted_communities, organisation_advisers, own_adviser_roles
from .errors import AdviserNotAProfessional, ProfessionalError
from .permissions import (
    access_adviser_role_as_admin,
    access_own_adviser_role,
    check_manage_advisers,
)
from .question_forms import EndAdviserForm, InviteAdviserForm


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def organisation_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's advisers and the invitation form, for its administrators
    (403 for everyone else, as the staff page). A refused invitation comes back (400,
    409) with what was typed."""
    user = signed_in_user(request)
    organization = get_object_or_404(Organization, slug=slug)
    check_manage_advisers(user, organization)
    communities = list(hosted_communities(user, organization))
    form = InviteAdviserForm(
        request.POST if request.method == "POST" else None, communities=communities
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                made = advisers.invite_adviser(
                    admin=user,
                    organization=organization,
                    professional=form.cleaned_data["handle"],
                    communities=form.cleaned_data["communities"],
                )
            except AdviserNotAProfessional as error:
                form.add_error("handle", str(error))
                status = error.status
            except ProfessionalError as error:
                form.add_error(None, str(error))
                status = error.status
            else:
                messages.success(
                    request,
                    pgettext(
                        "adviser form",
                        "Invited to %(communities)s. The professional is told and answers "
                        "on their own page.",
                    )
                    % {"communities": ", ".join(role.community.name for role in made)},
                )
                return redirect("professionals:organisation_advisers", slug=organization.slug)
    return render(
        request,
        "professionals/organisation_advisers.html",
        {
            "organization": organization,
            "roles": list(organisation_advisers(organization)[:200]),
            "form": form,
            "end_form": EndAdviserForm(),
            "has_communities": bool(communities),
        },
        status=status,
    )


@login_required
@require_POST
def end(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """An administrator ends a role or takes back an invitation (404 for anyone who does
    not manage the organisation's advisers: they must not learn who is invited)."""
    user = signed_in_user(request)
    role = access_adviser_role_as_admin(user, public_id)
    organization = role.community.organization
    assert organization is not None  # access_adviser_role_as_admin: hosted communities only
    form = EndAdviserForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("reason", [])))
    else:
        try:
            advisers.end_adviser_role(admin=user, role=role, reason=form.cleaned_data["reason"])
        except ProfessionalError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, pgettext("adviser form", "The adviser role is ended."))
    return redirect("professionals:organisation_advisers", slug=organization.slug)


@never_cache
@login_required
@require_http_methods(["GET"])
def own_roles(request: HttpRequest) -> HttpResponse:
    """A professional's invitations (to accept or decline) and adviser roles."""
    return _own_page(request)


def _own_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    user = signed_in_user(request)
    return render(
        request,
        "professionals/adviser_roles.html",
        {"roles": list(own_adviser_roles(user)), "error": error},
        status=status,
    )


@login_required
@require_POST
def accept(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Accept an invitation: only as an acting professional (403 with the reason on the
    page otherwise), only one's own (404), only while it waits (409)."""
    user = signed_in_user(request)
    role = access_own_adviser_role(user, public_id)
    try:
        advisers.accept_adviser_role(professional=user, role=role)
    except PermissionDenied as refused:
        return _own_page(request, error=str(refused), status=403)
    except ProfessionalError as error:
        return _own_page(request, error=str(error), status=error.status)
    messages.success(
        request,
        pgettext("adviser form", "You are now an adviser to %(community)s.")
        % {"community": role.community.name},
    )
    return redirect("professionals:adviser_roles")


@login_required
@require_POST
def decline(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    role = access_own_adviser_role(user, public_id)
    try:
        advisers.decline_adviser_role(professional=user, role=role)
    except ProfessionalError as error:
        return _own_page(request, error=str(error), status=error.status)
    messages.success(request, pgettext("adviser form", "You declined the invitation."))
    return redirect("professionals:adviser_roles")
