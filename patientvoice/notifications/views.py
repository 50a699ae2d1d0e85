"""The notification centre, follow buttons, e-mail preferences and unsubscribe."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.communities.models import Community, Thread

from . import actions
from .forms import FollowForm, PreferencesForm
from .models import EmailFrequency
from .permissions import (
    access_followable_community,
    access_followable_thread,
    access_notification,
    own_follow,
    own_follow_of_community,
)
from .queries import email_frequency, notification_list, post_location, unread_count
from .queries import visible_unread_count as count_visible_unread
from .templatetags.notifications import follow_url
from .tokens import user_for_token

PER_PAGE = 25


@login_required
@require_safe
def notification_centre(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    page = Paginator(notification_list(user), PER_PAGE).get_page(request.GET.get("page"))
    unread = count_visible_unread(user)
    # The stored counter is recounted when a post is deleted or a community left (a
    # task queued by those actions); should it still differ, this page corrects it.
    if unread != unread_count(user):
        actions.reconcile_unread_count(user=user)
    # Moderation decisions about the person not opened yet come first (their in-app
    # delivery; the header's badge counts them too).
    from patientvoice.moderation.queries import statements_for

    decisions = list(statements_for(user).filter(read_at__isnull=True)[:10])
    context = {
        "page": page,
        "unread": unread,
        "decisions": decisions,
        "notice_pages": _notice_pages(user),
    }
    return render(request, "notifications/notification_list.html", context)


# The other apps' notice pages, each with its unread count: where the rest of the
# header's number is.
NOTICE_PAGES = (
    (
        "reviews.ReviewNotice",
        "reviews:notices",
        pgettext_lazy(
            "notifications", "Notices about reviews: claims, replies to your reviews, disputes"
        ),
    ),
    (
        "professionals.ProfessionalNotice",
        "professionals:status",
        pgettext_lazy(
            "notifications", "Notices about your verification as a healthcare professional"
        ),
    ),
    (
        "expertnotes.NoteNotice",
        "expertnotes:notices",
        pgettext_lazy(
            "notifications",
            "Notes from verified professionals on what you wrote, and replies to your notes",
        ),
    ),
    (
        "stories.StoryNotice",
        "stories:notices",
        pgettext_lazy("notifications", "Comments on your stories and replies to your comments"),
    ),
    (
        "safety.SafetyMessage",
        "safety:messages",
        pgettext_lazy("notifications", "Questions about side effects you wrote about"),
    ),
)


def _notice_pages(user: Any) -> list[tuple[str, Any, int]]:
    from .notices import unread_notice_counts

    counts = unread_notice_counts(user)
    return [(reverse(url), label, counts.get(model, 0)) for model, url, label in NOTICE_PAGES]


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
def mark_read(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    notification = access_notification(user, public_id)
    actions.mark_read(user=user, notification=notification)
    if getattr(request, "htmx", False):
        return render(request, "notifications/mark_read_done.html")
    return _back(request, "notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    actions.mark_all_read(user=user)
    messages.success(request, pgettext("notifications", "All notifications are marked read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def open_notification(request: HttpRequest, public_id: str) -> HttpResponse:
    """The centre's "open" button (POST): the notification is marked read and the
    person lands on the post, on its page of the thread. A GET (a link in an older
    e-mail, a link checker) only leads to the post and changes nothing."""
    user = signed_in_user(request)
    notification = access_notification(user, public_id)
    if request.method == "POST":
        actions.mark_read(user=user, notification=notification)
        return HttpResponseRedirect(post_location(notification.post), status=303)
    return redirect(post_location(notification.post))


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    """A follow or unfollow button. Works as a plain form; with htmx, the button
    swaps itself for its new state."""
    user = signed_in_user(request)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponse(pgettext("notifications", "The request could not be read."), status=400)
    target: Thread | Community
    wanted = form.cleaned_data["follow"]
    if not wanted:
        # Stopping needs no access: someone who left a community may still stop
        # hearing of it.
        mine = (
            own_follow(user, thread_id=form.cleaned_data["target"])
            if form.cleaned_data["kind"] == "thread"
            else own_follow_of_community(user, form.cleaned_data["target"])
        )
        if mine is not None:
            target = mine.thread or mine.community  # type: ignore[assignment]
            actions.stop_following(user=user, subscription=mine)
            return _followed(request, target, wanted=False, next_url=form.cleaned_data["next"])
    if form.cleaned_data["kind"] == "thread":
        target = access_followable_thread(user, form.cleaned_data["target"])
        if wanted:
            actions.follow_thread(user=user, thread=target)
        else:
            actions.unfollow_thread(user=user, thread=target)
    else:
        target = access_followable_community(user, public_id=form.cleaned_data["target"])
        if wanted:
            actions.follow_community(user=user, community=target)
        else:
            actions.unfollow_community(user=user, community=target)
    return _followed(request, target, wanted=wanted, next_url=form.cleaned_data["next"])


def _followed(
    request: HttpRequest, target: Thread | Community, *, wanted: bool, next_url: str
) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(
            request,
            "notifications/follow_button.html",
            _button_context(target, following=wanted, next_url=next_url),
        )
    if wanted:
        messages.success(request, pgettext("notifications", "You follow it now."))
    else:
        messages.success(request, pgettext("notifications", "You no longer follow it."))
    return _back(request, target.get_absolute_url())


def _button_context(
    target: Thread | Community, *, following: bool, next_url: str
) -> dict[str, Any]:
    return {
        "kind": "thread" if isinstance(target, Thread) else "community",
        "target": target,
        "following": following,
        "next_url": next_url,
        "follow_url": follow_url(get_language() or "sv"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PreferencesForm(request.POST or None, initial={"email_frequency": email_frequency(user)})
    if request.method == "POST" and form.is_valid():
        actions.set_email_frequency(user=user, frequency=form.cleaned_data["email_frequency"])
        messages.success(request, pgettext("notification settings", "Saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@csrf_exempt  # RFC 8058: mail clients POST here without a session; the token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from notification e-mails. GET shows a confirm button (a
    link scanner must not unsubscribe anyone); POST, from that button or from the mail
    client (``List-Unsubscribe-Post``), turns the e-mails off."""
    person = user_for_token(token)
    if person is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        actions.set_email_frequency(user=person, frequency=EmailFrequency.OFF)
        return render(request, "notifications/unsubscribe.html", {"done": True})
    return render(request, "notifications/unsubscribe.html", {"done": False, "token": token})
