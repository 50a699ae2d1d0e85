"""Moderation: members' flags, their statements of reasons and appeals; moderators' cases,
decisions and appeals. The pages' rules, through the same actions, permissions and
queries (decisions/0028); nothing is decided here.

Moderating needs a person in a browser session that logged in with two-step
verification: an access token never carries those powers (``api.auth.TokenAuth``), so
a moderator's token reads and writes only what a member's would.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import pgettext
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import signed_in_user
from patientvoice.communities.models import Post
from patientvoice.communities.permissions import access_community, is_site_staff
from patientvoice.moderation import actions, queries
from patientvoice.moderation.errors import (
    AppealClosed,
    AppealNotAllowed,
    CaseClaimed,
    CaseClosed,
    ContentGone,
    FlagLimit,
    ModerationError,
)
from patientvoice.moderation.models import (
    Action,
    Appeal,
    Case,
    Decision,
    ReasonCode,
    Report,
    ReportReason,
    StatementOfReasons,
)
from patientvoice.moderation.permissions import (
    access_statement,
    can_moderate_anything,
    visible_appeals,
    visible_cases,
)
from patientvoice.moderation.registry import ModerationKind, UnknownKind
from patientvoice.moderation.registry import get as get_kind

from ..auth import token_or_session
from ..errors import ApiError
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import ErrorOut, InputSchema

router = Router(tags=["moderation"])
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
# What a moderation action refuses, as the API's status and code. Anything else the
# actions raise (InvalidReport, InvalidDecision) is a 422 "invalid".
CONFLICTS: dict[type[ModerationError], str] = {
    CaseClosed: "case_closed",
    CaseClaimed: "case_claimed",
    ContentGone: "content_gone",
    AppealClosed: "appeal_closed",
    AppealNotAllowed: "appeal_not_allowed",
}


@contextmanager
def _answering_refusals() -> Iterator[None]:
    """Turn a moderation action's refusal into the API's one error shape, with the
    action's translated message."""
    try:
        yield
    except FlagLimit as exc:
        raise ApiError(429, "flag_limit", str(exc)) from None
    except ModerationError as exc:
        for error, code in CONFLICTS.items():
            if isinstance(exc, error):
                raise ApiError(409, code, str(exc)) from None
        raise ApiError(422, "invalid", str(exc)) from None


def _check_moderator(user: Any) -> None:
    """The moderators' lists answer 403 to people who moderate nothing (and to every
    token: moderating needs a session with two-step verification)."""
    if not can_moderate_anything(user):
        raise PermissionDenied(
            pgettext(
                "api error",
                "Only moderators can do this, logged in with two-step verification "
                "(an access token never carries moderating powers).",
            )
        )


def _handle(user: User | None) -> str | None:
    return user.handle if user is not None else None


# --- schemas ------------------------------------------------------------------------------


class FlagIn(InputSchema):
    kind: str = Field(..., max_length=32, description="What you report: post or profile.")
    target: UUID = Field(..., description="The public id of the post or profile.")
    reason: ReportReason
    illegal_type: str = Field(
        "", max_length=32, description="For reason illegal: the type of illegal content."
    )
    explanation: str = Field("", max_length=Report.MAX_EXPLANATION_LENGTH)


class FlagOut(Schema):
    reference: str
    kind: str
    url: str
    reason: str
    illegal_type: str
    explanation: str
    created_at: datetime
    case_status: str = Field(description="open while moderators look at it; then decided.")

    @staticmethod
    def resolve_case_status(obj: Report) -> str:
        return obj.case.status


class AppealBriefOut(Schema):
    public_id: UUID
    status: str
    text: str
    created_at: datetime
    decided_at: datetime | None
    outcome_reason: str


class StatementOut(Schema):
    public_id: UUID
    reference: str
    language: str
    restriction: str
    restriction_text: str
    content_kind: str
    content_excerpt: str
    ground: str
    ground_text: str
    illegal: bool
    facts: str
    automated_detection: bool
    automated_decision: bool
    redress_text: str
    appeal_deadline: datetime
    created_at: datetime
    read_at: datetime | None
    appeal: AppealBriefOut | None

    @staticmethod
    def resolve_appeal(obj: StatementOfReasons) -> Appeal | None:
        # A statement without an appeal raises RelatedObjectDoesNotExist, an
        # AttributeError: getattr's default answers None.
        return getattr(obj, "appeal", None)


class AppealIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=Appeal.MAX_TEXT_LENGTH)


