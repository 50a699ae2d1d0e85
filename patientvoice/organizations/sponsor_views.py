"""The funding pages (decisions/0038): the public transparency page, and site staff's
pages to record and end sponsorships and to record the approval of a sponsor's text.

* ``/<lang>/organisations/funding/``: every funder, what it funds, its period, amount
  and agreement, past ones too, and the rules a sponsor is bound by (public).
* ``funding/new/``, ``funding/<id>/end/``: record or end a sponsorship (site staff).
* ``funding/approvals/``, ``funding/approvals/<case id>/``: texts by sponsor staff
  waiting for their recorded approval, in a sponsor-controlled deployment (site staff).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.moderation.errors import ModerationError

from . import sponsor_approval, sponsorship
from .models import Sponsorship
from .permissions import can_record_sponsorships, check_administer_organizations
from .promotion import sponsor_controlled
from .sponsor_forms import ApprovalForm, EndSponsorshipForm, SponsorshipForm
from .sponsorship_queries import funding_record


@require_safe
def funding(request: HttpRequest) -> HttpResponse:
    """The public record of who funds the site and its communities."""
    return render(
        request,
        "organizations/funding.html",
        {
            "record": funding_record(request.user),
            "can_manage": can_record_sponsorships(request.user),
            "sponsor_controlled": sponsor_controlled(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sponsorship_new(request: HttpRequest) -> HttpResponse:
    """Site staff record a sponsorship; a refused one comes back with its reason next
    to the field (400) and everything typed kept."""
    check_administer_organizations(request.user)
    form = SponsorshipForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sponsorship.record_sponsorship(
                actor=signed_in_user(request),
                sponsor=data["sponsor"],
                community=data["community"],
                purpose=data["purpose"],
                agreement_summary=data["agreement_summary"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                amount=data["amount"],
                currency=data["currency"],
                agreement_url=data["agreement_url"],
                language=data["language"],
            )
        except sponsorship.SponsorshipError as error:
            form.add_error(error.field or None, str(error))
        else:
            messages.success(
                request,
                pgettext(
                    "sponsorship",
                    "The sponsorship is recorded. Its notice shows where it applies from "
                    "its start date.",
                ),
            )
            return redirect("organizations:funding")
    return render(
        request,
        "organizations/sponsorship_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sponsorship_end(request: HttpRequest, public_id: str) -> HttpResponse:
    """Site staff end a sponsorship early, with a reason."""
    check_administer_organizations(request.user)
    current = get_object_or_404(
        Sponsorship.objects.select_related("sponsor", "community"), public_id=public_id
    )
    form = EndSponsorshipForm(request.POST if request.method == "POST" else None)
    if current.ended_at is None and request.method == "POST" and form.is_valid():
        try:
            sponsorship.end_sponsorship(
                actor=signed_in_user(request),
                sponsorship=current,
                reason=form.cleaned_data["reason"],
            )
        except sponsorship.SponsorshipError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, pgettext("sponsorship", "The sponsorship has ended."))
            return redirect("organizations:funding")
    return render(
        request,
        "organizations/sponsorship_end.html",
        {"sponsorship": current, "form": form},
        status=400 if form.errors else 200,
    )


def _approvals_page(
    request: HttpRequest, *, form: ApprovalForm | None = None, failed: str = ""
) -> HttpResponse:
    cases = list(sponsor_approval.approval_queue(request.user)[:200])
    return render(
        request,
        "organizations/sponsor_approvals.html",
        {
            "cases": cases,
            "form": form or ApprovalForm(),
            "failed": failed,
            "sponsor_controlled": sponsor_controlled(),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_safe
def sponsor_approvals(request: HttpRequest) -> HttpResponse:
    """Site staff: texts by sponsor staff waiting for their recorded approval, oldest
    first."""
    check_administer_organizations(request.user)
    return _approvals_page(request)


@login_required
@require_POST
def sponsor_approve(request: HttpRequest, case_id: str) -> HttpResponse:
    """Record the approval of one text and publish it. A refusal shows the list again
    with the reason beside the text and what was typed kept (400)."""
    check_administer_organizations(request.user)
    case = sponsor_approval.approval_queue(request.user).filter(public_id=case_id).first()
    if case is None:
        raise Http404
    form = ApprovalForm(request.POST)
    if form.is_valid():
        try:
            sponsor_approval.approve_sponsor_content(
                actor=signed_in_user(request),
                case=case,
                approver=form.cleaned_data["approver"],
                reference=form.cleaned_data["reference"],
            )
        except sponsor_approval.ApprovalError as error:
            form.add_error(error.field or None, str(error))
        except ModerationError as error:  # decided meanwhile, gone: said by moderation
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                pgettext("sponsor approval", "The approval is recorded and the text published."),
            )
            return redirect("organizations:sponsor_approvals")
    return _approvals_page(request, form=form, failed=str(case.public_id))
