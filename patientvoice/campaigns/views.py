"""Campaign pages for everyone: the list, an organisation's campaigns, the landing
page, the submission form, the gallery, a submission (with its vote button), its
private files, withdrawal and the results.

Every refusal comes back with its translated reason and status (400, 403, 409, 429)
and the form keeps what was typed; content a person may not know exists answers 404.
The organisers' pages are in ``manage_views.py``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.core.publishing import ContentTooLong
from patientvoice.moderation.errors import MemberSanctioned
from patientvoice.organizations.models import Organization

from . import actions, files, queries
from .errors import CampaignError
from .forms import SubmissionForm
from .models import STATUS_ORDER, Campaign, CampaignStatus, Submission, SubmissionKind
from .permissions import (
    access_campaign,
    access_submission,
    can_manage_campaign,
    can_moderate_campaign,
    can_run_campaigns,
    can_withdraw,
    check_read_private_files,
    check_withdraw,
    is_juror,
)
from .presentation import DETAIL_SIZES, GALLERY_SIZES, counts_shown, media_of
from .results import standings

PER_PAGE = 24


def _language() -> str:
    return (get_language() or "sv")[:2]


def _phase(campaign: Campaign) -> dict[str, Any]:
    now = timezone.now()
    return {
        "taking_submissions": campaign.status == CampaignStatus.OPEN
        and campaign.submissions_open_at <= now < campaign.submissions_close_at,
        "voting_open": actions.voting_is_open(campaign),
        "show_counts": counts_shown(campaign),
    }


# --- lists ---------------------------------------------------------------------------------


@require_safe
def campaign_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.campaign_list(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "campaigns/campaign_list.html", {"page": page})


@require_safe
def organization_campaigns(request: HttpRequest, org_slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=org_slug)
    page = Paginator(queries.organization_campaigns(request.user, organization), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "campaigns/organization_campaigns.html",
        {
            "organization": organization,
            "page": page,
            "can_create": can_run_campaigns(request.user, organization),
        },
    )


# --- one campaign --------------------------------------------------------------------------


@require_safe
def landing(request: HttpRequest, slug: str) -> HttpResponse:
    return render_landing(request, access_campaign(request.user, slug))


def render_landing(request: HttpRequest, campaign: Campaign, *, status: int = 200) -> HttpResponse:
    """The landing page; also shown again (with its status) when moving the campaign on
    is refused, the reason in the page's messages."""
    manager = can_manage_campaign(request.user, campaign)
    moderator = can_moderate_campaign(request.user, campaign)
    return render(
        request,
        "campaigns/campaign_detail.html",
        {
            "campaign": campaign,
            **_phase(campaign),
            "own": queries.own_submissions(request.user, campaign),
            "can_manage": manager,
            "can_moderate": moderator,
            "held_count": queries.held_submission_count(request.user, campaign) if moderator else 0,
            "held_votes": queries.held_votes(request.user, campaign).count() if moderator else 0,
            "is_juror": is_juror(request.user, campaign),
            "next_status": _next_status(campaign) if manager else None,
        },
        status=status,
    )


def _next_status(campaign: Campaign) -> str | None:
    position = STATUS_ORDER.index(campaign.status)
    if position + 1 >= len(STATUS_ORDER):
        return None
    return STATUS_ORDER[position + 1]


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, slug: str) -> HttpResponse:
    """The submission form. A refusal comes back with its reason on its field, the
    status it deserves and everything typed kept (a file must be chosen again: browsers
    never keep one)."""
    campaign = access_campaign(request.user, slug)
    user = signed_in_user(request)
    status = 200
    closed_reason = ""
    try:
        actions.check_submissions_open(campaign)
    except CampaignError as error:
        closed_reason = str(error)
        # Sending to a closed campaign is a conflict; reading why is not an error.
        status = error.status if request.method == "POST" else 200
    form = SubmissionForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        campaign=campaign,
    )
    if request.method == "POST" and not closed_reason:
        if form.is_valid():
            try:
                result = actions.submit_entry(
                    author=user,
                    campaign=campaign,
                    entry=form.entry(request.FILES.get("file")),
                    language=_language(),
                )
            except (CampaignError, MemberSanctioned, PermissionDenied, ContentTooLong) as error:
                status = _refusal(form, error)
            else:
                return _after_submit(request, campaign, result.content, result)
        else:
            status = 400
    elif request.method == "POST":
        form.is_valid()  # keep what was typed visible next to the reason
    return render(
        request,
        "campaigns/submission_form.html",
        {"campaign": campaign, "form": form, "closed_reason": closed_reason},
        status=status,
    )


def _refusal(form: SubmissionForm, error: Exception) -> int:
    if isinstance(error, CampaignError):
        field = error.field if error.field in form.fields else None
        form.add_error(field, str(error))
        return error.status
    if isinstance(error, ContentTooLong):
        form.add_error(
            "text",
            pgettext("submission form", "Keep the text under %(limit)s characters.")
            % {"limit": error.args[0]},
        )
        return 400
    message = getattr(error, "message", None) or str(error)
    form.add_error(None, str(message))
    return 429 if getattr(error, "status", None) == 429 else 403


