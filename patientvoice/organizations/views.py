from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import has_mfa, signed_in_user
from patientvoice.communities.models import Community
from patientvoice.communities.permissions import visible_communities
from patientvoice.core.images import ImageNotStored, storage_failed_message
from patientvoice.core.markup import render_markdown
from patientvoice.professionals.question_queries import organisation_answer_stats
from patientvoice.stories.queries import featured_for_organization

from . import actions
from .forms import AddStaffForm, OrganizationCreateForm, OrganizationEditForm, VerificationForm
from .models import Organization, OrganizationKind, OrganizationStaff
from .permissions import (
    can_administer_organizations,
    can_edit_organization,
    can_manage_staff,
    check_administer_organizations,
    check_edit_organization,
    check_manage_staff,
)
from .sponsorship_queries import SponsorLabel, funding_record

ORGANIZATIONS_PER_PAGE = 50


@require_safe
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    communities = visible_communities(
        request.user, Community.objects.filter(organization=organization)
    )
    is_sponsor = organization.kind == OrganizationKind.SPONSOR
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "organization": organization,
            "communities": communities,
            # Staff-written text, rendered through the one Markdown module.
            "funding_html": render_markdown(organization.funding) if organization.funding else "",
            "can_manage_staff": can_manage_staff(request.user, organization),
            "can_edit": can_edit_organization(request.user, organization),
            "can_verify": can_administer_organizations(request.user),
            # A sponsor's page says what it funds and links to the transparency page.
            "is_sponsor": is_sponsor,
            "funded": funding_record(request.user, sponsor=organization) if is_sponsor else None,
            # Stories the organisation features (decisions/0040).
            "featured_stories": []
            if is_sponsor
            else list(featured_for_organization(request.user, organization)[:6]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's administrators (and site staff) edit its page and logo. A
    picture we cannot accept comes back with its reason (400) and the other fields
    kept."""
    organization = get_object_or_404(Organization, slug=slug)
    check_edit_organization(request.user, organization)
    form = OrganizationEditForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=OrganizationEditForm.initial_from(organization),
        verified=organization.is_verified,
        sponsor=organization.kind == OrganizationKind.SPONSOR,
    )
    if request.method == "POST" and form.is_valid():
        try:
            edit = actions.edit_organization_page(
                actor=signed_in_user(request),
                organization=organization,
                fields=form.page_fields(),
                logo=form.cleaned_data["logo"],
                remove_logo=form.cleaned_data["remove_logo"],
            )
        except ImageNotStored:
            # Nothing was saved (one transaction); the form comes back as it was sent.
            organization.refresh_from_db()
            form.add_error("logo", storage_failed_message())
        else:
            messages.success(request, pgettext("organisation", "The page is saved."))
            if edit.verification_withdrawn:
                messages.warning(
                    request,
                    pgettext(
                        "organisation",
                        "The verified badge is removed, because the name, registration "
                        "number, website or contact e-mail changed. Site staff will check "
                        "the organisation again.",
                    ),
                )
            return redirect(organization)
    return render(
        request,
        "organizations/organization_edit.html",
        {"organization": organization, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def organization_manage(request: HttpRequest) -> HttpResponse:
    """Site staff: every organisation, with its verification and the means to change
    it."""
    check_administer_organizations(request.user)
    return _manage_page(request)


def _manage_page(
    request: HttpRequest,
    *,
    form: VerificationForm | None = None,
    failed: Organization | None = None,
) -> HttpResponse:
    """The list of organisations; after a refused verification decision, with the
    form's errors next to ``failed`` (400)."""
    page = Paginator(
        Organization.objects.select_related("verified_by").order_by("name"),
        ORGANIZATIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/organization_manage.html",
        {
            "page": page,
            "verification_form": form or VerificationForm(),
            "failed_slug": failed.slug if failed is not None else "",
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    check_administer_organizations(request.user)
    form = OrganizationCreateForm(
        request.POST if request.method == "POST" else None, initial={"language": "sv"}
    )
    if request.method == "POST" and form.is_valid():
        organization = actions.create_organization(
            actor=signed_in_user(request),
            kind=form.cleaned_data["kind"],
            verified=form.cleaned_data["verified"],
            **form.page_fields(),
        )
        messages.success(
            request,
            pgettext(
                "organisation",
                "The organisation is created. Now give someone the administrator role.",
            ),
        )
        return redirect("organizations:staff", slug=organization.slug)
    return render(
        request,
        "organizations/organization_create.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def organization_verify(request: HttpRequest, slug: str) -> HttpResponse:
    """Verify (``decision=verify``) or withdraw the verification (``withdraw``, with a
    reason). A refused decision shows the list again with the error beside the
    organisation (400)."""
    check_administer_organizations(request.user)
    organization = get_object_or_404(Organization, slug=slug)
    form = VerificationForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, form=form, failed=organization)
    actor, reason = signed_in_user(request), form.cleaned_data["reason"]
    if form.cleaned_data["decision"] == "verify":
        actions.verify_organization(actor=actor, organization=organization, reason=reason)
        messages.success(
            request,
            pgettext("organisation verification", "%(name)s is verified.")
            % {"name": organization.name},
        )
    else:
        actions.withdraw_verification(actor=actor, organization=organization, reason=reason)
        messages.success(
            request,
            pgettext("organisation verification", "%(name)s is no longer verified.")
            % {"name": organization.name},
        )
    return redirect("organizations:manage")


@login_required
@require_http_methods(["GET", "POST"])
def staff_list(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    check_manage_staff(request.user, organization)
    form = AddStaffForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        person: User = form.cleaned_data["handle"]
        try:
            actions.add_staff(
                actor=signed_in_user(request), organization=organization, user=person,
                role=form.cleaned_data["role"],
            )  # fmt: skip
        except PermissionDenied as refused:
            # No second factor, or the sponsor fence (sponsor_fence): say which.
            form.add_error(
                "handle",
                str(refused)
                if has_mfa(person)
                else pgettext(
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
        {
            "organization": organization,
            "staff": staff,
            "form": form,
            # Questions for professionals in its communities (decisions/0037).
            "answer_stats": organisation_answer_stats(organization),
            # Everyone working for a sponsor carries its label wherever they write
            # (decisions/0038).
            "is_sponsor": organization.kind == OrganizationKind.SPONSOR,
            "sponsor_label": SponsorLabel(organization.pk, organization.name, organization.slug),
        },
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
