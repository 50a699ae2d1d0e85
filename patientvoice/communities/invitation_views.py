"""Invitations to members-only and private communities (issue 3, item 3).

* ``/c/<slug>/invitations/``: the community's moderators make invitation links (the
  raw token is shown once, then only its hash is kept), invite one person by handle,
  and list and revoke open invitations. 404 for everyone else, and for a public
  community.
* ``/c/<slug>/invite/<token>/``: the only page that shows an outsider a private
  community (its name, description and guidelines) and lets them join. Anything but
  an open invitation for that very slug (a wrong token or slug, revoked, expired, used
  up, or addressed to someone else) is the same 404 as a community that does not
  exist (``permissions.access_invitation``).
* ``/invitations/``: a person's own invitations (those addressed to them by handle),
  to accept or decline. The notifications app only tells people about posts, so this
  page is where an invited person finds them.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.permissions import signed_in_user

from . import actions
from .forms import InvitationChoiceForm, InvitationLinkForm, InviteByHandleForm
from .models import Community, Invitation
from .permissions import (
    access_invitation,
    check_manage_invitations,
    is_member,
    visible_invitations,
)
from .queries import current_guidelines

# The raw token of a link just made, kept in the session until the next page shows
# it once.
NEW_LINK_SESSION_KEY = "pv_new_invitation_link"
OPEN_INVITATIONS_SHOWN = 100


def _link(request: HttpRequest, community: Community, token: str) -> str:
    return request.build_absolute_uri(
        reverse("communities:invite", kwargs={"slug": community.slug, "token": token})
    )


def _invitations_page(
    request: HttpRequest,
    community: Community,
    *,
    link_form: InvitationLinkForm | None = None,
    handle_form: InviteByHandleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    open_invitations = (
        Invitation.objects.filter(  # visibility: check_manage_invitations in the callers
            community=community, revoked_at__isnull=True, expires_at__gt=now
        )
        .select_related("invitee", "created_by")
        .order_by("-created_at", "-id")[:OPEN_INVITATIONS_SHOWN]
    )
    new_link = request.session.pop(NEW_LINK_SESSION_KEY, None)
    if not isinstance(new_link, dict) or new_link.get("community") != community.slug:
        new_link = None
    return render(
        request,
        "communities/invitation_list.html",
        {
            "community": community,
            "invitations": [i for i in open_invitations if i.uses < i.max_uses],
            "link_form": link_form or InvitationLinkForm(),
            "handle_form": handle_form or InviteByHandleForm(community=community),
            "new_link": new_link,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The moderators' page: make a link, invite by handle, revoke."""
    community = get_object_or_404(Community.objects.select_related("organization"), slug=slug)
    user = signed_in_user(request)
    check_manage_invitations(user, community)
    if request.method == "GET":
        return _invitations_page(request, community)
    what = request.POST.get("form", "")
    if what == "revoke":
        choice = InvitationChoiceForm(request.POST)
        if not choice.is_valid():
            return _invitations_page(request, community, status=400)
        invitation = get_object_or_404(
            Invitation,  # visibility: check_manage_invitations above
            community=community,
            public_id=choice.cleaned_data["invitation"],
        )
        invitation.community = community
        actions.revoke_invitation(actor=user, invitation=invitation)
        messages.success(request, pgettext("invitation", "The invitation no longer works."))
        return redirect("communities:invitations", slug=community.slug)
    if what == "handle":
        handle_form = InviteByHandleForm(request.POST, community=community)
        if not handle_form.is_valid():
            return _invitations_page(request, community, handle_form=handle_form, status=400)
        assert handle_form.invitee is not None
        actions.create_invitation(
            actor=user,
            community=community,
            days=handle_form.cleaned_data["days"],
            invitee=handle_form.invitee,
        )
        messages.success(
            request,
            pgettext(
                "invitation",
                "%(handle)s is invited. They find the invitation under Invitations when "
                "they log in.",
            )
            % {"handle": handle_form.invitee.handle},
        )
        return redirect("communities:invitations", slug=community.slug)
    link_form = InvitationLinkForm(request.POST)
    if not link_form.is_valid():
        return _invitations_page(request, community, link_form=link_form, status=400)
    _invitation, token = actions.create_invitation(
        actor=user,
        community=community,
        days=link_form.cleaned_data["days"],
        max_uses=link_form.cleaned_data["max_uses"],
    )
    request.session[NEW_LINK_SESSION_KEY] = {
        "community": community.slug,
        "url": _link(request, community, token),
    }
    return redirect("communities:invitations", slug=community.slug)


@require_http_methods(["GET", "POST"])
def invitation_detail(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The invitation link: who the community is and a Join button; POST joins."""
    invitation = access_invitation(request.user, slug, token)
    community = invitation.community
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = signed_in_user(request)
        try:
            actions.accept_invitation(user=user, invitation=invitation)
        except actions.InvitationUnusable:
            raise Http404 from None
        messages.success(
            request,
            pgettext(
                "invitation",
                "Welcome! You are a member now. Read the guidelines before you write.",
            ),
        )
        return redirect(community)
    if is_member(request.user, community):
        return redirect(community)
    return render(
        request,
        "communities/invitation_detail.html",
        {
            "community": community,
            "guidelines": current_guidelines(community),
            "invitation": invitation,
        },
    )


@login_required
@require_safe
def my_invitations(request: HttpRequest) -> HttpResponse:
    """Invitations addressed to the signed-in person, still open."""
    invitations = visible_invitations(
        request.user, Invitation.objects.select_related("community", "created_by")
    ).order_by("-created_at", "-id")
    return render(request, "communities/invitation_mine.html", {"invitations": list(invitations)})


@login_required
@require_POST
def answer_invitation(request: HttpRequest) -> HttpResponse:
    """Accept or decline one of the person's own invitations."""
    user = signed_in_user(request)
    choice = InvitationChoiceForm(request.POST)
    if not choice.is_valid():
        raise Http404
    invitation = (
        visible_invitations(user, Invitation.objects.select_related("community"))
        .filter(public_id=choice.cleaned_data["invitation"])
        .first()
    )
    if invitation is None:
        raise Http404
    if request.POST.get("answer") == "decline":
        actions.revoke_invitation(actor=user, invitation=invitation)
        messages.success(request, pgettext("invitation", "Invitation declined."))
        return redirect("communities:my_invitations")
    try:
        actions.accept_invitation(user=user, invitation=invitation)
    except actions.InvitationUnusable:
        raise Http404 from None
    messages.success(
        request,
        pgettext(
            "invitation", "Welcome! You are a member now. Read the guidelines before you write."
        ),
    )
    return redirect(invitation.community)
