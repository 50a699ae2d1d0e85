"""Safety: the officers' signals, triage decisions, cases and their exports (E2B(R3)
XML, one case or a batch, and CSV), through the pages' actions, permissions and
queries (decisions/0036, 0039).

Safety officers only, in a browser session that logged in with two-step verification:
an access token never carries the role (``api.auth.TokenAuth``), as it never carries
moderating powers. Everyone else signed in gets 403 with the reason. As on the pages,
every view of a signal or a case is audited, a page of signals starts the clock of
held content it shows, and every export is audited.
"""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language, pgettext
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.directory.models import Medicine
from patientvoice.safety import actions, queries
from patientvoice.safety.actions.exports import record_export
from patientvoice.safety.actions.signals import MAX_REASON_LENGTH
from patientvoice.safety.case_exports import (
    MAX_CASES,
    Export,
    ExportRefused,
    cases_for_export,
    csv_export,
    e2b_export,
)
from patientvoice.safety.concepts import reaction_label
from patientvoice.safety.errors import InvalidInput, SafetyError
from patientvoice.safety.models import (
    CaseStatus,
    FollowUpAttempt,
    MissingDetail,
    Origin,
    SafetyCase,
    SafetySignal,
    SignalStatus,
)
from patientvoice.safety.permissions import access_case, access_signal, is_safety_officer

from ..auth import token_or_session
from ..errors import ApiError
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import ErrorOut, InputSchema

router = Router(tags=["safety"])
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}


def _check_officer(request: HttpRequest) -> Any:
    """The signed-in safety officer with powers active; 403 with the reason for
    everyone else (and for every token)."""
    user = signed_in_user(request)
    if is_safety_officer(user):
        return user
    if getattr(request, "api_token", None) is not None:
        raise PermissionDenied(
            pgettext(
                "api error",
                "Only safety officers can do this, logged in with two-step verification "
                "(an access token never carries the safety officer role).",
            )
        )
    raise PermissionDenied(
        pgettext(
            "api error",
            "Only safety officers can do this, logged in with two-step verification.",
        )
    )


def _refusal(error: SafetyError) -> ApiError:
    """A safety action's refusal in the API's one error shape."""
    if isinstance(error, ExportRefused):
        details = [{"case": p.reference, "missing": p.missing} for p in error.problems]
        return ApiError(error.status, "not_exportable", str(error), details)
    if isinstance(error, InvalidInput):
        return ApiError(422, "invalid", str(error), [{"loc": ["body", error.field]}])
    if error.status == 409:
        return ApiError(409, "conflict", str(error))
    return ApiError(error.status if error.status in (400, 422) else 400, "invalid", str(error))


# --- schemas ------------------------------------------------------------------------------


class SignalOut(Schema):
    public_id: UUID
    status: str
    source: str
    origin: str
    content_kind: str
    content_public_id: UUID | None
    medicine: str = Field(description="The medicine's directory slug, or the name found.")
    medicine_candidates: list[str]
    reaction: str
    reaction_label: str = Field(description="The reaction's name in the request's language.")
    excerpt: str
    medicine_span: list[int] | None
    reaction_span: list[int] | None
    confidence: float
    language: str
    place: str
    audience: str
    content_status: str
    day_zero: datetime | None = Field(description="Null while the clock has not started.")
    day_zero_basis: str
    serious_deadline: datetime | None = Field(description="Day 0 + 15 days.")
    created_at: datetime
    decided_at: datetime | None
    decision_reason: str

    @staticmethod
    def resolve_medicine(obj: SafetySignal) -> str:
        return obj.medicine_slug

    @staticmethod
    def resolve_reaction_label(obj: SafetySignal) -> str:
        return reaction_label(obj.reaction, get_language())


class SignalPage(Schema):
    items: list[SignalOut]
    count: int


class SignalFilters(Schema):
    status: SignalStatus = Field(SignalStatus.NEW, description="Which signals: new by default.")


class CaseIn(InputSchema):
    origin: Origin
    narrative: str = Field("", max_length=SafetyCase.MAX_NARRATIVE_LENGTH)
    suspect_medicine: str | None = Field(
        None, pattern=SLUG_PATTERN, description="The medicine's directory slug."
    )
    reaction: str = Field("", max_length=64, description="A reaction concept of the lexicon.")
    identifiable_reporter: bool = False
    identifiable_patient: bool = False
    suspect_medicine_known: bool = False
    reaction_known: bool = False
    death: bool = False
    life_threatening: bool = False
    hospitalisation: bool = False
    disability: bool = False
    congenital_anomaly: bool = False
    other_medically_important: bool = False


