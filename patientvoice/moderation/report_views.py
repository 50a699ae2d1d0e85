"""The public transparency report (DSA arts. 15 and 24): a page per half-year or any
chosen range, and its CSV export.

Everything shown comes from ``queries.transparency`` and ``queries.transparency_rows``:
counts and codes only, no person and no content, so the page needs no login and the
rendered report is the same for everyone who reads it in one language. It is kept in
the cache per language and period for a few minutes (decisions keep coming in; a
reader a few minutes behind loses nothing).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Min
from django.db.models.enums import Choices
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from .models import (
    Action,
    AppealStatus,
    Case,
    IllegalType,
    ReasonCode,
    ReportReason,
)
from .queries import transparency, transparency_rows
from .report_forms import Period, TransparencyRangeForm, half_years_since

# How long a rendered report (and the date of the first record) is reused.
CACHE_SECONDS = 5 * 60
CACHE_PREFIX = "moderation:transparency"
# Bars are drawn in steps of 5 % of the longest bar in their table (CSS classes
# report-bar-0 … report-bar-100: the CSP allows no inline style).
BAR_STEP = 5
# The measures against accounts (DSA art. 24(1)(b)), counted among the actions.
ACCOUNT_MEASURES = (Action.WARN, Action.SUSPEND, Action.BAN)


# --- the tables -------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    bar: int  # width class: a multiple of BAR_STEP, 0-100


@dataclass(frozen=True)
class Table:
    """One table of the report: the numbers are the content; the bars beside them are
    decoration (hidden from assistive technology)."""

    slug: str
    caption: str
    heading: str  # what the first column lists
    rows: list[Row]

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)


def _bar(count: int, longest: int) -> int:
    if count <= 0 or longest <= 0:
        return 0
    steps = 100 // BAR_STEP
    return max(1, round(count / longest * steps)) * BAR_STEP


def _table(slug: str, caption: str, heading: str, counts: Iterable[tuple[str, int]]) -> Table:
    pairs = list(counts)
    longest = max((count for _, count in pairs), default=0)
    return Table(
        slug=slug,
        caption=caption,
        heading=heading,
        rows=[Row(label=label, count=count, bar=_bar(count, longest)) for label, count in pairs],
    )


def _by_choice(
    choices: type[Choices], counts: Mapping[str, int], only: Iterable[str] | None = None
) -> list[tuple[str, int]]:
    """Every choice (zeros included: what did not happen is part of the report), in the
    choices' order, then any code the counts hold that the choices do not know."""
    wanted = list(only) if only is not None else list(choices.values)
    labels = dict(choices.choices)
    rows = [(str(labels[value]), counts.get(value, 0)) for value in wanted]
    if only is None:
        rows += [(code, n) for code, n in counts.items() if code not in labels]
    return rows


def _tables(data: dict[str, Any]) -> list[Table]:
    notices, flags, actions = data["notices"], data["flags"], data["actions"]
    automation, appeals = data["automation"], data["appeals"]
    total = actions["total"]
    return [
        _table(
            "notices",
            pgettext("transparency", "Notices of illegal content, by type"),
            pgettext("transparency", "Type of illegal content"),
            _by_choice(IllegalType, notices["by_type"]),
        ),
        _table(
            "flags",
            pgettext("transparency", "Reports from members, by reason"),
            pgettext("transparency", "Reason"),
            _by_choice(ReportReason, flags["by_reason"]),
        ),
        _table(
            "trusted",
            pgettext("transparency", "Notices and reports from trusted flaggers"),
            pgettext("transparency", "Sent as"),
            [
                (
                    pgettext("transparency", "Notices of illegal content"),
                    notices["from_trusted_flaggers"],
                ),
                (pgettext("transparency", "Reports from members"), flags["from_trusted_flaggers"]),
            ],
        ),
        _table(
            "actions",
            pgettext("transparency", "Decisions, by action taken"),
            pgettext("transparency", "Action"),
            _by_choice(Action, actions["by_action"]),
        ),
        _table(
            "grounds",
            pgettext("transparency", "Decisions, by the rule or law they rest on"),
            pgettext("transparency", "Ground"),
            _by_choice(ReasonCode, actions["by_reason"]),
        ),
        _table(
            "detection",
            pgettext("transparency", "How the content was found"),
            pgettext("transparency", "Found by"),
            [
                (pgettext("transparency", "Automated checks"), automation["automated_detection"]),
                (
                    pgettext("transparency", "People (reports, notices, moderators)"),
                    total - automation["automated_detection"],
                ),
            ],
        ),
        _table(
            "decided",
            pgettext("transparency", "Who decided"),
            pgettext("transparency", "Decided by"),
            [
                (pgettext("transparency", "Automatically"), automation["automated_decisions"]),
                (pgettext("transparency", "A moderator"), automation["manual_decisions"]),
            ],
        ),
        _table(
            "accounts",
            pgettext("transparency", "Measures against accounts"),
            pgettext("transparency", "Measure"),
            _by_choice(Action, actions["by_action"], only=ACCOUNT_MEASURES),
        ),
        _table(
            "appeals",
            pgettext("transparency", "Appeals, by outcome"),
            pgettext("transparency", "Outcome"),
            _by_choice(AppealStatus, appeals["by_outcome"]),
        ),
    ]


