"""The stories' reading pages: the list (featured first, by condition), a story with
its comments, the comment forms (members and guests), and the person's notices.

Writing stories (drafts, autosave, publishing, edits, deletion, featuring) is in
``write_views``; the link e-mailed to guests in ``guest_views``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import get_language, pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.core.audit import client_ip
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import ContentTooLong, PublishResult
from patientvoice.directory.models import Condition
from patientvoice.expertnotes.presence import may_offer_note
from patientvoice.expertnotes.queries import notes_for
from patientvoice.moderation.errors import MemberSanctioned, PostingTooFast
from patientvoice.moderation.permissions import check_posting_rate
from patientvoice.professionals.queries import is_verified_professional

from . import actions
from .forms import CommentForm, GuestCommentForm
from .models import Story, StoryComment
from .permissions import (
    access_comment,
    can_comment,
    can_delete_story,
    can_edit_story,
    feature_choices,
)
from .queries import (
    conditions_with_stories,
    featuring_names,
    notices_for,
    story_comments,
    story_conditions,
    story_for_page,
    story_list,
)

STORIES_PER_PAGE = 20
NOTICES_PER_PAGE = 25


def announce(request: HttpRequest, result: PublishResult, published: str) -> None:
    """What the author is told after the pipeline: published, or why it waits; a help
    panel (crisis language) is shown on the next page."""
    if result.held:
        messages.warning(
            request,
            pgettext(
                "story", "Your text is saved but waits for a moderator before others can see it."
            ),
        )
        for message in result.hold_messages:
            messages.warning(request, message)
    else:
        messages.success(request, published)
    if result.help_panels:
        request.session["pv_help_panels"] = result.help_panels


@require_safe
def story_list_page(request: HttpRequest) -> HttpResponse:
    condition = None
    slug = request.GET.get("condition", "")
    if slug:
        condition = Condition.objects.filter(slug=slug[:100]).first()
        if condition is None:
            raise Http404
    page = Paginator(story_list(request.user, condition=condition), STORIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "stories/story_list.html",
        {
            "page": page,
            "stories": page.object_list,
            "condition": condition,
            "filter_conditions": conditions_with_stories(request.user),
        },
    )


@require_safe
def story_permalink(request: HttpRequest, public_id: UUID) -> HttpResponseRedirect:
    story = story_for_page(request.user, public_id)
    return redirect(story.get_absolute_url())


def _comment_forms(request: HttpRequest, story: Story, form: CommentForm | None) -> dict[str, Any]:
    """The comment form the reader gets (a member's, a guest's, or none and why)."""
    user = request.user
    signed_in = bool(getattr(user, "is_authenticated", False))
    allowed = can_comment(user, story)
    if form is None and allowed:
        reply_to = _valid_reply_to(request.GET.get("reply_to", ""))
        form = (CommentForm if signed_in else GuestCommentForm)(initial={"parent": reply_to})
    return {"comment_form": form if allowed else None, "can_comment": allowed}


def _valid_reply_to(value: str) -> str:
    """``?reply_to=`` if it is a comment id at all (anything else is ignored)."""
    try:
        return str(UUID(value[:40]))
    except ValueError:
        return ""


def _detail_context(
    request: HttpRequest, story: Story, form: CommentForm | None = None, **extra: Any
) -> dict[str, Any]:
    user = request.user
    signed_in = bool(getattr(user, "is_authenticated", False))
    notes = (
        notes_for(user, "story", [story.pk]).get(story.pk, [])
        if getattr(story, "has_any_notes", False)
        else []
    )
    published = story.status == ContentStatus.PUBLISHED
    offer_note = signed_in and may_offer_note(
        reader_id=user.pk,
        reader_is_professional=is_verified_professional(user),
        target_author_id=story.author_id,
        target_published=published,
        notes=notes,
    )
    own = signed_in and story.author_id == user.pk
    return {
        "story": story,
        "conditions": story_conditions(story),
        "featured_by": featuring_names(story),
        "comments": story_comments(user, story),
        "notes": notes,
        "can_add_note": offer_note,
        "can_edit": can_edit_story(user, story),
        "can_delete": can_delete_story(user, story),
        "can_report": signed_in and published and not own,
        "feature_choices": feature_choices(user, story) if signed_in else [],
        "share_url": request.build_absolute_uri(story.get_absolute_url()),
        "help_panels": request.session.pop("pv_help_panels", []) if signed_in else [],
        "signed_in": signed_in,
        **_comment_forms(request, story, form),
        **extra,
    }


@require_safe
def story_detail(request: HttpRequest, public_id: UUID, slug: str) -> HttpResponse:
    story = story_for_page(request.user, public_id)
    if slug != (story.slug or "-"):
        return redirect(story.get_absolute_url(), permanent=True)
    return render(request, "stories/story_detail.html", _detail_context(request, story))


def _parent(request: HttpRequest, story: Story, parent_id: UUID) -> StoryComment | None:
    """The published comment answered, or None when it is not (or no longer) shown."""
    try:
        parent = access_comment(request.user, story, parent_id)
    except Http404:
        return None
    return parent if parent.status == ContentStatus.PUBLISHED else None


def _parent_gone(request: HttpRequest, story: Story, form: CommentForm) -> HttpResponse:
    """The comment answered is gone (hidden meanwhile, or a bad ``reply_to``): the form
    comes back with the text kept, as a comment of its own, and says why (400)."""
    data = request.POST.copy()
    data["parent"] = ""
    again = type(form)(data)
    again.is_valid()
    again.add_error(
        None,
        pgettext(
            "comment form",
            "The comment you answered is no longer shown. Your text is kept below: "
            "send it as a comment of its own, or change it first.",
        ),
    )
    context = _detail_context(request, story, again)
    return render(request, "stories/story_detail.html", context, status=400)


def _refused(
    request: HttpRequest, story: Story, form: CommentForm, message: Any, status: int
) -> HttpResponse:
    """The comment form again, with the reason above it and what was typed kept."""
    form.add_error(None, str(message))
    context = _detail_context(request, story, form)
    return render(request, "stories/story_detail.html", context, status=status)


@require_POST
def comment(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A member's or a guest's comment. A story the person may not see is 404; one they
    see but may not comment on is 403; bad input 400 with the form kept; too fast 429."""
    story = story_for_page(request.user, public_id)
    signed_in = bool(getattr(request.user, "is_authenticated", False))
    if not can_comment(request.user, story):
        raise PermissionDenied
    language = get_language() or "sv"
    if signed_in:
        form: CommentForm = CommentForm(request.POST)
    else:
        guest_form = GuestCommentForm(request.POST)
        if guest_form.caught:
            # A robot: the same answer a person gets, and nothing stored.
            messages.info(request, _guest_thanks())
            return redirect(f"{story.get_absolute_url()}#comments")
        form = guest_form
    valid = form.is_valid()
    if "parent" in form.errors:
        return _parent_gone(request, story, form)
    if not valid:
        context = _detail_context(request, story, form)
        return render(request, "stories/story_detail.html", context, status=400)
    data = form.cleaned_data
    parent = _parent(request, story, data["parent"]) if data.get("parent") else None
    if data.get("parent") and parent is None:
        return _parent_gone(request, story, form)
    try:
        if signed_in:
            user = signed_in_user(request)
            check_posting_rate(user, client_ip(request))
            result = actions.comment_as_member(
                author=user, story=story, body=data["body"], language=language, parent=parent
            )
        else:
            actions.check_guest_rate(address=client_ip(request), email=data["email"])
            result = actions.comment_as_guest(
                story=story,
                name=data["name"],
                email=data["email"],
                body=data["body"],
                language=language,
                parent=parent,
            )
    except (PostingTooFast, MemberSanctioned) as refused:
        return _refused(request, story, form, refused.message, getattr(refused, "status", 403))
    except ContentTooLong:
        return _refused(request, story, form, _too_long(), 400)
    if signed_in:
        announce(request, result, pgettext("comment", "Your comment is published."))
        anchor = "crisis-help" if result.help_panels else f"comment-{result.content.public_id}"
    else:
        messages.info(request, _guest_thanks())
        anchor = "comments"
    return redirect(f"{story.get_absolute_url()}#{anchor}")


def _guest_thanks() -> str:
    return pgettext(
        "comment",
        "Thank you. A moderator reads comments from visitors before they are shown. We "
        "have sent you an e-mail with a link to confirm your comment.",
    )


def _too_long() -> str:
    return pgettext("comment", "The comment is too long.")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notices(request: HttpRequest) -> HttpResponse:
    """The person's notices about comments on their stories and replies to their
    comments. Reading the page changes nothing; its button (a POST) marks them read."""
    user = signed_in_user(request)
    if request.method == "POST":
        actions.mark_notices_read(user=user)
        messages.success(request, pgettext("story notices", "All marked as read."))
        return redirect("stories:notices")
    page = Paginator(notices_for(user), NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    unread = any(notice.read_at is None for notice in rows)
    return render(
        request, "stories/notices.html", {"page": page, "notices": rows, "unread": unread}
    )