class CaseOut(Schema):
    public_id: UUID
    kind: str
    community: str | None
    source: str
    severity: int
    urgent: bool
    trusted: bool
    reasons: list[str] = Field(description="The automated checks' reasons for holding it.")
    excerpt: str
    url: str
    status: str
    report_count: int
    author: str | None
    assignee: str | None
    claimed_at: datetime | None
    opened_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_community(obj: Case) -> str | None:
        return obj.community.slug if obj.community is not None else None

    @staticmethod
    def resolve_author(obj: Case) -> str | None:
        return _handle(obj.author)

    @staticmethod
    def resolve_assignee(obj: Case) -> str | None:
        return _handle(obj.assignee)


class CaseFilters(Schema):
    community: str | None = Field(
        None, pattern=SLUG_PATTERN, description="Only this community's queue (its slug)."
    )
    site: bool = Field(False, description="Only the site-wide queue (site staff).")


class CaseReportOut(Schema):
    reference: str
    reason: str
    illegal_type: str
    explanation: str
    is_notice: bool
    trusted: bool
    created_at: datetime
    reporter: str | None = Field(description="The member's handle: site staff only.")
    reporter_name: str | None = Field(description="A notice's sender: site staff only.")


class DecisionOut(Schema):
    public_id: UUID
    case: UUID
    action: str
    reason_code: str
    explanation: str
    automated: bool
    label_text: str
    suspension_until: datetime | None
    created_at: datetime
    moderator: str | None
    statement: str | None = Field(description="The statement of reasons' reference.")
    appeal_status: str | None

    @staticmethod
    def resolve_case(obj: Decision) -> UUID:
        return obj.case.public_id

    @staticmethod
    def resolve_moderator(obj: Decision) -> str | None:
        return _handle(obj.moderator)

    @staticmethod
    def resolve_statement(obj: Decision) -> str | None:
        statement = getattr(obj, "statement", None)
        return statement.reference if statement is not None else None

    @staticmethod
    def resolve_appeal_status(obj: Decision) -> str | None:
        statement = getattr(obj, "statement", None)
        appeal = getattr(statement, "appeal", None) if statement is not None else None
        return appeal.status if appeal is not None else None


class CaseDetailOut(CaseOut):
    reports: list[CaseReportOut]
    decisions: list[DecisionOut] = Field(description="Every decision on this item, newest first.")

    # Filled in by get_case (``Case.reports``/``decisions`` are the related managers).
    @staticmethod
    def resolve_reports(obj: Any) -> list[dict[str, Any]]:
        return obj.reports_shown  # type: ignore[no-any-return]

    @staticmethod
    def resolve_decisions(obj: Any) -> list[Decision]:
        return obj.decisions_shown  # type: ignore[no-any-return]


class DecisionIn(InputSchema):
    action: Action
    reason_code: ReasonCode
    explanation: str = Field(..., min_length=1, max_length=Decision.MAX_EXPLANATION_LENGTH)
    label_text: str = Field("", max_length=200, description="For label: the label's text.")
    suspension_until: datetime | None = Field(None, description="For suspend: when it ends.")
    redacted_text: str = Field(
        "",
        max_length=Post.MAX_BODY_LENGTH,
        description="For redact: the new text, with “[removed by moderators]” where "
        "something was cut.",
    )
    move_to: str | None = Field(
        None, pattern=SLUG_PATTERN, description="For move: the community's slug."
    )
    site_wide: bool = Field(
        False, description="For warn, suspend and ban: everywhere (site staff only)."
    )


class AppealOut(Schema):
    public_id: UUID
    status: str
    text: str
    created_at: datetime
    decided_at: datetime | None
    outcome_reason: str
    statement: str
    case: UUID
    community: str | None
    action: str
    reason_code: str
    appellant: str | None

    @staticmethod
    def resolve_statement(obj: Appeal) -> str:
        return obj.statement.reference

    @staticmethod
    def resolve_case(obj: Appeal) -> UUID:
        return obj.statement.decision.case.public_id

    @staticmethod
    def resolve_community(obj: Appeal) -> str | None:
        community = obj.statement.decision.case.community
        return community.slug if community is not None else None

    @staticmethod
    def resolve_action(obj: Appeal) -> str:
        return obj.statement.decision.action

    @staticmethod
    def resolve_reason_code(obj: Appeal) -> str:
        return obj.statement.decision.reason_code

    @staticmethod
    def resolve_appellant(obj: Appeal) -> str | None:
        return _handle(obj.appellant)


class AppealDecisionIn(InputSchema):
    outcome: Literal["upheld", "reversed"]
    reason: str = Field(..., min_length=1, max_length=Appeal.MAX_TEXT_LENGTH)


