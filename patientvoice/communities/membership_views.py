"""Joining, asking to join, the moderators' requests page, the member list, leaving."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import signed_in_user, visible_users

from . import actions
from .forms import (
    JoinRequestDecisionForm,
    JoinRequestForm,
)
from .models import (
    Community,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    Visibility,
)
from .permissions import (
    access_community,
    check_community_exists_for,
    check_moderate_community,
    check_see_members,
    is_member,
    is_site_staff,
)

MEMBERS_PER_PAGE = 50


@login_required
@require_POST
def join(request: HttpRequest, slug: str) -> HttpResponse:
    community = access_community(request.user, slug)
    user = signed_in_user(request)
    if community.visibility == Visibility.PRIVATE and not is_member(user, community):
        raise Http404
    actions.join_community(user=user, community=community)
    messages.success(request, pgettext("community", "You are now a member."))
    return redirect(community)


def _askable_community(request: HttpRequest, slug: str) -> Community:
    """The community a person may ask (or, when it is not private, answer questions)
    to join. A private community is reached by its slug alone, without being visible:
    only while it accepts requests (decisions/0020); 404 otherwise."""
    community = get_object_or_404(Community, slug=slug)
    if community.visibility == Visibility.PRIVATE:
        if not community.accepts_requests and not is_member(request.user, community):
            raise Http404
    else:
        check_community_exists_for(request.user, community)
    return community


@login_required
@require_http_methods(["GET", "POST"])
def ask_to_join(request: HttpRequest, slug: str) -> HttpResponse:
    """The join questions and the answer form. For a private community this page shows
    its name and questions only (never its description or threads) and the answer goes
    to its moderators; for any other the answer is optional and joining is immediate."""
    community = _askable_community(request, slug)
    user = signed_in_user(request)
    if is_member(user, community):
        return redirect(community)
    pending = JoinRequest.objects.filter(
        community=community, user=user, status=JoinRequestStatus.PENDING
    ).first()
    form = JoinRequestForm(
        request.POST or None,
        answer_required=community.requires_approval and bool(community.join_questions),
        initial={"answer": pending.answer if pending else ""},
    )
    if request.method == "POST" and form.is_valid():
        if not community.requires_approval:
            actions.join_community(user=user, community=community)
            messages.success(request, pgettext("community", "You are now a member."))
            return redirect(community)
        actions.request_to_join(user=user, community=community, answer=form.cleaned_data["answer"])
        messages.success(
            request,
            pgettext("join request", "Your request was sent. A moderator will look at it."),
        )
        return redirect("communities:ask", slug=community.slug)
    return render(
        request,
        "communities/ask_to_join.html",
        {"community": community, "form": form, "pending": pending},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def join_requests(request: HttpRequest, slug: str) -> HttpResponse:
    """Pending requests to join, for the community's moderators; 404 for anyone else."""
    community = get_object_or_404(Community, slug=slug)
    user = signed_in_user(request)
    check_moderate_community(user, community)
    pending = JoinRequest.objects.filter(
        community=community, status=JoinRequestStatus.PENDING
    ).select_related("user")
    if request.method == "POST":
        form = JoinRequestDecisionForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest()
        join_request = get_object_or_404(pending, pk=form.cleaned_data["request"])
        join_request.community = community
        if form.cleaned_data["decision"] == "approve":
            actions.approve_join_request(actor=user, join_request=join_request)
            messages.success(request, pgettext("join request", "Approved: they are a member now."))
        else:
            actions.decline_join_request(actor=user, join_request=join_request)
            messages.success(request, pgettext("join request", "Declined."))
        return redirect("communities:join_requests", slug=community.slug)
    return render(
        request,
        "communities/join_requests.html",
        {"community": community, "join_requests": list(pending)},
    )


@login_required
@require_safe
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The members, for members (and acting site staff) only. Each person is listed
    only if their profile's audience lets the viewer see it (accounts.visible_users)."""
    community = access_community(request.user, slug)
    check_see_members(request.user, community)
    listed = visible_users(request.user, User.objects.all()).values("pk")
    memberships = (
        Membership.objects.filter(community=community, user__in=listed)
        .select_related("user")
        .order_by("-role", "user__handle")
    )
    page = Paginator(memberships, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "communities/member_list.html",
        {"community": community, "page": page, "moderator_role": MembershipRole.MODERATOR},
    )


@login_required
@require_POST
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = access_community(request.user, slug)
    user = signed_in_user(request)
    actions.leave_community(user=user, community=community)
    messages.success(request, pgettext("community", "You have left the community."))
    if community.visibility == Visibility.PRIVATE and not is_site_staff(user):
        return redirect("communities:list")  # its page is a 404 for them now
    return redirect(community)
