"""Safety cases as CSV, one row per case, for the officers' own records
(decisions/0039).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and tab or
carriage return) as a formula; the narrative and the medicine are typed by people, so
such a cell is written with a leading apostrophe (OWASP's advice on CSV injection).
The file starts with a byte-order mark, so spreadsheet programs read å, ä and ö right.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime

from django.utils import timezone
from django.utils.translation import pgettext

from .concepts import reaction_label
from .models import SERIOUSNESS_FIELDS, SafetyCase

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """``value`` as text a spreadsheet shows and never runs."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _when(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def _yes_no(value: bool) -> str:
    return pgettext("safety csv", "yes") if value else pgettext("safety csv", "no")


def field_label(name: str) -> str:
    """A case field's name as the case form shows it ("identifiable patient")."""
    return str(getattr(SafetyCase._meta.get_field(name), "verbose_name", name))


def _labels(case: SafetyCase, names: Sequence[str]) -> str:
    return "; ".join(field_label(name) for name in names if getattr(case, name))


def headers() -> list[str]:
    return [
        pgettext("safety csv", "Case"),
        pgettext("safety csv", "Case id"),
        pgettext("safety csv", "Signal id"),
        pgettext("safety csv", "Day 0"),
        pgettext("safety csv", "Due"),
        pgettext("safety csv", "Status"),
        pgettext("safety csv", "Valid"),
        pgettext("safety csv", "Missing criteria"),
        pgettext("safety csv", "Serious"),
        pgettext("safety csv", "Seriousness"),
        pgettext("safety csv", "Origin"),
        pgettext("safety csv", "Medicine"),
        pgettext("safety csv", "Reaction"),
        pgettext("safety csv", "Narrative"),
    ]


def row(case: SafetyCase, language: str | None) -> list[str]:
    from patientvoice.directory.queries import medicine_name

    medicine = case.suspect_medicine
    missing = "; ".join(field_label(name) for name in case.missing_criteria)
    values: list[object] = [
        case.reference,
        case.public_id,
        case.signal.public_id,
        _when(case.day_zero),
        _when(case.due_at),
        case.get_status_display(),
        _yes_no(case.is_valid),
        missing,
        _yes_no(case.is_serious),
        _labels(case, SERIOUSNESS_FIELDS),
        case.get_origin_display(),
        medicine_name(medicine, language) if medicine is not None else "",
        reaction_label(case.reaction, language),
        case.narrative,
    ]
    return [safe_cell(value) for value in values]


def cases_csv(cases: Sequence[SafetyCase], language: str | None) -> str:
    """The CSV text (headers in ``language``), byte-order mark first."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in headers()])
    for case in cases:
        writer.writerow(row(case, language))
    return buffer.getvalue()
