from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import signed_in_user
from patientvoice.communities.models import Community
from patientvoice.communities.permissions import visible_communities
from patientvoice.core.markup import render_markdown

from . import actions
from .forms import AddStaffForm
from .models import Organization, OrganizationStaff
from .permissions import can_manage_staff, check_manage_staff


@require_safe
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    communities = visible_communities(
        request.user, Community.objects.filter(organization=organization)
    )
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "communities": communities,
            # Staff-written text, rendered through the one Markdown module.
            "funding_html": render_markdown(organization.funding) if organization.funding else "",
            "can_manage_staff": can_manage_staff(request.user, organization),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_list(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    check_manage_staff(request.user, organization)
    form = AddStaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person: User = form.cleaned_data["handle"]
        try:
            actions.add_staff(
                actor=signed_in_user(request), organization=organization, user=person,
                role=form.cleaned_data["role"],
            )  # fmt: skip
        except PermissionDenied:
            form.add_error(
                "handle",
                pgettext(
                    "organisation staff",
                    "This person has not turned on two-step verification. Ask them to do "
                    "that first, under My account.",
                ),
            )
        else:
            messages.success(request, pgettext("organisation staff", "The role is given."))
            return redirect("organizations:staff", slug=organization.slug)
    staff = OrganizationStaff.objects.filter(organization=organization).select_related("user")
    return render(
        request,
        "organizations/staff_list.html",
        {"organization": organization, "staff": staff, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def staff_remove(request: HttpRequest, slug: str, user_id: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    check_manage_staff(request.user, organization)
    person = get_object_or_404(User, public_id=user_id)
    try:
        actions.remove_staff(actor=signed_in_user(request), organization=organization, user=person)
    except actions.LastAdministrator:
        messages.error(
            request,
            pgettext(
                "organisation staff",
                "An organisation needs at least one administrator. Give someone else the "
                "role first.",
            ),
        )
    else:
        messages.success(request, pgettext("organisation staff", "The role is taken away."))
    return redirect("organizations:staff", slug=organization.slug)
