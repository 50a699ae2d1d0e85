"""The organisers' and jury's pages: create and edit a campaign, move it to the next
phase, publish its results, its jury and criteria, a juror's scores, and the review of
held votes.

Running a campaign is for the organisation's administrators with their powers active
(and acting site staff); others get 403, or 404 for a draft they may not know. A
refusal comes back with its reason and status, the form keeping what was typed.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import signed_in_user
from patientvoice.organizations.models import Organization

from . import actions, queries
from .errors import CampaignError, NotJuror
from .forms import CampaignForm, CriterionForm, JurorForm, ScoreForm
from .models import Campaign, CampaignStatus, JuryMember, Vote
from .permissions import (
    access_campaign,
    access_submission,
    check_manage_campaign,
    check_moderate_campaign,
    check_run_campaigns,
    is_juror,
)
from .views import render_landing


def _form_refusal(form: Any, error: CampaignError) -> int:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))
    return error.status


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, org_slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=org_slug)
    check_run_campaigns(request.user, organization)
    form = CampaignForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                campaign = actions.create_campaign(
                    actor=signed_in_user(request), organization=organization, values=form.values()
                )
            except CampaignError as error:
                status = _form_refusal(form, error)
            else:
                messages.success(
                    request,
                    pgettext(
                        "campaign form",
                        "The campaign is saved as a draft. Open it for submissions when it "
                        "is ready.",
                    ),
                )
                return redirect("campaigns:detail", slug=campaign.slug)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "organization": organization, "campaign": None},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = access_campaign(request.user, slug)
    check_manage_campaign(request.user, campaign)
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        initial=CampaignForm.initial_from(campaign),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.update_campaign(
                    actor=signed_in_user(request), campaign=campaign, values=form.values()
                )
            except CampaignError as error:
                status = _form_refusal(form, error)
            else:
                messages.success(request, pgettext("campaign form", "The campaign is saved."))
                return redirect("campaigns:detail", slug=campaign.slug)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "organization": campaign.organization, "campaign": campaign},
        status=status,
    )


PHASE_MESSAGES = {
    CampaignStatus.OPEN: pgettext_lazy("campaign phase", "The campaign is open for submissions."),
    CampaignStatus.VOTING: pgettext_lazy("campaign phase", "Voting has started."),
    CampaignStatus.CLOSED: pgettext_lazy(
        "campaign phase", "The campaign is closed. Publish the results when the jury is done."
    ),
    CampaignStatus.PUBLISHED: pgettext_lazy("campaign phase", "The results are published."),
}


@login_required
@require_POST
def advance(request: HttpRequest, slug: str) -> HttpResponse:
    """Move the campaign to the phase the form names (the next one)."""
    campaign = access_campaign(request.user, slug)
    check_manage_campaign(request.user, campaign)
    to = request.POST.get("to", "")
    actor = signed_in_user(request)
    try:
        if to == CampaignStatus.PUBLISHED:
            actions.publish_results(actor=actor, campaign=campaign)
        else:
            actions.advance_campaign(actor=actor, campaign=campaign, to=to)
    except CampaignError as error:
        # The landing page again, with the reason and the refusal's status (409).
        messages.error(request, str(error))
        return render_landing(request, campaign, status=error.status)
    messages.success(request, str(PHASE_MESSAGES[CampaignStatus(to)]))
    if to == CampaignStatus.PUBLISHED:
        return redirect("campaigns:results", slug=campaign.slug)
    return redirect("campaigns:detail", slug=campaign.slug)


@login_required
@require_http_methods(["GET", "POST"])
def jury(request: HttpRequest, slug: str) -> HttpResponse:
    """The jury members and the criteria: add and remove, until the results are out."""
    campaign = access_campaign(request.user, slug)
    check_manage_campaign(request.user, campaign)
    actor = signed_in_user(request)
    juror_form = JurorForm(request.POST if request.POST.get("do") == "add_juror" else None)
    criterion_form = CriterionForm(
        request.POST if request.POST.get("do") == "add_criterion" else None
    )
    status = 200
    if request.method == "POST":
        do = request.POST.get("do", "")
        try:
            if do == "add_juror":
                status = 400
                if juror_form.is_valid():
                    _add_juror(actor, campaign, juror_form)
                    return redirect("campaigns:jury", slug=campaign.slug)
            elif do == "add_criterion":
                status = 400
                if criterion_form.is_valid():
                    actions.add_criterion(
                        actor=actor, campaign=campaign, **criterion_form.cleaned_data
                    )
                    return redirect("campaigns:jury", slug=campaign.slug)
            elif do == "remove_juror":
                actions.remove_juror(
                    actor=actor, campaign=campaign, user_id=_int(request.POST.get("user"))
                )
                return redirect("campaigns:jury", slug=campaign.slug)
            elif do == "remove_criterion":
                actions.remove_criterion(
                    actor=actor, campaign=campaign, criterion_id=_int(request.POST.get("criterion"))
                )
                return redirect("campaigns:jury", slug=campaign.slug)
        except CampaignError as error:
            form = juror_form if do == "add_juror" else criterion_form
            status = _form_refusal(form, error)
    members = list(
        JuryMember.objects.filter(campaign=campaign).select_related("user").order_by("created_at")
    )
    progress = queries.jury_progress(campaign)
    return render(
        request,
        "campaigns/jury.html",
        {
            "campaign": campaign,
            "members": [(m, progress.get(m.user_id, 0)) for m in members],
            "criteria": queries.criteria_of(campaign),
            "juror_form": juror_form,
            "criterion_form": criterion_form,
            "rules_locked": actions.rules_locked(campaign),
        },
        status=status,
    )


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


def _add_juror(actor: User, campaign: Campaign, form: JurorForm) -> None:
    from patientvoice.accounts.handles import canonical_handle

    handle = form.cleaned_data["handle"].lstrip("@")
    person = User.objects.filter(
        handle_canonical=canonical_handle(handle), is_active=True, erasure_requested_at__isnull=True
    ).first()
    if person is None:
        raise CampaignError(
            pgettext("jury form", "There is no member with this handle."), field="handle"
        )
    actions.add_juror(actor=actor, campaign=campaign, user=person)


@login_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    """A jury member scores an approved submission against every criterion."""
    campaign = access_campaign(request.user, slug)
    submission = access_submission(request.user, campaign, public_id)
    user = signed_in_user(request)
    if not is_juror(user, campaign):
        return render(
            request,
            "campaigns/score_form.html",
            {"campaign": campaign, "submission": submission, "refused": str(NotJuror())},
            status=403,
        )
    criteria = queries.criteria_of(campaign)
    form = ScoreForm(
        request.POST if request.method == "POST" else None,
        criteria=criteria,
        current=queries.scores_by(user, submission),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.score_submission(juror=user, submission=submission, scores=form.scores())
            except CampaignError as error:
                status = _form_refusal(form, error)
            else:
                messages.success(request, pgettext("jury form", "Your scores are saved."))
                return redirect("campaigns:gallery", slug=campaign.slug)
    return render(
        request,
        "campaigns/score_form.html",
        {"campaign": campaign, "submission": submission, "form": form, "refused": ""},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def held_votes(request: HttpRequest, slug: str) -> HttpResponse:
    """Votes held in a burst from new accounts: count or discard each."""
    campaign = access_campaign(request.user, slug)
    check_moderate_campaign(request.user, campaign)
    status = 200
    decision = request.POST.get("decision", "")
    if request.method == "POST" and decision not in ("count", "discard"):
        # Never a silent discard: a form sent without its button decides nothing.
        messages.error(
            request, pgettext("held votes", "Choose whether to count or discard the vote.")
        )
        status = 400
    elif request.method == "POST":
        vote = (
            queries.held_votes(request.user, campaign)
            .filter(pk=_int(request.POST.get("vote")))
            .first()
        )
        if vote is None:
            messages.error(request, pgettext("held votes", "This vote was already reviewed."))
            status = 409
        else:
            try:
                actions.review_held_vote(
                    moderator=signed_in_user(request),
                    vote=vote,
                    count=decision == "count",
                )
            except CampaignError as error:
                messages.error(request, str(error))
                status = error.status
            else:
                return redirect("campaigns:held_votes", slug=campaign.slug)
    votes: list[Vote] = list(queries.held_votes(request.user, campaign)[:200])
    return render(
        request,
        "campaigns/held_votes.html",
        {"campaign": campaign, "votes": votes},
        status=status,
    )
