"""Writing stories: the composer (a new story or a draft), its htmx autosave, "my
stories" (drafts and stories), editing and deleting a published story, and featuring.

The composer saves a draft on "Save draft" (no JavaScript needed) and as the person
types (htmx posts the form to ``autosave/`` after two quiet seconds; the picture is
left out of those posts). "Publish" saves the draft first (so nothing typed or
uploaded is lost when a check fails), then checks it as a story and publishes it
through the pipeline."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.communities.models import Community
from patientvoice.core.audit import client_ip
from patientvoice.core.images import ImageNotStored, storage_failed_message
from patientvoice.core.publishing import ContentTooLong
from patientvoice.moderation.errors import MemberSanctioned, PostingTooFast
from patientvoice.moderation.permissions import check_posting_rate
from patientvoice.organizations.models import Organization

from . import actions
from .forms import CHOOSE_AGAIN, EVERYONE, PUBLISH, FeatureForm, StoryForm
from .models import Story, StoryDraft
from .permissions import (
    access_draft,
    access_story,
    audience_choices,
    check_delete_story,
    check_edit_story,
    check_feature,
)
from .queries import my_drafts, my_stories, story_conditions
from .views import announce


def _audience_lost(draft: StoryDraft | None, communities: list[Community]) -> bool:
    """The draft's audience can no longer be used: its community was deleted, or the
    author is no longer a member (the form asks them to choose again)."""
    if draft is None:
        return False
    return draft.audience_lost or (
        draft.community_id is not None and draft.community_id not in {c.pk for c in communities}
    )


def _draft_initial(draft: StoryDraft | None, communities: list[Community]) -> dict[str, Any]:
    if draft is None:
        return {}
    audience = draft.community.slug if draft.community else EVERYONE
    return {
        "title": draft.title,
        "body": draft.body,
        "audience": CHOOSE_AGAIN if _audience_lost(draft, communities) else audience,
        "conditions": [c.slug for c in draft.conditions.all()],
        "cover_alt": draft.cover_alt,
    }


def _form(request: HttpRequest, draft: StoryDraft | None, *, publishing: bool = False) -> StoryForm:
    user = signed_in_user(request)
    posted = request.method == "POST"
    communities = list(audience_choices(user))
    return StoryForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=_draft_initial(draft, communities),
        communities=communities,
        has_cover=bool(draft and draft.cover),
        publishing=publishing,
        **_audience_kwargs(draft),
    )


def _audience_kwargs(draft: StoryDraft | None) -> dict[str, Any]:
    """What the form needs to keep a draft's audience it can no longer offer."""
    if draft is None:
        return {}
    return {"current_audience": draft.community, "audience_lost": draft.audience_lost}


def _compose_page(
    request: HttpRequest, form: StoryForm, draft: StoryDraft | None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "stories/story_form.html",
        {"form": form, "draft": draft, "editing": None},
        status=status,
    )


def _save(request: HttpRequest, form: StoryForm, draft: StoryDraft | None) -> StoryDraft:
    data = form.cleaned_data
    return actions.save_draft(
        author=signed_in_user(request),
        draft=draft,
        title=data["title"],
        body=data["body"],
        language=get_language() or "sv",
        community=data.get("audience"),
        keep_audience=form.audience_kept,
        conditions=data["conditions"],
        cover=data.get("cover"),
        remove_cover=bool(data.get("remove_cover")),
        cover_alt=data.get("cover_alt", ""),
    )


def _posted_draft(request: HttpRequest, draft: StoryDraft | None) -> StoryDraft | None:
    """The draft the form names (the autosave made it after the page was loaded)."""
    if draft is not None or request.method != "POST":
        return draft
    named = request.POST.get("draft", "")
    if not named:
        return None
    try:
        return access_draft(request.user, UUID(named[:40]))
    except ValueError:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def compose(request: HttpRequest, public_id: UUID | None = None) -> HttpResponse:
    """A new story (``write/``) or a saved draft (``drafts/<id>/``)."""
    draft = access_draft(request.user, public_id) if public_id is not None else None
    draft = _posted_draft(request, draft)
    if request.method == "GET":
        return _compose_page(request, _form(request, draft), draft)
    form = _form(request, draft)
    if not form.is_valid():
        return _compose_page(request, form, draft, status=400)
    try:
        draft = _save(request, form, draft)
    except PermissionDenied:
        form.add_error(
            "audience", pgettext("story form", "Choose everyone or one of your communities.")
        )
        return _compose_page(request, form, draft, status=403)
    except ImageNotStored:
        form.add_error("cover", storage_failed_message())
        return _compose_page(request, form, draft, status=503)
    if request.POST.get("action") != PUBLISH:
        messages.success(request, pgettext("story", "Draft saved. Only you can see it."))
        return redirect("stories:draft", public_id=draft.public_id)
    return _publish(request, draft)