class DecisionIn(InputSchema):
    decision: Literal["not_a_case", "follow_up", "case"]
    reason: str = Field("", max_length=MAX_REASON_LENGTH, description="For not_a_case.")
    asked_for: list[MissingDetail] = Field(
        default_factory=list, max_length=len(MissingDetail), description="For follow_up."
    )
    note: str = Field("", max_length=FollowUpAttempt.MAX_NOTE_LENGTH, description="For follow_up.")
    case: CaseIn | None = Field(None, description="For case: the case form's answers.")


class DecisionOut(Schema):
    signal: SignalOut
    case: UUID | None = None
    follow_up: UUID | None = None
    follow_up_outcome: str | None = None


class CaseOut(Schema):
    public_id: UUID
    reference: str
    signal: UUID
    status: str
    valid: bool
    missing_criteria: list[str]
    serious: bool
    origin: str
    suspect_medicine: str | None = Field(description="The directory slug.")
    reaction: str
    day_zero: datetime
    due_at: datetime
    deadline_days: int

    @staticmethod
    def resolve_signal(obj: SafetyCase) -> UUID:
        return obj.signal.public_id

    @staticmethod
    def resolve_valid(obj: SafetyCase) -> bool:
        return obj.is_valid

    @staticmethod
    def resolve_serious(obj: SafetyCase) -> bool:
        return obj.is_serious

    @staticmethod
    def resolve_suspect_medicine(obj: SafetyCase) -> str | None:
        return obj.suspect_medicine.slug if obj.suspect_medicine is not None else None


class CaseDetailOut(CaseOut):
    identifiable_reporter: bool
    identifiable_patient: bool
    suspect_medicine_known: bool
    reaction_known: bool
    death: bool
    life_threatening: bool
    hospitalisation: bool
    disability: bool
    congenital_anomaly: bool
    other_medically_important: bool
    narrative: str
    created_at: datetime
    closed_at: datetime | None
    close_reason: str


class CaseFilters(Schema):
    status: CaseStatus = Field(CaseStatus.OPEN, description="Open cases by default.")


class ExportIn(InputSchema):
    cases: list[UUID] | None = Field(
        None, max_length=MAX_CASES, description="These cases; or, without it, all of status."
    )
    status: CaseStatus = Field(CaseStatus.OPEN, description="Without cases: all of this status.")


# --- signals ------------------------------------------------------------------------------


