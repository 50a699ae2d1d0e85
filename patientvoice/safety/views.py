"""Pages of the safety app (decisions/0036): the safety officers' triage queue, a
signal with its decision, follow-up and case forms, the cases; a member's safety
messages and their answers.

Every page that shows a signal or a case writes an audit entry (the queue one per
page, with the signals shown). Showing a signal whose content is held and was never
seen by staff starts its clock (Day 0). Every refusal comes back with its translated
message and status (400, 403, 409) and the form keeps what was typed.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from patientvoice.accounts.permissions import signed_in_user

from . import actions
from .concepts import reaction_label
from .errors import SafetyError
from .forms import (
    CASE,
    FOLLOW_UP,
    AnswerForm,
    CaseForm,
    CloseCaseForm,
    DecisionForm,
    FollowUpForm,
    case_initial,
    case_values,
)
from .models import CaseStatus, FollowUpOutcome, SafetyCase, SafetySignal, SignalStatus
from .permissions import access_case, access_message, access_signal, check_safety_officer
from .queries import (
    case_list,
    countdown,
    days_since,
    follow_ups_of,
    marked_excerpt,
    messages_for,
    signal_counts,
    signal_queue,
)

PER_PAGE = 25


def _medicine_label(signal: SafetySignal, language: str) -> str:
    if signal.medicine is not None:
        from patientvoice.directory.queries import medicine_name

        return medicine_name(signal.medicine, language)
    if signal.medicine_slug:
        return signal.medicine_slug
    if signal.medicine_candidates:
        return " / ".join(signal.medicine_candidates)
    return ""


def _row(signal: SafetySignal, language: str) -> dict[str, Any]:
    """What the queue and the signal page show of a signal."""
    return {
        "signal": signal,
        "excerpt": marked_excerpt(signal),
        "medicine": _medicine_label(signal, language),
        "reaction": reaction_label(signal.reaction, language),
        "confidence": round(signal.confidence * 100),
        "age": days_since(signal.day_zero or signal.created_at),
        "clock": countdown(signal.serious_deadline),
    }


# --- the queue ----------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """Safety officers: the signals of one status (not reviewed, by default), oldest
    first, 25 a page, each with its age and the 15-day countdown."""
    user = signed_in_user(request)
    check_safety_officer(user)
    shown = request.GET.get("status", SignalStatus.NEW)
    if shown not in SignalStatus.values:
        shown = SignalStatus.NEW
    page = Paginator(signal_queue(user, shown), PER_PAGE).get_page(request.GET.get("page"))
    signals = list(page.object_list)
    actions.record_officer_sight(signals)
    actions.record_queue_view(officer=user, signals=signals, request=request, status=shown)
    language = get_language()
    counts = signal_counts(user)
    return render(
        request,
        "safety/queue.html",
        {
            "page": page,
            "rows": [_row(s, language) for s in signals],
            "shown": shown,
            "tabs": [(value, label, counts[value]) for value, label in SignalStatus.choices],
        },
    )


# --- a signal -----------------------------------------------------------------------------


def _signal_page(
    request: HttpRequest,
    signal: SafetySignal,
    form: DecisionForm,
    *,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    actions.record_officer_sight([signal])
    actions.record_signal_view(officer=user, signal=signal, request=request)
    case = SafetyCase.objects.filter(signal=signal).first()  # visibility: access_signal above
    return render(
        request,
        "safety/signal_detail.html",
        {
            "row": _row(signal, get_language()),
            "signal": signal,
            "case": case,
            "form": form,
            "follow_ups": list(follow_ups_of(user, signal)),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def signal_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One signal and the triage decision: not a case (with its reason), needs
    follow-up (the follow-up form next), a case (the case form next)."""
    user = signed_in_user(request)
    signal = access_signal(user, public_id)
    if request.method != "POST":
        return _signal_page(request, signal, DecisionForm())
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _signal_page(request, signal, form, status=400)
    decision = form.cleaned_data["decision"]
    if decision == FOLLOW_UP:
        return redirect("safety:follow_up", public_id=signal.public_id)
    if decision == CASE:
        return redirect("safety:case_new", public_id=signal.public_id)
    try:
        actions.decide_not_a_case(officer=user, signal=signal, reason=form.cleaned_data["reason"])
    except SafetyError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return _signal_page(request, signal, form, status=error.status)
    messages.success(request, pgettext("safety decision", "Marked as not a case."))
    return redirect("safety:queue")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Ask the author of the signal's content for details, with a templated private
    message; the preview shows it as the author will read it (in the page's
    language)."""
    user = signed_in_user(request)
    signal = access_signal(user, public_id)
    form = FollowUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                attempt = actions.send_follow_up(
                    officer=user,
                    signal=signal,
                    asked_for=form.cleaned_data["asked_for"],
                    note=form.cleaned_data["note"],
                )
            except SafetyError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
                status = error.status
            else:
                if attempt.outcome == FollowUpOutcome.NOT_DELIVERED:
                    messages.warning(
                        request,
                        pgettext(
                            "safety follow-up",
                            "Not sent: the author's account no longer exists. The attempt is "
                            "logged.",
                        ),
                    )
                else:
                    messages.success(
                        request, pgettext("safety follow-up", "Sent. The attempt is logged.")
                    )
                return redirect("safety:signal", public_id=signal.public_id)
        else:
            status = 400
    actions.record_signal_view(officer=user, signal=signal, request=request)
    asked = form.cleaned_data.get("asked_for", []) if form.is_bound and form.is_valid() else []
    _, preview = actions.compose(signal, asked, "", get_language() or "sv")
    return render(
        request,
        "safety/follow_up.html",
        {"signal": signal, "form": form, "preview": preview},
        status=status,
    )


# --- cases --------------------------------------------------------------------------------


def _case_context(signal: SafetySignal, case: SafetyCase | None) -> dict[str, Any]:
    return {"signal": signal, "case": case, "row": _row(signal, get_language())}


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The case form for a signal; sent, it opens the case."""
    user = signed_in_user(request)
    signal = access_signal(user, public_id)
    existing = SafetyCase.objects.filter(signal=signal).first()  # visibility: access_signal
    if existing is not None:
        return redirect("safety:case", public_id=existing.public_id)
    status = 200
    if request.method == "POST":
        form = CaseForm(request.POST)
        if form.is_valid():
            try:
                case = actions.open_case(officer=user, signal=signal, **form.case_arguments())
            except SafetyError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
                status = error.status
            else:
                messages.success(request, pgettext("safety case", "The case is open."))
                return redirect("safety:case", public_id=case.public_id)
        else:
            status = 400
    else:
        form = CaseForm(initial=case_initial(signal))
    actions.record_signal_view(officer=user, signal=signal, request=request)
    return render(
        request,
        "safety/case_form.html",
        {**_case_context(signal, None), "form": form},
        status=status,
    )