# --- members: flags -----------------------------------------------------------------------


def _registered_kind(kind: str) -> ModerationKind:
    try:
        return get_kind(kind)
    except UnknownKind:
        raise ApiError(
            422,
            "invalid",
            pgettext("api error", "This cannot be reported."),
            [{"loc": ["body", "kind"], "msg": kind}],
        ) from None


@router.post("/flags", response={200: FlagOut, 201: FlagOut, **ERRORS}, auth=token_or_session)
def flag(request: HttpRequest, payload: FlagIn) -> Any:
    """Report a post or a profile to its moderators. 201 with the report's reference;
    reporting the same item again while it is open answers 200 with the first report.
    404 for what you cannot see, 403 for your own, 429 ``flag_limit`` after many
    reports in an hour (those sent before are kept)."""
    user = signed_in_user(request)
    registered = _registered_kind(payload.kind)
    target = registered.visible(
        user, registered.model._default_manager.filter(public_id=payload.target)
    ).first()
    if target is None:
        raise Http404
    started = timezone.now()
    with _answering_refusals():
        report = actions.flag(
            reporter=user,
            kind=registered.kind,
            obj=target,
            reason=payload.reason.value,
            explanation=payload.explanation,
            illegal_type=payload.illegal_type,
        )
    return Status(201 if report.created_at >= started else 200, report)


@router.get("/flags", response={200: list[FlagOut], 401: ErrorOut}, auth=token_or_session)
@paginate(BoundedLimitOffsetPagination)
def list_flags(request: HttpRequest) -> Any:
    """The reports you sent, newest first, with whether moderators have decided."""
    return queries.reports_by(signed_in_user(request))


# --- members: statements of reasons and appeals -------------------------------------------