@router.get(
    "/safety/signals",
    response={200: SignalPage, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=token_or_session,
)
def list_signals(
    request: HttpRequest,
    filters: Query[SignalFilters],
    page: Query[BoundedLimitOffsetPagination.Input],
) -> Any:
    """Signals of one status (not reviewed, by default), oldest first as the queue
    shows them. Shown excerpts start the clock of held content; each page is audited."""
    user = _check_officer(request)
    signals = queries.signal_queue(user, filters.status.value)
    count = signals.count()
    shown = list(signals[page.offset : page.offset + page.limit])
    actions.record_officer_sight(shown)
    actions.record_queue_view(
        officer=user, signals=shown, request=request, status=filters.status.value
    )
    return {"items": shown, "count": count}


@router.get(
    "/safety/signals/{public_id}",
    response={200: SignalOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
def get_signal(request: HttpRequest, public_id: UUID) -> Any:
    """One signal (audited; starts its clock if its content was held and unseen)."""
    user = _check_officer(request)
    signal = access_signal(user, public_id)
    actions.record_officer_sight([signal])
    actions.record_signal_view(officer=user, signal=signal, request=request)
    return signal


def _medicine(slug: str | None) -> Medicine | None:
    if not slug:
        return None
    found = Medicine.objects.filter(slug=slug, is_active=True).first()
    if found is None:
        raise ApiError(
            422,
            "invalid",
            pgettext("api error", "Choose a medicine from the directory."),
            [{"loc": ["body", "case", "suspect_medicine"], "msg": slug}],
        )
    return found


@router.post(
    "/safety/signals/{public_id}/decision",
    response={200: DecisionOut, 201: DecisionOut, **ERRORS},
    auth=token_or_session,
)
def decide_signal(request: HttpRequest, public_id: UUID, payload: DecisionIn) -> Any:
    """Triage: ``not_a_case`` with its ``reason``; ``follow_up`` sends the author the
    templated message asking for ``asked_for`` (201, logged); ``case`` opens the case
    with ``case``'s answers (201). 409 when the signal is a case already."""
    user = _check_officer(request)
    signal = access_signal(user, public_id)
    try:
        if payload.decision == "not_a_case":
            actions.decide_not_a_case(officer=user, signal=signal, reason=payload.reason)
            return {"signal": signal}
        if payload.decision == "follow_up":
            attempt = actions.send_follow_up(
                officer=user,
                signal=signal,
                asked_for=[item.value for item in payload.asked_for],
                note=payload.note,
            )
            signal.refresh_from_db(fields=["status", "decided_at"])
            return Status(
                201,
                {
                    "signal": signal,
                    "follow_up": attempt.public_id,
                    "follow_up_outcome": attempt.outcome,
                },
            )
        if payload.case is None:
            raise ApiError(
                422,
                "invalid",
                pgettext("api error", "Send the case's answers in case."),
                [{"loc": ["body", "case"]}],
            )
        fields = payload.case.model_dump()
        fields["suspect_medicine"] = _medicine(payload.case.suspect_medicine)
        fields["origin"] = payload.case.origin.value
        case = actions.open_case(officer=user, signal=signal, **fields)
    except SafetyError as error:
        raise _refusal(error) from None
    return Status(201, {"signal": signal, "case": case.public_id})


# --- cases --------------------------------------------------------------------------------


@router.get(
    "/safety/cases",
    response={200: list[CaseOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    """Cases of one status (open by default), the nearest deadline first."""
    user = _check_officer(request)
    return queries.case_list(user, filters.status.value)


@router.get(
    "/safety/cases/{public_id}",
    response={200: CaseDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
def get_case(request: HttpRequest, public_id: UUID) -> Any:
    """One case with its answers and narrative (audited)."""
    user = _check_officer(request)
    case = access_case(user, public_id)
    actions.record_case_view(officer=user, case=case, request=request)
    return case


def _download(request: HttpRequest, user: Any, export: Export) -> HttpResponse:
    record_export(
        officer=user,
        cases=export.cases,
        format=export.format,
        request=request,
        batch_number=export.batch_number,
        via="api",
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


@router.get(
    "/safety/cases/{public_id}/e2b",
    response={200: None, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
def export_case(request: HttpRequest, public_id: UUID) -> Any:
    """The case as ICH E2B(R3) XML (a batch of one message). 400 ``not_exportable``
    with what is missing (``details``) while the case is not valid or lacks an
    element; no file then. Audited."""
    user = _check_officer(request)
    case = access_case(user, public_id)
    try:
        export = e2b_export(list(cases_for_export(user, public_ids=[case.public_id])))
    except ExportRefused as error:
        raise _refusal(error) from None
    return _download(request, user, export)


def _chosen(user: Any, payload: ExportIn) -> list[SafetyCase]:
    if payload.cases is not None:
        found = list(cases_for_export(user, public_ids=payload.cases))
        if len(found) != len(set(payload.cases)):
            raise ApiError(
                404,
                "not_found",
                pgettext("api error", "Some of these cases do not exist."),
                [{"loc": ["body", "cases"]}],
            )
        return found
    return list(cases_for_export(user, status=payload.status.value))


@router.post(
    "/safety/exports/e2b",
    response={200: None, **ERRORS},
    auth=token_or_session,
)
def export_batch(request: HttpRequest, payload: ExportIn) -> Any:
    """An E2B(R3) batch of ``cases``, or of all cases of ``status``: one message per
    case. Refused whole (400 ``not_exportable``, per case in ``details``) if any case
    is not ready. Audited."""
    user = _check_officer(request)
    try:
        export = e2b_export(_chosen(user, payload))
    except ExportRefused as error:
        raise _refusal(error) from None
    return _download(request, user, export)


@router.post(
    "/safety/exports/csv",
    response={200: None, **ERRORS},
    auth=token_or_session,
)
def export_csv(request: HttpRequest, payload: ExportIn) -> Any:
    """``cases``, or all cases of ``status``, as CSV (one row per case, valid or not;
    cells that a spreadsheet would run as a formula start with an apostrophe). Audited."""
    user = _check_officer(request)
    try:
        export = csv_export(_chosen(user, payload), language=get_language())
    except ExportRefused as error:
        raise _refusal(error) from None
    return _download(request, user, export)