def _after_submit(
    request: HttpRequest, campaign: Campaign, submission: Any, result: Any
) -> HttpResponse:
    if result.help_panels:
        request.session["pv_help_panels"] = result.help_panels
    for message in result.hold_messages:
        messages.warning(request, str(message))
    messages.success(
        request,
        pgettext(
            "submission",
            "Thank you! Your submission is sent. A moderator looks at it before others can "
            "see it; until then only you and the moderators can.",
        ),
    )
    return redirect("campaigns:submission", slug=campaign.slug, public_id=submission.public_id)


@require_safe
def gallery(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = access_campaign(request.user, slug)
    page = Paginator(queries.gallery(request.user, campaign), PER_PAGE).get_page(
        request.GET.get("page")
    )
    voted = queries.own_votes(request.user, campaign)
    for submission in page.object_list:
        submission.campaign = campaign
    cards = [
        {"submission": s, "media": media_of(s), "voted": s.pk in voted} for s in page.object_list
    ]
    return render(
        request,
        "campaigns/gallery.html",
        {
            "campaign": campaign,
            "page": page,
            "cards": cards,
            "sizes": GALLERY_SIZES,
            **_phase(campaign),
        },
    )


def _submission_context(
    request: HttpRequest, campaign: Campaign, submission: Submission
) -> dict[str, Any]:
    user = request.user
    voted = queries.own_votes(user, campaign) if getattr(user, "is_authenticated", False) else set()
    return {
        "campaign": campaign,
        "submission": submission,
        "media": media_of(submission),
        "sizes": DETAIL_SIZES,
        "voted": submission.pk in voted,
        "voted_in_campaign": bool(voted),
        "can_withdraw": can_withdraw(user, submission),
        "is_own": getattr(user, "pk", None) == submission.author_id,
        "is_juror": is_juror(user, campaign),
        "can_moderate": can_moderate_campaign(user, campaign),
        "help_panels": request.session.pop("pv_help_panels", [])
        if getattr(user, "is_authenticated", False)
        else [],
        **_phase(campaign),
    }


@require_safe
def submission_detail(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    campaign = access_campaign(request.user, slug)
    submission = access_submission(request.user, campaign, public_id)
    return render(
        request,
        "campaigns/submission_detail.html",
        _submission_context(request, campaign, submission),
    )


@never_cache
@login_required
@require_safe
def submission_file(
    request: HttpRequest, slug: str, public_id: uuid.UUID, variant: str
) -> FileResponse:
    """A submission's file or poster from private storage, for its author and the
    campaign's moderators (an approved one is served from public storage instead).
    ``nosniff``, a sandbox and never cached."""
    campaign = access_campaign(request.user, slug)
    submission = access_submission(request.user, campaign, public_id)
    check_read_private_files(request.user, submission)
    name = {"file": submission.file_name, "poster": submission.poster_name}.get(variant, "")
    if not name:
        raise Http404
    try:
        handle = files.open_private(name)
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = submission.content_type if variant == "file" else "image/webp"
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def vote(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    """Cast a vote; a refusal shows the submission again with the reason and its status."""
    campaign = access_campaign(request.user, slug)
    submission = access_submission(request.user, campaign, public_id)
    try:
        actions.cast_vote(voter=signed_in_user(request), submission=submission)
    except CampaignError as error:
        context = _submission_context(request, campaign, submission)
        context["vote_error"] = str(error)
        return render(request, "campaigns/submission_detail.html", context, status=error.status)
    messages.success(request, pgettext("vote", "Thank you for your vote."))
    if request.POST.get("next") == "gallery":
        return redirect("campaigns:gallery", slug=campaign.slug)
    return redirect("campaigns:submission", slug=campaign.slug, public_id=submission.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, slug: str, public_id: uuid.UUID) -> HttpResponse:
    campaign = access_campaign(request.user, slug)
    submission = access_submission(request.user, campaign, public_id)
    check_withdraw(request.user, submission)
    if request.method == "POST":
        actions.withdraw_submission(author=signed_in_user(request), submission=submission)
        messages.success(
            request,
            pgettext("submission", "Your submission is withdrawn. Its files are deleted."),
        )
        return redirect("campaigns:detail", slug=campaign.slug)
    return render(
        request,
        "campaigns/withdraw_confirm.html",
        {"campaign": campaign, "submission": submission},
    )


@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """The winners and the combined score table once published; the organisers see a
    preview computed now before that."""
    campaign = access_campaign(request.user, slug)
    preview = None
    rows: list[Any] = []
    if campaign.results_published:
        rows = list(queries.results(request.user, campaign))
        for row in rows:
            row.campaign = campaign
    elif can_manage_campaign(request.user, campaign):
        preview = standings(campaign)
    winners = [{"submission": row, "media": media_of(row)} for row in rows if row.is_winner]
    return render(
        request,
        "campaigns/results.html",
        {
            "campaign": campaign,
            "rows": rows,
            "winners": winners,
            "preview": preview,
            "sizes": GALLERY_SIZES,
            "text_kind": SubmissionKind.TEXT,
        },
    )
