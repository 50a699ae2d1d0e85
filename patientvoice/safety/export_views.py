"""Export pages of the safety officers (decisions/0039): one case as E2B(R3) XML, and
the cases list's selected or all cases as an E2B(R3) batch or CSV.

Safety officers only (with two-step verification); every export is audited. A refused
export answers 400 with the page that lists, per case, what to fill in, and no file.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from patientvoice.accounts.permissions import signed_in_user

from .actions.exports import record_export
from .case_exports import Export, ExportRefused, cases_for_export, csv_export, e2b_export
from .models import CaseStatus
from .permissions import access_case, check_safety_officer

E2B_SELECTED = "e2b-selected"
CSV_SELECTED = "csv-selected"
E2B_ALL = "e2b-all"
CSV_ALL = "csv-all"


class CaseIdsField(forms.Field):
    """The ticked cases' public ids (any well-formed id: the officer's cases narrow
    them later)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[uuid.UUID]:
        if not value:
            return []
        try:
            return [uuid.UUID(str(item)) for item in value]
        except ValueError:
            raise forms.ValidationError(
                pgettext_lazy("safety export", "Choose cases from the list.")
            ) from None


class ExportForm(forms.Form):
    """The cases list's export buttons: which cases (ticked, or all of the status
    shown) in which format."""

    action = forms.ChoiceField(
        choices=[
            (E2B_SELECTED, pgettext_lazy("safety export", "E2B(R3) batch of the selected")),
            (CSV_SELECTED, pgettext_lazy("safety export", "CSV of the selected")),
            (E2B_ALL, pgettext_lazy("safety export", "E2B(R3) batch of all")),
            (CSV_ALL, pgettext_lazy("safety export", "CSV of all")),
        ]
    )
    status = forms.ChoiceField(choices=CaseStatus.choices, required=False)
    case = CaseIdsField(required=False)


def _download(export: Export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _refused(request: HttpRequest, error: ExportRefused, back: str) -> HttpResponse:
    return render(
        request,
        "safety/export_refused.html",
        {"error": error, "message": str(error.message), "problems": error.problems, "back": back},
        status=error.status,
    )


@never_cache
@login_required
@require_GET
def case_e2b(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One case as an E2B(R3) batch of one message: the file, or 400 with what is
    missing."""
    user = signed_in_user(request)
    case = access_case(user, public_id)
    found = list(cases_for_export(user, public_ids=[case.public_id]))
    try:
        export = e2b_export(found)
    except ExportRefused as error:
        return _refused(request, error, back=reverse("safety:case", args=[case.public_id]))
    record_export(
        officer=user,
        cases=export.cases,
        format=export.format,
        request=request,
        batch_number=export.batch_number,
    )
    return _download(export)


@never_cache
@login_required
@require_POST
def cases_export(request: HttpRequest) -> HttpResponse:
    """The cases list's exports: the ticked cases, or every case of the status shown,
    as an E2B(R3) batch or CSV."""
    user = signed_in_user(request)
    check_safety_officer(user)
    form = ExportForm(request.POST)
    shown = request.POST.get("status", "")
    back = reverse("safety:cases") + (f"?status={shown}" if shown in CaseStatus.values else "")
    if not form.is_valid():
        return _refused(
            request,
            ExportRefused(
                message=pgettext("safety export", "Choose the cases and the format to export.")
            ),
            back=back,
        )
    action = form.cleaned_data["action"]
    if action in (E2B_SELECTED, CSV_SELECTED):
        chosen = form.cleaned_data["case"]
        cases = list(cases_for_export(user, public_ids=chosen)) if chosen else []
    else:
        cases = list(cases_for_export(user, status=form.cleaned_data["status"] or CaseStatus.OPEN))
    try:
        if action in (E2B_SELECTED, E2B_ALL):
            export = e2b_export(cases)
        else:
            export = csv_export(cases, language=get_language())
    except ExportRefused as error:
        return _refused(request, error, back=back)
    record_export(
        officer=user,
        cases=export.cases,
        format=export.format,
        request=request,
        batch_number=export.batch_number,
    )
    return _download(export)