def _case_page(
    request: HttpRequest,
    case: SafetyCase,
    form: CaseForm,
    close_form: CloseCaseForm,
    *,
    status: int = 200,
) -> HttpResponse:
    user = signed_in_user(request)
    actions.record_case_view(officer=user, case=case, request=request)
    return render(
        request,
        "safety/case_detail.html",
        {
            **_case_context(case.signal, case),
            "form": form,
            "close_form": close_form,
            "follow_ups": list(follow_ups_of(user, case.signal)),
            "clock": countdown(case.due_at),
            "age": days_since(case.day_zero),
            "now": timezone.now(),
        },
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A case: its validity, seriousness, deadline and the form to change it."""
    user = signed_in_user(request)
    case = access_case(user, public_id)
    if request.method != "POST":
        return _case_page(request, case, CaseForm(initial=case_values(case)), CloseCaseForm())
    form = CaseForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, form, CloseCaseForm(), status=400)
    try:
        changed = actions.update_case(officer=user, case=case, **form.case_arguments())
    except SafetyError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return _case_page(request, case, form, CloseCaseForm(), status=error.status)
    messages.success(
        request,
        pgettext("safety case", "Saved.")
        if changed
        else pgettext("safety case", "Nothing changed."),
    )
    return redirect("safety:case", public_id=case.public_id)


@login_required
@require_POST
def case_close(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = signed_in_user(request)
    case = access_case(user, public_id)
    close_form = CloseCaseForm(request.POST)
    form = CaseForm(initial=case_values(case))
    if not close_form.is_valid():
        return _case_page(request, case, form, close_form, status=400)
    try:
        actions.close_case(officer=user, case=case, reason=close_form.cleaned_data["reason"])
    except SafetyError as error:
        close_form.add_error(error.field if error.field in close_form.fields else None, str(error))
        return _case_page(request, case, form, close_form, status=error.status)
    messages.success(request, pgettext("safety case", "The case is closed."))
    return redirect("safety:cases")


@never_cache
@login_required
@require_http_methods(["GET"])
def cases(request: HttpRequest) -> HttpResponse:
    """Safety officers: open cases, the nearest deadline first (or the closed ones)."""
    user = signed_in_user(request)
    check_safety_officer(user)
    shown = request.GET.get("status", CaseStatus.OPEN)
    if shown not in CaseStatus.values:
        shown = CaseStatus.OPEN
    page = Paginator(case_list(user, shown), PER_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    language = get_language()
    rows = [
        {
            "case": case,
            "clock": countdown(case.due_at, now),
            "reaction": reaction_label(case.reaction, language),
        }
        for case in page.object_list
    ]
    return render(
        request,
        "safety/case_list.html",
        {"page": page, "rows": rows, "shown": shown, "tabs": CaseStatus.choices},
    )


# --- a member's messages ------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET"])
def message_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    page = Paginator(messages_for(user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "safety/message_list.html", {"page": page})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def message_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The message and the answer form; someone else's message is a 404."""
    user = signed_in_user(request)
    message = access_message(user, public_id)
    status = 200
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.answer_follow_up(
                    user=user,
                    message=message,
                    consent_to_contact=form.cleaned_data["consent_to_contact"] == "yes",
                    answer=form.cleaned_data["answer"],
                )
            except SafetyError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
                status = error.status
            else:
                messages.success(
                    request, pgettext("safety answer", "Thank you. Your answer is sent.")
                )
                return redirect("safety:message", public_id=message.public_id)
        else:
            status = 400
    else:
        actions.mark_message_read(user=user, message=message)
    return render(
        request, "safety/message_detail.html", {"message": message, "form": form}, status=status
    )