# --- periods ------------------------------------------------------------------------------


def period_name(period: Period) -> str:
    if period.is_half_year:
        if period.half == 1:
            text = pgettext("transparency period", "January–June %(year)s")
        else:
            text = pgettext("transparency period", "July–December %(year)s")
        return text % {"year": period.first.year}
    return pgettext("transparency period", "%(first)s to %(last)s") % {
        "first": _long_date(period.first),
        "last": _long_date(period.last),
    }


def _long_date(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def first_record_day() -> date | None:
    """The day of the first moderation record (every report, decision and appeal
    belongs to a case opened no later), remembered like the report itself."""
    key = f"{CACHE_PREFIX}:first"
    found = cache.get(key)
    if found is None:
        # An aggregate over all cases: it shows none of them.
        opened = Case.objects.aggregate(first=Min("opened_at"))["first"]
        found = timezone.localdate(opened).isoformat() if opened is not None else ""
        cache.set(key, found, CACHE_SECONDS)
    return date.fromisoformat(found) if found else None


def _period_url(name: str, period: Period) -> str:
    return f"{reverse(name)}?{urlencode(period.query())}"


# --- the page -----------------------------------------------------------------------------


def _report_html(period: Period) -> str:
    """The report for ``period`` in the active language: from the cache, or counted
    and rendered now (the same for every reader: rendered without the request)."""
    language = translation.get_language() or ""
    key = f"{CACHE_PREFIX}:{language}:{period.cache_key()}"
    html: str | None = cache.get(key)
    if html is None:
        data = transparency(period.start, period.end)
        context = {
            "period": period,
            "period_name": period_name(period),
            "data": data,
            "tables": _tables(data),
            "csv_url": _period_url("moderation:transparency_export", period),
        }
        html = render_to_string("moderation/report/transparency_report.html", context)
        cache.set(key, html, CACHE_SECONDS)
    return html


def _range_page(
    request: HttpRequest, form: TransparencyRangeForm, period: Period | None, status: int = 200
) -> HttpResponse:
    periods = [
        {
            "name": period_name(p),
            "url": _period_url("moderation:transparency", p),
            "current": p == period,
        }
        for p in half_years_since(first_record_day())
    ]
    context = {
        "form": form,
        "periods": periods,
        "period": period,
        "period_name": period_name(period) if period is not None else "",
        # Our own template's output, rendered from counts and translated labels.
        "report_html": mark_safe(_report_html(period)) if period is not None else "",
    }
    return render(request, "moderation/report/transparency.html", context, status=status)


@require_safe
def transparency_report(request: HttpRequest) -> HttpResponse:
    """The report for the current half-year, or for ``?from=…&to=…``; a malformed
    date, a last day before the first or a range over three years is a 400 with the
    form and its messages."""
    form = TransparencyRangeForm(request.GET)
    if not form.is_valid():
        return _range_page(request, form, None, status=400)
    period = form.period()
    shown = TransparencyRangeForm(initial=period.query())
    return _range_page(request, shown, period)


# --- the CSV export -----------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the line: csv.writer into a stream."""

    def write(self, value: str) -> str:
        return value


def _csv_lines(period: Period) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark first: spreadsheet programs read the file as UTF-8.
    yield "\ufeff"
    for row in transparency_rows(period.start, period.end):
        yield writer.writerow(row)


@require_safe
def transparency_export(request: HttpRequest) -> HttpResponseBase:
    """The decisions of the period as CSV, one row each, with the fields of DSA arts. 15
    and 24 (``queries.CSV_HEADER``): codes and times, no person and no content. The
    same ranges as the page; an invalid one is the page's 400."""
    form = TransparencyRangeForm(request.GET)
    if not form.is_valid():
        return _range_page(request, form, None, status=400)
    period = form.period()
    response = StreamingHttpResponse(_csv_lines(period), content_type="text/csv; charset=utf-8")
    filename = f"patientvoice-transparency-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns: list[URLPattern] = [
    path("transparency/", transparency_report, name="transparency"),
    path("transparency/export.csv", transparency_export, name="transparency_export"),
]
