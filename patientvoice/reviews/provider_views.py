"""Pages of the provider's voice (decisions/0032): claiming a physician's or clinic's
page, staff's list of claims, a provider's reply, the reviewer's "this reply helped"
and "a change was made", disputes, the reviewer's answer to a moderator's question,
and the member's review notices.

Every refusal from the actions comes back with its translated message and status
(``ReviewError.status``: 400, 403, 409, 429) and the form keeps what was typed.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.core.publishing import ContentTooLong, PublishResult
from patientvoice.moderation.errors import FlagLimit, MemberSanctioned
from patientvoice.moderation.permissions import check_decide

from . import provider_actions as actions
from .dimensions import KINDS
from .errors import ReplyExists, ReviewError
from .kinds import review_url
from .models import ProviderClaim, Review, ReviewDispute, ReviewReply
from .permissions import access_review
from .provider_forms import (
    ChangeMadeForm,
    ClaimDecisionForm,
    ClaimForm,
    ContextAnswerForm,
    ContextQuestionForm,
    DisputeForm,
    ReplyForm,
    RevokeClaimForm,
)
from .provider_permissions import (
    check_decide_claims,
    check_dispute,
    check_edit_reply,
    check_reply,
    check_reviewer,
    visible_claims,
    visible_disputes,
)
from .provider_queries import (
    CLAIM_FILTERS,
    DEFAULT_CLAIM_FILTER,
    claims_for_staff,
    entry_voice,
    review_notices,
)

CLAIMS_PER_PAGE = 25
NOTICES_PER_PAGE = 25
CLAIMABLE = ("physician", "clinic")


def _refusal_status(error: Exception) -> int:
    if isinstance(error, ReviewError):
        return error.status
    if isinstance(error, FlagLimit):
        return 429
    if isinstance(error, MemberSanctioned):
        return 403
    return 400


def _entry(kind: str, slug: str) -> Any:
    if kind not in CLAIMABLE:
        raise Http404
    model: Any = KINDS[kind].model
    entry = model.objects.filter(slug=slug, is_active=True).first()
    if entry is None:
        raise Http404
    return entry


def _entry_url(kind: str, entry: Any) -> str:
    return reverse(KINDS[kind].url_name, kwargs={"slug": entry.slug})


# --- claims -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def claim_request(request: HttpRequest, kind: str, slug: str) -> HttpResponse:
    """ "Is this you / your clinic? Claim this page": a member asks staff to let them
    speak for the entry."""
    user = signed_in_user(request)
    entry = _entry(kind, slug)
    # One query: who speaks for the page already, and the member's own live claim.
    voice = entry_voice(user, entry)
    own = voice.own
    posted = request.method == "POST"
    form = ClaimForm(request.POST if posted else None)
    status = 200
    if posted and own is None:
        status = 400
        if form.is_valid():
            try:
                actions.request_claim(
                    user=user,
                    entry=entry,
                    role=form.cleaned_data["role"],
                    evidence=form.cleaned_data["evidence"],
                )
            except (ReviewError, MemberSanctioned) as error:
                form.add_error(None, str(error))
                status = _refusal_status(error)
            else:
                messages.success(
                    request,
                    pgettext(
                        "claim form",
                        "Thank you. Staff will check your claim and tell you what they decide.",
                    ),
                )
                return redirect(_entry_url(kind, entry))
    return render(
        request,
        "reviews/provider/claim_form.html",
        {
            "form": form,
            "entry": entry,
            "kind": kind,
            "own": own,
            "managed": voice.claimed,
            "entry_url": _entry_url(kind, entry),
        },
        status=status,
    )


def _claims_response(
    request: HttpRequest,
    user: Any,
    show: str,
    *,
    failed: ProviderClaim | None = None,
    failed_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    """Staff's list of claims in filter ``show`` (pending, approved, decided), each
    pending one with its decision form and each approved one with a revoke form. After
    a refused decision or revocation, ``failed`` and ``failed_form`` keep the reason
    typed and show the error (at the top too, when the claim left the list)."""
    show = show if show in CLAIM_FILTERS else DEFAULT_CLAIM_FILTER
    page = Paginator(claims_for_staff(user, show), CLAIMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    listed = failed is not None and any(c.pk == failed.pk for c in page.object_list)
    return render(
        request,
        "reviews/provider/claim_list.html",
        {
            "page": page,
            "show": show,
            "filters": list(CLAIM_FILTERS),
            "failed": failed,
            "failed_form": failed_form,
            "failed_listed": listed,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET"])
def claim_list(request: HttpRequest) -> HttpResponse:
    """Site staff: the claims, by ``?show=``: pending (oldest first, each with its
    decision form), approved (each with a revoke form) or decided (rejected or
    revoked, the record)."""
    user = signed_in_user(request)
    check_decide_claims(user)
    return _claims_response(request, user, request.GET.get("show", DEFAULT_CLAIM_FILTER))


def _claim_for_staff(user: Any, public_id: uuid.UUID) -> ProviderClaim:
    check_decide_claims(user)
    claim = visible_claims(
        user, ProviderClaim.objects.filter(public_id=public_id).select_related("user")
    ).first()
    if claim is None:
        raise Http404
    return claim


@login_required
@require_POST
def claim_decide(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    claim = _claim_for_staff(user, public_id)
    form = ClaimDecisionForm(request.POST, auto_id=f"%s-{claim.public_id}")
    status = 400
    if form.is_valid():
        try:
            actions.decide_claim(
                staff=user,
                claim=claim,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except ReviewError as error:
            form.add_error(None, str(error))
            status = error.status
        else:
            messages.success(request, pgettext("claim list", "Decided. The member is told."))
            return redirect("reviews:claim_list")
    return _claims_response(request, user, "pending", failed=claim, failed_form=form, status=status)


@login_required
@require_POST
def claim_revoke(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Site staff revoke an approved claim with a reason the member reads. No reason:
    400; a claim that is not approved (any more): 409; the reason typed is kept."""
    user = signed_in_user(request)
    claim = _claim_for_staff(user, public_id)
    form = RevokeClaimForm(request.POST, auto_id=f"revoke-%s-{claim.public_id}")
    status = 400
    if form.is_valid():
        try:
            actions.revoke_claim(staff=user, claim=claim, reason=form.cleaned_data["reason"])
        except ReviewError as error:
            form.add_error(None, str(error))
            status = error.status
        else:
            messages.success(
                request,
                pgettext(
                    "claim list",
                    "Revoked. The member is told; their replies stay, no longer shown as "
                    "the page's voice.",
                ),
            )
            return redirect(reverse("reviews:claim_list") + "?show=approved")
    return _claims_response(
        request, user, "approved", failed=claim, failed_form=form, status=status
    )


