"""The page behind the link e-mailed to a guest who commented: confirm the address, or
delete the comment (a guest's erasure; they have no account).

A GET only shows the page (mail scanners follow links); the buttons POST. An altered or
expired link answers 400 with a page that says so."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from . import actions
from .models import StoryComment
from .tokens import read_token


def _comment_for(token: str) -> StoryComment | None:
    public_id = read_token(token)
    if public_id is None:
        return None
    # The token is the guest's proof: their own comment, whatever its state.
    return (
        StoryComment.objects.filter(  # visibility: the signed link names it
            public_id=public_id, author__isnull=True
        )
        .exclude(guest_email="")
        .select_related("story")
        .first()
    )


@require_http_methods(["GET", "POST"])
def guest_comment(request: HttpRequest, token: str) -> HttpResponse:
    comment = _comment_for(token)
    if comment is None:
        return render(request, "stories/guest_link_invalid.html", status=400)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            story_url = comment.story.get_absolute_url()
            actions.delete_guest_comment(comment=comment)
            messages.success(request, pgettext("guest comment", "Your comment is deleted."))
            return redirect(story_url)
        confirmed = actions.confirm_guest_comment(comment=comment)
        comment.refresh_from_db()
        if confirmed and comment.is_published:
            messages.success(
                request, pgettext("guest comment", "Thank you. Your comment is published.")
            )
        elif confirmed:
            messages.success(
                request,
                pgettext(
                    "guest comment",
                    "Thank you. Your address is confirmed, and a moderator will read your "
                    "comment soon.",
                ),
            )
        return redirect("stories:guest_comment", token=token)
    return render(request, "stories/guest_comment.html", {"comment": comment, "token": token})
