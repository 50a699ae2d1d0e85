"""The members' and visitors' moderation pages (issue 4; decisions/0028).

* ``flag/<kind>/<public id>/``: a signed-in member reports something they can see and
  did not write (``permissions.check_flag``: 404 for what they cannot see, 403 for
  their own). Sent through ``actions.flag``; the answer is the report's own page
  (``my-reports/<public id>/``) with its reference and what happens next. A second
  report of the same item while its case is open returns the first one, and the page
  says so. ``FlagLimit`` answers 429 with the form as it was typed.
* ``my-reports/``: the reports the member sent, newest first, each with what it was
  about (linked while they can still see it) and its status in plain words; each
  report's page says what happens next while it waits, and that a moderator has
  looked at it (and when) once its case is decided.
* ``notice/``: a notice of illegal content from anyone (DSA art. 16), through
  ``actions.send_notice``, which finds the content from the address and limits notices
  per e-mail address. The form resolves the address too, so every error shows in one
  pass. The page adds a honeypot (a filled one gets the same answer and
  nothing is stored) and a limit per network address (``PV_NOTICES_PER_HOUR_PER_IP``,
  5 by default, counted in the cache). The acknowledgement page shows the reference;
  the backend e-mails it.
* ``decisions/`` and ``decisions/<public id>/``: a member's statements of reasons (DSA
  art. 17), newest first, and one statement (``permissions.access_statement``: 404 for
  anyone but its recipient and the moderators of its case), which its recipient's
  visit marks read. Its recipient appeals there (DSA art. 20), once, before the
  deadline (``actions.appeal``); the page then shows the appeal and its outcome in
  place of how to appeal, and no form. The statement's own texts are marked with its
  language (written once, in the recipient's language).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import FieldError, ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
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
REPORTS_PER_PAGE = 20
# Where the notice page leaves the reference for the acknowledgement page (after the
# redirect, so reloading it sends nothing again).
NOTICE_REFERENCE_KEY = "pv_notice_reference"
NOTICE_WINDOW_SECONDS = 3600


def _reference_html(reference: str) -> SafeString:
    """A reference number for a translated sentence that names it, kept on one line
    (``.reference``: a phone would otherwise break it after "PV-")."""
    return format_html('<span class="reference">{}</span>', reference)


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
            "earlier_reference": _reference_html(earlier.reference) if earlier else "",
            "notice_url": reverse("moderation:notice") + "?" + urlencode({"url": content_url}),
        },
        status=status,
    )


@dataclass(frozen=True)
class ReportRow:
    """A report as its sender's pages show it: what kind of thing it was about, and
    where that is now ("" once the sender can no longer see it)."""

    report: Report
    noun: str | Promise
    url: str


def _required_relations(model: type[Model]) -> list[str]:
    """The foreign keys every row of ``model`` has (what a kind's ``url_of`` may read)."""
    return [
        field.name for field in model._meta.concrete_fields if field.many_to_one and not field.null
    ]


def _report_rows(user: Any, reports: Sequence[Report]) -> list[ReportRow]:
    """``reports`` with what they were about, asking each kind's own visibility rule
    whether ``user`` still sees it: one query per kind on the page, however many
    reports. The link is the kind's ``url_of`` now (a thread moved since is linked where
    it is), which reads the object's required relations (a post's community and
    thread): they come in the same query."""
    wanted: dict[str, set[int]] = {}
    for report in reports:
        wanted.setdefault(report.kind, set()).add(report.object_id)
    registered_kinds: dict[str, ModerationKind] = {}
    seen: dict[tuple[str, int], Any] = {}
    for kind, ids in wanted.items():
        try:
            registered = get_kind(kind)
        except UnknownKind:  # a kind no longer registered: shown without a link
            continue
        registered_kinds[kind] = registered
        candidates = registered.model._default_manager.filter(pk__in=ids)
        related = _required_relations(registered.model)
        if related:
            candidates = candidates.select_related(*related)
        for obj in registered.visible(user, candidates):
            seen[(kind, obj.pk)] = obj
    rows = []
    for report in reports:
        found = registered_kinds.get(report.kind)
        obj = seen.get((report.kind, report.object_id))
        url = found.url_of(obj) if found is not None and obj is not None else ""
        rows.append(ReportRow(report=report, noun=found.noun if found else "", url=url))
    return rows


@login_required
@require_safe
def my_reports(request: HttpRequest) -> HttpResponse:
    """The reports the person sent (flags, and notices sent while signed in), newest
    first, with their status; a fixed number of queries per page."""
    user = signed_in_user(request)
    page = Paginator(queries.reports_by(user), REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "moderation/member/my_reports.html",
        {"page": page, "rows": _report_rows(user, list(page.object_list))},
    )


@login_required
@require_safe
def my_report(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A report the person sent: its reference, its status and what happens next, or,
    once a moderator has decided, that they have (404 for anyone else's)."""
    user = signed_in_user(request)
    report = queries.reports_by(user).filter(public_id=public_id).first()
    if report is None:
        raise Http404
    decided = report.case.status == CaseStatus.DECIDED
    return render(
        request,
        "moderation/member/my_report.html",
        {
            "report": report,
            "row": _report_rows(user, [report])[0],
            # "You already reported this" is about a report still waiting.
            "again": request.GET.get("again") == "1" and not decided,
            "decided": decided,
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
    sender = signed_in_user(request) if request.user.is_authenticated else None
    form = NoticeForm(
        request.POST if posted else None,
        initial={"url": request.GET.get("url", "")[:500]},
        viewer=sender,
    )
    status = 200
    if posted:
        if form.caught:
            return _acknowledge(request, _decoy_reference())
        status = 400
        # Every error in one pass: the form's (the address included) and the limit.
        valid = form.is_valid()
        if _address_over_limit(request):
            form.add_error(None, str(FlagLimit()))
            status = 429
        elif valid and form.target is not None:
            data = form.cleaned_data
            registered, obj = form.target
            try:
                report = actions.send_notice(
                    name=data["name"],
                    email=data["email"],
                    kind=registered.kind,
                    obj=obj,
                    url=data["url"],
                    illegal_type=data["illegal_type"],
                    explanation=data["explanation"],
                    good_faith=data["good_faith"],
                    sender=sender,
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
    return render(
        request,
        "moderation/member/notice_sent.html",
        {"reference": _reference_html(str(reference))},
    )


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
    # Why an appeal was refused (made already, or too late): said above the appeal, or
    # in place of the form, which is not shown again.
    refusal = ""
    if posted:
        status = 400
        if form.is_valid():
            try:
                actions.appeal(appellant=user, statement=statement, text=form.cleaned_data["text"])
            except (AppealNotAllowed, AppealClosed) as error:
                refusal = str(error)
            except InvalidDecision as error:
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
    # After a refusal, ask again: the appeal may have been made since the page loaded.
    appeal = _appeal_of(statement) if not refusal else _current_appeal(statement)
    may_appeal = recipient and appeal is None and timezone.now() <= statement.appeal_deadline
    if refusal and may_appeal:  # refused for a reason the form can show
        form.add_error("text", ValidationError(refusal))
        refusal = ""
    typed = form.cleaned_data.get("text", "") if refusal else ""
    return render(
        request,
        "moderation/member/my_decision.html",
        {
            "statement": statement,
            "reference": _reference_html(statement.reference),
            "appeal": appeal,
            "recipient": recipient,
            "form": form,
            "show_form": may_appeal,
            "deadline_passed": timezone.now() > statement.appeal_deadline,
            "refusal": refusal,
            # What they typed for an appeal that was not sent, so it is not lost (not
            # when it is the appeal already made, sent twice).
            "unsent_text": typed if appeal is None or typed != appeal.text else "",
        },
        status=status,
    )


def _current_appeal(statement: StatementOfReasons) -> Appeal | None:
    """The statement's appeal as it is now in the database."""
    return Appeal.objects.filter(statement=statement).first()


urlpatterns: list[URLPattern] = [
    path("flag/<str:kind>/<uuid:public_id>/", flag, name="flag"),
    path("my-reports/", my_reports, name="my_reports"),
    path("my-reports/<uuid:public_id>/", my_report, name="my_report"),
    path("notice/", notice, name="notice"),
    path("notice/sent/", notice_sent, name="notice_sent"),
    path("decisions/", my_decisions, name="my_decisions"),
    path("decisions/<uuid:public_id>/", my_decision, name="my_decision"),
]