# --- replies ------------------------------------------------------------------------------


def _announce(request: HttpRequest, result: PublishResult, done: str) -> None:
    if result.held:
        messages.warning(
            request,
            pgettext(
                "reply form",
                "Your reply is saved, but it waits for a moderator before others can see it.",
            ),
        )
        for message in result.hold_messages:
            messages.warning(request, message)
    else:
        messages.success(request, done)


def _reply_page(
    request: HttpRequest, review: Review, form: ReplyForm, *, status: int = 200, editing: bool
) -> HttpResponse:
    return render(
        request,
        "reviews/provider/reply_form.html",
        {"form": form, "review": review, "review_url": review_url(review), "editing": editing},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reply_write(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A claimed provider's reply to a review. Anyone else is refused (403) with the
    reason, keeping what they typed."""
    user = signed_in_user(request)
    review = access_review(user, public_id)
    if ReviewReply.objects.filter(review=review, author=user).exists():
        return redirect("reviews:reply_edit", public_id=review.public_id)
    posted = request.method == "POST"
    form = ReplyForm(request.POST if posted else None)
    try:
        check_reply(user, review)
    except ReviewError as error:
        form.is_valid() if posted else None
        form.add_error(None, str(error))
        return _reply_page(request, review, form, status=error.status, editing=False)
    if not posted:
        return _reply_page(request, review, form, editing=False)
    if form.is_valid():
        try:
            result = actions.reply_to_review(
                author=user,
                review=review,
                body=form.cleaned_data["body"],
                language=(get_language() or "sv")[:2],
            )
        except (ReviewError, MemberSanctioned) as error:
            form.add_error(None, str(error))
            status = _refusal_status(error)
            if isinstance(error, ReplyExists):
                status = 409
            return _reply_page(request, review, form, status=status, editing=False)
        except ContentTooLong:
            form.add_error("body", pgettext("reply form", "Your reply is too long."))
        else:
            _announce(request, result, pgettext("reply form", "Your reply is published."))
            return HttpResponseRedirect(review_url(review) or "/")
    return _reply_page(request, review, form, status=400, editing=False)


def _own_reply(user: Any, review: Review) -> ReviewReply:
    reply = ReviewReply.objects.filter(review=review).first()  # visibility: author only, below
    if reply is None or reply.author_id != user.pk:
        raise Http404
    return reply


@login_required
@require_http_methods(["GET", "POST"])
def reply_edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    review = access_review(user, public_id)
    reply = _own_reply(user, review)
    posted = request.method == "POST"
    form = ReplyForm(request.POST if posted else None, initial={"body": reply.body})
    try:
        check_edit_reply(user, reply)
    except ReviewError as error:
        if posted:
            form.is_valid()
        form.add_error(None, str(error))
        return _reply_page(request, review, form, status=error.status, editing=True)
    if not posted:
        return _reply_page(request, review, form, editing=True)
    if form.is_valid():
        try:
            result = actions.edit_reply(editor=user, reply=reply, body=form.cleaned_data["body"])
        except (ReviewError, MemberSanctioned) as error:
            form.add_error(None, str(error))
            return _reply_page(request, review, form, status=_refusal_status(error), editing=True)
        except ContentTooLong:
            form.add_error("body", pgettext("reply form", "Your reply is too long."))
        else:
            _announce(request, result, pgettext("reply form", "Your reply is saved."))
            return HttpResponseRedirect(review_url(review) or "/")
    return _reply_page(request, review, form, status=400, editing=True)


def _reviewers_reply(user: Any, public_id: uuid.UUID) -> tuple[Review, ReviewReply]:
    review = access_review(user, public_id)
    reply = ReviewReply.objects.filter(review=review).first()
    if reply is None:
        raise Http404
    reply.review = review
    try:
        check_reviewer(user, reply)
    except ReviewError as error:
        raise PermissionDenied(str(error)) from error
    return review, reply


@login_required
@require_POST
def reply_helped(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The reviewer's "this reply helped" (``helped=0`` takes it back)."""
    user = signed_in_user(request)
    review, reply = _reviewers_reply(user, public_id)
    helped = request.POST.get("helped", "1") != "0"
    actions.mark_reply_helped(reviewer=user, reply=reply, helped=helped)
    messages.success(
        request,
        pgettext("reply", "Thank you: you said the reply helped.")
        if helped
        else pgettext("reply", "Taken back."),
    )
    return HttpResponseRedirect(review_url(review) or "/")


@login_required
@require_http_methods(["GET", "POST"])
def reply_change(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The reviewer confirms "a change was made", with an optional note (or takes it
    back with ``made=0``)."""
    user = signed_in_user(request)
    review, reply = _reviewers_reply(user, public_id)
    posted = request.method == "POST"
    form = ChangeMadeForm(request.POST if posted else None, initial={"note": reply.change_note})
    status = 200
    if posted:
        made = request.POST.get("made", "1") != "0"
        if not made or form.is_valid():
            try:
                actions.mark_change_made(
                    reviewer=user,
                    reply=reply,
                    made=made,
                    note=form.cleaned_data.get("note", "") if made else "",
                )
            except ReviewError as error:
                form.add_error(None, str(error))
                status = error.status
            else:
                messages.success(
                    request,
                    pgettext("reply", "Thank you: your review now says a change was made.")
                    if made
                    else pgettext("reply", "Taken back."),
                )
                return HttpResponseRedirect(review_url(review) or "/")
        else:
            status = 400
    return render(
        request,
        "reviews/provider/change_form.html",
        {"form": form, "review": review, "reply": reply, "review_url": review_url(review)},
        status=status,
    )


# --- disputes -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def dispute_write(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A claimed provider disputes a review; it goes to the moderators."""
    user = signed_in_user(request)
    review = access_review(user, public_id)
    posted = request.method == "POST"
    form = DisputeForm(request.POST if posted else None)
    status = 200
    try:
        check_dispute(user, review)
    except ReviewError as error:
        if posted:
            form.is_valid()
        form.add_error(None, str(error))
        status = error.status
    else:
        if posted:
            status = 400
            if form.is_valid():
                try:
                    actions.dispute_review(
                        provider=user,
                        review=review,
                        reason=form.cleaned_data["reason"],
                        text=form.cleaned_data["text"],
                    )
                except (ReviewError, FlagLimit, MemberSanctioned) as error:
                    form.add_error(None, str(error))
                    status = _refusal_status(error)
                else:
                    messages.success(
                        request,
                        pgettext(
                            "dispute form",
                            "Your dispute is sent. Moderators will decide and tell you the "
                            "outcome. The review stays visible meanwhile.",
                        ),
                    )
                    return HttpResponseRedirect(review_url(review) or "/")
    return render(
        request,
        "reviews/provider/dispute_form.html",
        {"form": form, "review": review, "review_url": review_url(review)},
        status=status,
    )


def _dispute(user: Any, public_id: uuid.UUID) -> ReviewDispute:
    dispute = (
        visible_disputes(user, ReviewDispute.objects.filter(public_id=public_id))
        .select_related("review", "case")
        .first()
    )
    if dispute is None:
        raise Http404
    return dispute


@login_required
@require_http_methods(["GET", "POST"])
def dispute_context(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The reviewer reads the moderators' question about a dispute and answers it."""
    user = signed_in_user(request)
    dispute = _dispute(user, public_id)
    if dispute.review.author_id != user.pk or dispute.context_requested_at is None:
        raise Http404
    posted = request.method == "POST"
    form = ContextAnswerForm(
        request.POST if posted else None, initial={"answer": dispute.context_answer}
    )
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                actions.answer_dispute_context(
                    reviewer=user, dispute=dispute, answer=form.cleaned_data["answer"]
                )
            except ReviewError as error:
                form.add_error(None, str(error))
                status = error.status
            else:
                messages.success(
                    request, pgettext("dispute context", "Thank you. The moderators can read it.")
                )
                return HttpResponseRedirect(review_url(dispute.review) or "/")
    return render(
        request,
        "reviews/provider/context_form.html",
        {
            "form": form,
            "dispute": dispute,
            "review": dispute.review,
            "review_url": review_url(dispute.review),
        },
        status=status,
    )


@login_required
@require_POST
def dispute_ask(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A moderator asks the reviewer for context (from the case page)."""
    user = signed_in_user(request)
    dispute = ReviewDispute.objects.filter(public_id=public_id).select_related("case").first()
    if dispute is None:
        raise Http404
    check_decide(user, dispute.case)
    form = ContextQuestionForm(request.POST)
    case_url = reverse("moderation:queue_case", kwargs={"case_id": dispute.case.public_id})
    if form.is_valid():
        try:
            actions.ask_reviewer_for_context(
                moderator=user, dispute=dispute, question=form.cleaned_data["question"]
            )
        except ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, pgettext("dispute context", "The question is sent to the reviewer.")
            )
    else:
        messages.error(request, pgettext("dispute context", "Write your question."))
    return redirect(case_url)


# --- notices ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    """The member's review notices (claims decided, replies, questions, outcomes),
    newest first; POST marks them all read."""
    user = signed_in_user(request)
    if request.method == "POST":
        actions.mark_notices_read(user=user)
        return redirect("reviews:notices")
    page = Paginator(review_notices(user), NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reviews/provider/notices.html", {"page": page})