@router.get(
    "/moderation/statements",
    response={200: list[StatementOut], 401: ErrorOut},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def list_statements(request: HttpRequest) -> Any:
    """The statements of reasons for decisions about your content or account (DSA
    art. 17), newest first, with your appeal if you made one."""
    return queries.statements_for(signed_in_user(request))


@router.get(
    "/moderation/statements/{public_id}",
    response={200: StatementOut, 401: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
def get_statement(request: HttpRequest, public_id: UUID) -> Any:
    """One statement: yours, or (for its moderators) one on a case they may decide."""
    return access_statement(signed_in_user(request), public_id)


@router.post(
    "/moderation/statements/{public_id}/read",
    response={200: StatementOut, **ERRORS},
    auth=token_or_session,
)
def read_statement(request: HttpRequest, public_id: UUID) -> Any:
    """Mark your statement as read (the in-app notice of it goes away)."""
    user = signed_in_user(request)
    statement = access_statement(user, public_id)
    actions.mark_statement_read(user=user, statement=statement)
    return statement


@router.post(
    "/moderation/statements/{public_id}/appeal",
    response={201: AppealBriefOut, **ERRORS},
    auth=token_or_session,
)
def appeal(request: HttpRequest, public_id: UUID, payload: AppealIn) -> Any:
    """Appeal the decision (DSA art. 20), within six months, once; another moderator
    decides. 409 ``appeal_not_allowed`` after the deadline or a second time."""
    user = signed_in_user(request)
    statement = access_statement(user, public_id)
    with _answering_refusals():
        made = actions.appeal(appellant=user, statement=statement, text=payload.text)
    return Status(201, made)


# --- moderators: cases ------------------------------------------------------------------


def _case_row(user: Any, public_id: UUID) -> Case:
    """The case with what its row shows, if ``user`` may decide it; 404 otherwise."""
    case = (
        visible_cases(user, Case.objects.filter(public_id=public_id))
        .select_related("community", "assignee", "author")
        .annotate(report_count=Count("reports"))
        .first()
    )
    if case is None:
        raise Http404
    return case


@router.get(
    "/moderation/cases",
    response={200: list[CaseOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> Any:
    """The open cases you may decide, in queue order: urgent first, then severity,
    trusted flaggers, the oldest. ``?community=<slug>`` narrows to one community,
    ``?site=true`` to the site-wide queue (site staff)."""
    user = signed_in_user(request)
    _check_moderator(user)
    cases: QuerySet[Case] = queries.queue(user, site_only=filters.site)
    if filters.community:
        cases = cases.filter(community__slug=filters.community)
    return cases


@router.get(
    "/moderation/cases/{public_id}",
    response={200: CaseDetailOut, 401: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
def get_case(request: HttpRequest, public_id: UUID) -> Any:
    """A case with its reports and every decision on the same item. Who reported is
    shown to site staff only."""
    user = signed_in_user(request)
    case = _case_row(user, public_id)
    staff = is_site_staff(user)
    reports = [
        {
            "reference": report.reference,
            "reason": report.reason,
            "illegal_type": report.illegal_type,
            "explanation": report.explanation,
            "is_notice": report.is_notice,
            "trusted": report.trusted,
            "created_at": report.created_at,
            "reporter": _handle(report.reporter) if staff else None,
            "reporter_name": report.reporter_name if staff else None,
        }
        for report in queries.case_reports(user, case)
    ]
    same_item = visible_cases(user, Case.objects.filter(kind=case.kind, object_id=case.object_id))
    decisions = list(
        Decision.objects.filter(case__in=same_item)
        .select_related("case", "moderator", "statement__appeal")
        .order_by("-created_at", "-id")
    )
    case.reports_shown = reports  # type: ignore[attr-defined]
    case.decisions_shown = decisions  # type: ignore[attr-defined]
    return case


@router.post(
    "/moderation/cases/{public_id}/claim", response={200: CaseOut, **ERRORS}, auth=token_or_session
)
def claim_case(request: HttpRequest, public_id: UUID) -> Any:
    """Take the case (409 ``case_claimed`` when another moderator has it). Taking your
    own case again changes nothing."""
    user = signed_in_user(request)
    with _answering_refusals():
        actions.claim(moderator=user, case=_case_row(user, public_id))
    return _case_row(user, public_id)


@router.post(
    "/moderation/cases/{public_id}/release",
    response={200: CaseOut, **ERRORS},
    auth=token_or_session,
)
def release_case(request: HttpRequest, public_id: UUID) -> Any:
    """Put the case back in the queue for anyone (any of its moderators can)."""
    user = signed_in_user(request)
    with _answering_refusals():
        actions.release(moderator=user, case=_case_row(user, public_id))
    return _case_row(user, public_id)


@router.post(
    "/moderation/cases/{public_id}/decisions",
    response={201: DecisionOut, **ERRORS},
    auth=token_or_session,
)
def decide_case(request: HttpRequest, public_id: UUID, payload: DecisionIn) -> Any:
    """Decide the case: the action, the rule or law it rests on, and the explanation the
    member reads. Each action needs its own field: ``label_text``, ``suspension_until``
    (in the future), ``redacted_text``, ``move_to``. Every restriction sends the member a
    statement of reasons. 409 ``case_closed`` when someone decided it first."""
    user = signed_in_user(request)
    case = _case_row(user, public_id)
    if payload.action == Action.MERGE:
        raise ApiError(
            422, "invalid", pgettext("api error", "Merging discussions is not available yet.")
        )
    move_to = access_community(user, payload.move_to) if payload.move_to else None
    until = payload.suspension_until
    if until is not None and timezone.is_naive(until):
        until = timezone.make_aware(until)
    with _answering_refusals():
        decision = actions.decide(
            moderator=user,
            case=case,
            action=payload.action.value,
            reason_code=payload.reason_code.value,
            explanation=payload.explanation,
            suspension_until=until,
            label_text=payload.label_text,
            text=payload.redacted_text,
            move_to=move_to,
            site_wide=payload.site_wide,
        )
    return Status(201, decision)


# --- moderators: appeals ------------------------------------------------------------------


@router.get(
    "/moderation/appeals",
    response={200: list[AppealOut], 401: ErrorOut, 403: ErrorOut},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def list_appeals(request: HttpRequest) -> Any:
    """Open appeals you may decide, oldest first: on cases you may decide, never
    against your own decision (DSA art. 20(6))."""
    user = signed_in_user(request)
    _check_moderator(user)
    return queries.appeal_queue(user)


@router.post(
    "/moderation/appeals/{public_id}/decision",
    response={200: AppealOut, **ERRORS},
    auth=token_or_session,
)
def decide_appeal(request: HttpRequest, public_id: UUID, payload: AppealDecisionIn) -> Any:
    """Uphold or reverse the decision, with the reason the member reads. 403 for the
    moderator whose decision it is; 409 ``appeal_closed`` when it was decided already."""
    user = signed_in_user(request)
    found = (
        visible_appeals(user, Appeal.objects.filter(public_id=public_id))
        .select_related("statement__decision__case__community", "appellant")
        .first()
    )
    if found is None:
        raise Http404
    with _answering_refusals():
        decided = actions.decide_appeal(
            moderator=user, appeal=found, outcome=payload.outcome, reason=payload.reason
        )
    decided.statement = found.statement
    return decided
