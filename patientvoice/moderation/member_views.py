"""The members' and visitors' moderation pages (issue 4; decisions/0028).

* ``flag/<kind>/<public id>/``: a signed-in member reports something they can see and
  did not write (``permissions.check_flag``: 404 for what they cannot see, 403 for
  their own). Sent through ``actions.flag``; the answer is the report's own page
  (``my-reports/<public id>/``) with its reference and what happens next. A second
  report of the same item while its case is open returns the first one, and the page
  says so. ``FlagLimit`` answers 429 with the form as it was typed.
* ``notice/``: a notice of illegal content from anyone (DSA art. 16), through
  ``actions.send_notice``, which finds the content from the address and limits notices
  per e-mail address. The page adds a honeypot (a filled one gets the same answer and
  nothing is stored) and a limit per network address (``PV_NOTICES_PER_HOUR_PER_IP``,
  5 by default, counted in the cache). The acknowledgement page shows the reference;
  the backend e-mails it.
* ``decisions/`` and ``decisions/<public id>/``: a member's statements of reasons (DSA
  art. 17), newest first, and one statement (``permissions.access_statement``: 404 for
  anyone but its recipient and the moderators of its case), which its recipient's
  visit marks read. Its recipient appeals there (DSA art. 20), once, before the
  deadline (``actions.appeal``); the page then shows the appeal and its outcome.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import FieldError, ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_safe

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.core.audit import client_ip

from . import actions, queries
from .errors import (
    AppealClosed,
    AppealNotAllowed,
    FlagLimit,
    InvalidDecision,
    InvalidReport,
    NoticeTargetNotFound,
)
from .member_forms import AppealForm, FlagForm, NoticeForm
from .models import Appeal, CaseStatus, Report, StatementOfReasons
from .permissions import access_statement, check_flag
from .registry import ModerationKind, UnknownKind
from .registry import get as get_kind

STATEMENTS_PER_PAGE = 20
# Where the notice page leaves the reference for the acknowledgement page (after the
# redirect, so reloading it sends nothing again).
NOTICE_REFERENCE_KEY = "pv_notice_reference"
NOTICE_WINDOW_SECONDS = 3600


# --- flagging ---------------------------------------------------------------------------


def _flaggable(user: Any, kind: str, public_id: UUID) -> tuple[ModerationKind, Any]:
    """The registered kind and the object ``user`` may flag; 404 for an unknown kind or
    object and for one they cannot see, 403 for their own (``check_flag``)."""
    try:
        registered = get_kind(kind)
    except UnknownKind:
        raise Http404 from None
    try:
        obj = registered.model._default_manager.filter(public_id=public_id).first()
    except FieldError:  # a kind without public identifiers is not flagged by address
        raise Http404 from None
    if obj is None:
        raise Http404
    check_flag(user, obj)
    return registered, obj


def _open_report(user: Any, registered: ModerationKind, obj: Any) -> Report | None:
    """The person's report of ``obj`` whose case is still open (a new flag would
    return it)."""
    return (
        queries.reports_by(user)
        .filter(kind=registered.kind, object_id=obj.pk, case__status=CaseStatus.OPEN)
        .first()
    )


def _report_url(report: Report, *, again: bool) -> str:
    url = reverse("moderation:my_report", args=[report.public_id])
    return f"{url}?{urlencode({'again': 1})}" if again else url


@login_required
@require_http_methods(["GET", "POST"])
def flag(request: HttpRequest, kind: str, public_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    registered, obj = _flaggable(user, kind, public_id)
    earlier = _open_report(user, registered, obj)
    posted = request.method == "POST"
    if posted and earlier is not None:
        # A second report while the first waits adds nothing (actions.flag would return
        # the first): say so, whatever this one says.
        return redirect(_report_url(earlier, again=True))
    form = FlagForm(request.POST if posted else None)
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            started = timezone.now()
            try:
                report = actions.flag(
                    reporter=user,
                    kind=registered.kind,
                    obj=obj,
                    reason=form.cleaned_data["reason"],
                    explanation=form.cleaned_data["explanation"],
                    illegal_type=form.cleaned_data["illegal_type"],
                )
            except FlagLimit as error:
                form.add_error(None, str(error))
                status = 429
            except InvalidReport as error:
                form.add_error(None, str(error))
            else:
                # The same person's second click a moment after the first gets the first.
                return redirect(_report_url(report, again=report.created_at < started))
    content_url = registered.url_of(obj)
    return render(
        request,
        "moderation/member/flag.html",
        {
            "form": form,
            "kind": registered,
            "excerpt": registered.excerpt_of(obj),
            "content_url": content_url,
            "earlier": earlier,
            "notice_url": reverse("moderation:notice") + "?" + urlencode({"url": content_url}),
        },
        status=status,
    )


@login_required
@require_safe
def my_report(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A report the person sent: its reference and what happens next (404 for anyone
    else's)."""
    report = queries.reports_by(request.user).filter(public_id=public_id).first()
    if report is None:
        raise Http404
    return render(
        request,
        "moderation/member/my_report.html",
        {
            "report": report,
            "again": request.GET.get("again") == "1",
            "decided": report.case.status == CaseStatus.DECIDED,
        },
    )


