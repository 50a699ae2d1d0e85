"""Exports of safety cases: E2B(R3) XML, one case or a batch, and CSV (decisions/0039).

The pages (``export_views``) and the API (``api/routers/safety.py``) both call
:func:`cases_for_export` (the officer's cases, through ``visible_cases``),
:func:`e2b_export` or :func:`csv_export`, then ``actions.exports.record_export``.
An E2B export is refused with :class:`ExportRefused`, and nothing is sent, when a case
is not valid (the four minimum criteria of GVP VI.B.2) or the batch breaks a rule of
``e2b_check``; the refusal lists what to fill in, per case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext, pgettext_lazy

from . import e2b
from .csv_export import cases_csv, field_label
from .e2b_check import check_batch
from .errors import SafetyError
from .models import CaseStatus, FollowUpAttempt, SafetyCase
from .permissions import visible_cases

# A batch is one file an officer uploads; past this, split it.
MAX_CASES = 500


@dataclass(frozen=True)
class CaseProblems:
    """What one case (``reference``) lacks before it can be exported."""

    reference: str
    missing: list[str]


class ExportRefused(SafetyError):
    """The export is refused and no file is made; ``problems`` says what, per case."""

    status = 400
    message: str | Promise = pgettext_lazy(
        "safety export", "This cannot be exported yet. Fill in what is missing and try again."
    )

    def __init__(
        self, problems: Sequence[CaseProblems] = (), message: str | Promise | None = None
    ) -> None:
        self.problems = list(problems)
        super().__init__(message)

    def __str__(self) -> str:
        text = str(self.message)
        details = [
            pgettext("safety export", "%(case)s: missing %(missing)s.")
            % {"case": p.reference, "missing": ", ".join(p.missing)}
            for p in self.problems
        ]
        return " ".join([text, *details])


@dataclass(frozen=True)
class Export:
    """A file ready to send: its bytes, name and type, and what went in it."""

    content: bytes
    filename: str
    content_type: str
    format: str  # "e2b" or "csv"
    cases: list[SafetyCase] = field(default_factory=list)
    batch_number: str = ""


def cases_for_export(
    user: Any,
    *,
    public_ids: Iterable[UUID | str] | None = None,
    status: str | None = None,
) -> QuerySet[SafetyCase]:
    """The officer's cases named by ``public_ids``, or all cases of ``status``, with
    what the export reads (signal, medicines, follow-ups): a fixed number of
    queries however many cases."""
    qs = visible_cases(user, SafetyCase.objects.all())
    if public_ids is not None:
        qs = qs.filter(public_id__in=list(public_ids))
    if status is not None:
        qs = qs.filter(status=status if status in CaseStatus.values else CaseStatus.OPEN)
    return (
        qs.select_related("signal", "signal__medicine", "suspect_medicine")
        .prefetch_related(
            Prefetch(
                "signal__follow_ups",
                queryset=FollowUpAttempt.objects.order_by("created_at", "id"),
                to_attr="follow_ups_for_export",
            )
        )
        .order_by("due_at", "id")
    )


def _criteria_labels(case: SafetyCase) -> list[str]:
    return [field_label(name) for name in case.missing_criteria]


def _refuse_too_many(cases: Sequence[SafetyCase]) -> None:
    if not cases:
        raise ExportRefused(
            message=pgettext_lazy("safety export", "Choose at least one case to export.")
        )
    if len(cases) > MAX_CASES:
        raise ExportRefused(
            message=pgettext_lazy("safety export", "Export at most %(limit)s cases at a time.")
            % {"limit": MAX_CASES}
        )


def _stamp(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d}"


def filename(cases: Sequence[SafetyCase], kind: str, extension: str, now: datetime) -> str:
    """``PV-2025-000042_e2b_2025-06-01.xml``; a batch names its first three cases and
    how many more."""
    references = [c.reference for c in cases[:3]]
    more = f"_and-{len(cases) - 3}-more" if len(cases) > 3 else ""
    return f"{'_'.join(references)}{more}_{kind}_{_stamp(now)}.{extension}"


def e2b_export(cases: Sequence[SafetyCase], *, now: datetime | None = None) -> Export:
    """The E2B(R3) batch of ``cases`` (one message each), checked. Raises
    :class:`ExportRefused` listing, per case, the missing minimum criteria and every
    element the structural check finds missing or wrong."""
    cases = list(cases)
    _refuse_too_many(cases)
    now = now or timezone.now()
    sender = e2b.Sender.from_settings()
    reports = [
        e2b.case_report(case, sender, getattr(case.signal, "follow_ups_for_export", ()))
        for case in cases
    ]
    number = e2b.new_batch_number(sender, now)
    root = e2b.batch(reports, sender, now=now, batch_number=number)
    found = check_batch(root)
    by_report: dict[str, list[str]] = {}
    for problem in found:
        listed = by_report.setdefault(problem.where, [])
        if str(problem) not in listed:
            listed.append(str(problem))
    problems: list[CaseProblems] = []
    if by_report.get(""):
        problems.append(CaseProblems(pgettext("safety export", "The batch"), by_report[""]))
    for case, report in zip(cases, reports, strict=True):
        missing = _criteria_labels(case) + by_report.get(report.report_id, [])
        if missing:
            problems.append(CaseProblems(case.reference, missing))
    if problems:
        raise ExportRefused(problems)
    return Export(
        content=e2b.serialise(root),
        filename=filename(cases, "e2b", "xml", now),
        content_type="application/xml; charset=utf-8",
        format="e2b",
        cases=cases,
        batch_number=number,
    )


def csv_export(
    cases: Sequence[SafetyCase], *, language: str | None, now: datetime | None = None
) -> Export:
    """One row per case, valid or not (CSV is for the officers' own records)."""
    cases = list(cases)
    _refuse_too_many(cases)
    now = now or timezone.now()
    return Export(
        content=cases_csv(cases, language).encode("utf-8"),
        filename=filename(cases, "cases", "csv", now),
        content_type="text/csv; charset=utf-8",
        format="csv",
        cases=cases,
    )
