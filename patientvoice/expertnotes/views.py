"""Pages of expert notes (decisions/0034): the notes of one target (for a link, and for
people without JavaScript), add, edit and history of a note, the "helpful" toggle, the
target author's reply, and the person's notices.

Every refusal comes back with its translated message and status (400, 403, 409) and
the form keeps what was typed. Content a person may not see answers 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, pgettext
from django.views.decorators.http import require_http_methods, require_POST

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.core.markup import plain_text
from patientvoice.core.publishing import ContentTooLong
from patientvoice.moderation.errors import MemberSanctioned
from patientvoice.professionals.permissions import NotAProfessional

from . import actions
from .actions import NoteResult
from .errors import InvalidNote, NoteError, NoteExists
from .forms import SUGGESTED_SOURCES, NoteForm, ReplyForm
from .models import ExpertNote, NoteAuthorReply
from .permissions import (
    access_note,
    can_note,
    can_see_history,
    check_can_note,
    check_edit_note,
    check_edit_reply,
    check_reply,
)
from .queries import carries_correction, notes_for, notices_for, own_reply, revisions_of
from .targets import access_target, kind_of_target


def _language() -> str:
    return (get_language() or "sv")[:2]


def target_notes_url(kind: str, public_id: Any) -> str:
    return reverse("expertnotes:target", kwargs={"kind": kind, "public_id": public_id})


def _note_url(note: ExpertNote) -> str:
    return f"{target_notes_url(note.target_kind, note.target.public_id)}#{note.anchor}"


def _target_context(target: Any) -> dict[str, Any]:
    kind = kind_of_target(target)
    return {
        "target": target,
        "target_kind": kind,
        "target_url": kind.url_of(target),
        "target_excerpt": plain_text(target.body_html) or target.body,
        "notes_url": target_notes_url(kind.key, target.public_id),
    }


def _after_write(request: HttpRequest, result: NoteResult, url: str, saved: str) -> HttpResponse:
    if result.help_panels:
        request.session["pv_help_panels"] = result.help_panels
    if result.held:
        for message in result.hold_messages:
            messages.warning(request, str(message))
        messages.info(
            request,
            pgettext(
                "expert note form",
                "A moderator will look at it before others can see it. You can see it here.",
            ),
        )
    elif result.published:
        messages.success(request, saved)
    anchor = "#crisis-help" if result.help_panels else ""
    return redirect(url.split("#")[0] + anchor if anchor else url)


def _refusal(form: Any, error: Exception) -> int:
    """Put ``error`` on ``form`` and return the status to answer."""
    if isinstance(error, InvalidNote):
        # "No source at all" marks the first source's title, where one starts.
        name = "source_title_0" if error.field == "sources" else error.field
        field = name if name in form.fields else None
        form.add_error(field, str(error))
        return error.status
    if isinstance(error, NoteError):
        form.add_error(None, str(error))
        return error.status
    if isinstance(error, ContentTooLong):
        form.add_error(
            "body",
            pgettext("expert note error", "The text is too long: at most %(limit)s characters.")
            % {"limit": error.args[0]},
        )
        return 400
    # NotAProfessional, MemberSanctioned, PermissionDenied: 403 with the reason.
    form.add_error(None, str(error))
    return 403


_REFUSED = (NoteError, NotAProfessional, MemberSanctioned, PermissionDenied, ContentTooLong)


# --- reading ------------------------------------------------------------------------------


@require_http_methods(["GET"])
def target_notes(request: HttpRequest, kind: str, public_id: uuid.UUID) -> HttpResponse:
    """The notes of one post or review that the reader may see, under an excerpt of it."""
    user = request.user
    target = access_target(user, kind, public_id)
    notes = notes_for(user, kind, [target.pk]).get(target.pk, [])
    signed_in = bool(getattr(user, "is_authenticated", False))
    return render(
        request,
        "expertnotes/target_notes.html",
        {
            **_target_context(target),
            "notes": notes,
            "labelled": carries_correction(notes),
            "can_note": signed_in and can_note(user, target),
            "help_panels": request.session.pop("pv_help_panels", []) if signed_in else [],
        },
    )


@login_required
@require_http_methods(["GET"])
def history(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Earlier versions of a note: for its author and moderators (404 for others, who
    may not know it was edited)."""
    user = signed_in_user(request)
    note = access_note(user, public_id)
    if not can_see_history(user, note):
        raise Http404
    return render(
        request,
        "expertnotes/note_history.html",
        {
            "note": note,
            "sources": note.source_list(),
            "revisions": list(revisions_of(note)),
            **_target_context(note.target),
        },
    )