# --- notices of illegal content (DSA art. 16) ------------------------------------------


def _address_key(request: HttpRequest) -> str:
    # The address as the audit log and the login limits take it (PV_TRUSTED_PROXY_COUNT),
    # hashed: the cache needs to tell addresses apart, not to hold them.
    address = client_ip(request) or "unknown"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"pv:moderation:notices:{digest}"


def _notices_per_hour() -> int:
    return int(settings.PV_NOTICES_PER_HOUR_PER_IP)


def _address_over_limit(request: HttpRequest) -> bool:
    return int(cache.get(_address_key(request), 0)) >= _notices_per_hour()


def _count_notice(request: HttpRequest) -> None:
    """One more notice from this address in the current hour (a fixed window that
    starts with the first)."""
    key = _address_key(request)
    cache.add(key, 0, timeout=NOTICE_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=NOTICE_WINDOW_SECONDS)


def _decoy_reference() -> str:
    """What a robot that filled the honeypot is shown: a reference of the real shape
    that names no report."""
    year = timezone.localtime().year
    return f"PV-{year}-{secrets.randbelow(900_000) + 100_000:06d}"


def _acknowledge(request: HttpRequest, reference: str) -> HttpResponse:
    request.session[NOTICE_REFERENCE_KEY] = reference
    return redirect("moderation:notice_sent")


@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = NoticeForm(
        request.POST if posted else None,
        initial={"url": request.GET.get("url", "")[:500]},
    )
    status = 200
    if posted:
        if form.caught:
            return _acknowledge(request, _decoy_reference())
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            if _address_over_limit(request):
                form.add_error(None, str(FlagLimit()))
                status = 429
            else:
                try:
                    report = actions.send_notice(
                        name=data["name"],
                        email=data["email"],
                        url=data["url"],
                        illegal_type=data["illegal_type"],
                        explanation=data["explanation"],
                        good_faith=data["good_faith"],
                        sender=signed_in_user(request) if request.user.is_authenticated else None,
                    )
                except FlagLimit as error:
                    form.add_error(None, str(error))
                    status = 429
                except NoticeTargetNotFound as error:
                    form.add_error("url", str(error))
                except InvalidReport as error:
                    form.add_error(None, str(error))
                else:
                    _count_notice(request)
                    return _acknowledge(request, report.reference)
    return render(request, "moderation/member/notice.html", {"form": form}, status=status)


@require_safe
def notice_sent(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(NOTICE_REFERENCE_KEY)
    if not reference:
        return redirect("moderation:notice")
    return render(request, "moderation/member/notice_sent.html", {"reference": reference})


# --- statements of reasons and appeals (DSA arts. 17 and 20) ----------------------------


@login_required
@require_safe
def my_decisions(request: HttpRequest) -> HttpResponse:
    page = Paginator(queries.statements_for(request.user), STATEMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "moderation/member/my_decisions.html", {"page": page})


def _appeal_of(statement: StatementOfReasons) -> Appeal | None:
    try:
        return statement.appeal
    except ObjectDoesNotExist:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def my_decision(request: HttpRequest, public_id: UUID) -> HttpResponse:
    user = signed_in_user(request)
    statement = access_statement(user, public_id)
    recipient = statement.recipient_id == user.pk
    posted = request.method == "POST"
    if posted and not recipient:
        raise Http404  # only the recipient appeals (permissions.check_appeal)
    if recipient and statement.read_at is None:
        actions.mark_statement_read(user=user, statement=statement)
    form = AppealForm(request.POST if posted else None)
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                actions.appeal(appellant=user, statement=statement, text=form.cleaned_data["text"])
            except (AppealNotAllowed, AppealClosed, InvalidDecision) as error:
                form.add_error("text", ValidationError(str(error)))
            else:
                messages.success(
                    request,
                    pgettext(
                        "appeal",
                        "Your appeal is sent. Another moderator will look at the decision "
                        "again, and you will be told the outcome here and by e-mail.",
                    ),
                )
                return redirect("moderation:my_decision", public_id=statement.public_id)
    appeal = _appeal_of(statement)
    open_for_appeal = recipient and appeal is None and timezone.now() <= statement.appeal_deadline
    return render(
        request,
        "moderation/member/my_decision.html",
        {
            "statement": statement,
            "appeal": appeal,
            "recipient": recipient,
            "form": form,
            "show_form": open_for_appeal or form.is_bound,
            "deadline_passed": timezone.now() > statement.appeal_deadline,
        },
        status=status,
    )


urlpatterns: list[URLPattern] = [
    path("flag/<str:kind>/<uuid:public_id>/", flag, name="flag"),
    path("my-reports/<uuid:public_id>/", my_report, name="my_report"),
    path("notice/", notice, name="notice"),
    path("notice/sent/", notice_sent, name="notice_sent"),
    path("decisions/", my_decisions, name="my_decisions"),
    path("decisions/<uuid:public_id>/", my_decision, name="my_decision"),
]