def _publish(request: HttpRequest, draft: StoryDraft) -> HttpResponse:
    """Check the saved draft as a story and publish it; a refusal comes back on the
    draft's page with the reason and everything kept."""
    communities = list(audience_choices(request.user))
    form = StoryForm(
        _draft_initial(draft, communities),
        communities=communities,
        has_cover=bool(draft.cover),
        publishing=True,
        **_audience_kwargs(draft),
    )
    if not form.is_valid():
        form = _form(request, draft, publishing=True)
        form.is_valid()
        return _compose_page(request, form, draft, status=400)
    user = signed_in_user(request)
    try:
        check_posting_rate(user, client_ip(request))
        result = actions.publish_draft(author=user, draft=draft)
    except (PostingTooFast, MemberSanctioned) as refused:
        form = _form(request, draft, publishing=True)
        form.is_valid()
        form.add_error(None, str(refused.message))
        return _compose_page(request, form, draft, status=getattr(refused, "status", 403))
    except ContentTooLong:
        form = _form(request, draft, publishing=True)
        form.is_valid()
        form.add_error("body", _too_long_message())
        return _compose_page(request, form, draft, status=400)
    except PermissionDenied:
        # The audience was lost between the check above and now.
        form = _form(request, draft, publishing=True)
        form.is_valid()
        form.add_error("audience", form.audience_lost_message())
        return _compose_page(request, form, draft, status=400)
    announce(request, result, pgettext("story", "Your story is published."))
    story = result.content
    assert isinstance(story, Story)
    return redirect(story.get_absolute_url())


def _too_long_message() -> str:
    return pgettext("story form", "Your story is too long to publish. Make it shorter.")


@login_required
@require_POST
def autosave(request: HttpRequest) -> HttpResponse:
    """htmx's autosave: saves the draft the form names (or a new one) without the
    picture, and answers the status line, with the draft's id swapped into the form."""
    draft = _posted_draft(request, None)
    form = StoryForm(
        request.POST,
        communities=list(audience_choices(request.user)),
        has_cover=bool(draft and draft.cover),
        **_audience_kwargs(draft),
    )
    form.fields.pop("cover")
    saved = None
    if form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("remove_cover", None)
        form.cleaned_data = data
        try:
            saved = _save(request, form, draft)
        except PermissionDenied:
            saved = None
    response = render(
        request,
        "stories/includes/autosave_status.html",
        {"draft": saved, "saved_at": timezone.localtime(), "form": form},
    )
    if saved is not None and draft is None:
        # A reload should land on the draft, not on an empty composer.
        response["HX-Replace-Url"] = saved.get_absolute_url()
    return response


@login_required
@require_http_methods(["GET", "POST"])
def draft_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    draft = access_draft(request.user, public_id)
    if request.method == "POST":
        actions.discard_draft(author=signed_in_user(request), draft=draft)
        messages.success(request, pgettext("story", "The draft is deleted."))
        return redirect("stories:mine")
    return render(request, "stories/draft_delete.html", {"draft": draft})


@login_required
@require_http_methods(["GET"])
def mine(request: HttpRequest) -> HttpResponse:
    """The person's drafts and stories."""
    return render(
        request,
        "stories/mine.html",
        {"drafts": list(my_drafts(request.user)), "stories": list(my_stories(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The author edits their published story (404 for anyone else)."""
    user = signed_in_user(request)
    story = access_story(user, public_id)
    check_edit_story(user, story)
    posted = request.method == "POST"
    form = StoryForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={
            "title": story.title,
            "body": story.body,
            "conditions": [c.slug for c in story_conditions(story)],
            "cover_alt": story.cover_alt,
        },
        has_cover=bool(story.cover),
        publishing=True,
        editing=True,
    )
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                check_posting_rate(user, client_ip(request))
                result = actions.edit_story(
                    user=user,
                    story=story,
                    title=data["title"],
                    body=data["body"],
                    conditions=data["conditions"],
                    cover=data.get("cover"),
                    remove_cover=bool(data.get("remove_cover")),
                    cover_alt=data.get("cover_alt", ""),
                )
            except (PostingTooFast, MemberSanctioned) as refused:
                form.add_error(None, str(refused.message))
                status = getattr(refused, "status", 403)
            except ImageNotStored:
                form.add_error("cover", storage_failed_message())
                status = 503
            except ContentTooLong:
                form.add_error("body", _too_long_message())
            else:
                announce(request, result, pgettext("story", "Your changes are published."))
                return redirect(story.get_absolute_url())
    return render(
        request,
        "stories/story_form.html",
        {"form": form, "draft": None, "editing": story},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    story = access_story(user, public_id)
    check_delete_story(user, story)
    if request.method == "POST":
        actions.delete_story(user=user, story=story)
        messages.success(request, pgettext("story", "Your story is deleted."))
        return redirect("stories:mine")
    return render(request, "stories/story_delete.html", {"story": story})


@login_required
@require_POST
def feature(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """An organisation's staff feature a story, or stop featuring it (403 for others
    who may see the story)."""
    user = signed_in_user(request)
    story = access_story(user, public_id)
    form = FeatureForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    organization = Organization.objects.filter(slug=form.cleaned_data["organization"]).first()
    if organization is None:
        raise PermissionDenied
    check_feature(user, story, organization)
    if form.cleaned_data["feature"]:
        actions.feature_story(actor=user, story=story, organization=organization)
        done = pgettext("story", "The story is featured by %(organization)s.")
    else:
        actions.unfeature_story(actor=user, story=story, organization=organization)
        done = pgettext("story", "%(organization)s no longer features the story.")
    messages.success(request, done % {"organization": organization.name})
    return redirect(story.get_absolute_url())