# --- writing ------------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, form: NoteForm, target: Any, *, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "expertnotes/note_form.html",
        {
            **_target_context(target),
            "form": form,
            "suggested_sources": SUGGESTED_SOURCES,
            **extra,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest, kind: str, public_id: uuid.UUID) -> HttpResponse:
    """Add a note to a post or review. A professional who wrote one already is sent to
    edit it; every other refusal comes back with the form as typed."""
    user = signed_in_user(request)
    target = access_target(user, kind, public_id)
    if request.method == "GET":
        form = NoteForm()
        try:
            check_can_note(user, target)
        except NoteExists as error:
            return redirect("expertnotes:edit", public_id=error.note.public_id)
        except _REFUSED as error:
            return _form_page(request, form, target, status=_refusal(form, error), refused=True)
        return _form_page(request, form, target)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, target, status=400)
    try:
        result = actions.add_note(
            author=user, target=target, language=_language(), **form.answers()
        )
    except _REFUSED as error:
        return _form_page(request, form, target, status=_refusal(form, error))
    note = result.content
    assert isinstance(note, ExpertNote)
    return _after_write(
        request,
        result,
        _note_url(note),
        pgettext("expert note form", "Your note is published. The author has been told."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Edit one's own note (the previous version is kept)."""
    user = signed_in_user(request)
    note = access_note(user, public_id)
    target = note.target
    if request.method == "GET":
        form = NoteForm(initial=NoteForm.initial_from(note))
        try:
            check_edit_note(user, note)
        except _REFUSED as error:
            return _form_page(
                request, form, target, status=_refusal(form, error), note=note, refused=True
            )
        return _form_page(request, form, target, note=note)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _form_page(request, form, target, status=400, note=note)
    try:
        result = actions.edit_note(note=note, editor=user, **form.answers())
    except _REFUSED as error:
        return _form_page(request, form, target, status=_refusal(form, error), note=note)
    return _after_write(
        request, result, _note_url(note), pgettext("expert note form", "Your note is saved.")
    )


@login_required
@require_POST
def helpful(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Mark a note helpful (``helpful=1``) or take it back (``helpful=0``)."""
    user = signed_in_user(request)
    note = access_note(user, public_id)
    try:
        actions.set_helpful(user=user, note=note, helpful=request.POST.get("helpful") != "0")
    except NoteError as error:
        raise PermissionDenied(str(error)) from None
    return redirect(_note_url(note))


def _reply_page(
    request: HttpRequest, form: ReplyForm, note: ExpertNote, *, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "expertnotes/reply_form.html",
        {**_target_context(note.target), "note": note, "form": form, **extra},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The target's author replies to a note, or edits their reply."""
    user = signed_in_user(request)
    note = access_note(user, public_id)
    existing: NoteAuthorReply | None = own_reply(note)
    if existing is not None and existing.author_id != user.pk:
        existing = None
    if request.method == "GET":
        form = ReplyForm(initial={"body": existing.body} if existing else None)
        try:
            if existing is not None:
                check_edit_reply(user, existing)
            else:
                check_reply(user, note)
        except _REFUSED as error:
            return _reply_page(
                request, form, note, status=_refusal(form, error), reply=existing, refused=True
            )
        return _reply_page(request, form, note, reply=existing)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _reply_page(request, form, note, status=400, reply=existing)
    try:
        if existing is not None:
            result = actions.edit_reply(reply=existing, editor=user, body=form.cleaned_data["body"])
        else:
            result = actions.reply_to_note(
                author=user, note=note, body=form.cleaned_data["body"], language=_language()
            )
    except _REFUSED as error:
        return _reply_page(request, form, note, status=_refusal(form, error), reply=existing)
    return _after_write(
        request, result, _note_url(note), pgettext("expert note form", "Your reply is saved.")
    )


# --- notices ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def notices(request: HttpRequest) -> HttpResponse:
    """What the person was told about notes: notes on what they wrote, replies to their
    notes (while they may still see the note)."""
    user = signed_in_user(request)
    found = list(
        notices_for(user).select_related(
            "note__post__thread",
            "note__post__community",
            "note__review__medicine",
            "note__review__physician",
            "note__review__clinic",
        )[:50]
    )
    shown = [(notice, _note_url(notice.note)) for notice in found]
    return render(
        request,
        "expertnotes/notices.html",
        {"notices": shown, "unread": sum(1 for n in found if n.read_at is None)},
    )


@login_required
@require_POST
def notices_read(request: HttpRequest) -> HttpResponse:
    actions.mark_notices_read(user=signed_in_user(request))
    return redirect("expertnotes:notices")
