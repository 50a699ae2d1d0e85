"""Exports of safety cases are audited: who, which cases, in which format
(decisions/0039)."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest

from patientvoice.accounts.models import User
from patientvoice.core import audit

from ..models import SafetyCase
from ..permissions import check_safety_officer


def record_export(
    *,
    officer: User,
    cases: Sequence[SafetyCase],
    format: str,
    request: HttpRequest | None = None,
    batch_number: str = "",
    via: str = "page",
) -> None:
    """One audit entry per export, naming every case in it (by public id and
    reference), the format ("e2b" or "csv"), the E2B batch number and whether it came
    from the pages or the API. An export of one case is recorded against that case.

    Precondition: an active safety officer."""
    check_safety_officer(officer)
    audit.record(
        actor=officer,
        action="safety.cases_exported",
        target=cases[0] if len(cases) == 1 else None,
        data={
            "format": format,
            "cases": [str(case.public_id) for case in cases],
            "references": [case.reference for case in cases],
            "batch": batch_number,
            "via": via,
        },
        request=request,
    )
