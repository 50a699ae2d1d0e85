"""Verified professionals (decisions/0033): a person's own applications and credential,
the verifiers' queue and decisions, and anyone's public credential by handle. The
pages' rules, through the same actions and permissions. Verifiers act in a browser
session that passed two-step verification: a token never carries the role."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.moderation.errors import MemberSanctioned
from patientvoice.professionals import actions
from patientvoice.professionals.errors import InvalidApplication, ProfessionalError
from patientvoice.professionals.evidence import EvidenceRejected, check_evidence
from patientvoice.professionals.models import (
    Credential,
    Profession,
    ProfessionalQuestion,
    VerificationRequest,
)
from patientvoice.professionals.permissions import (
    access_request,
    access_request_as_verifier,
    check_professional,
    check_verifier,
    visible_credentials,
)
from patientvoice.professionals.queries import (
    credential_by_handle,
    credential_of,
    own_requests,
    verification_queue,
)
from patientvoice.professionals.question_queries import field_label, question_queue

from ..auth import optional_auth, token_or_session
from ..errors import ApiError
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import ErrorOut, InputSchema

router = Router(tags=["professionals"])
ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    503: ErrorOut,
}


@contextmanager
def _answering_refusals() -> Iterator[None]:
    """An action's refusal in the API's one error shape (a 400 of a well-formed
    request is 422 ``invalid`` here, naming the field)."""
    try:
        yield
    except InvalidApplication as exc:
        raise ApiError(
            422, "invalid", str(exc), [{"loc": ["body", exc.field], "msg": str(exc)}]
        ) from None
    except ProfessionalError as exc:
        raise ApiError(422 if exc.status == 400 else exc.status, exc.code, str(exc)) from None
    except MemberSanctioned as exc:
        raise ApiError(403, "forbidden", str(exc)) from None
    except PermissionDenied as exc:
        raise ApiError(403, "forbidden", str(exc)) from None


class BadgeOut(Schema):
    """What anyone may see of an active credential."""

    public_id: UUID
    profession: str
    profession_label: str
    country: str
    specialty: str
    real_name: str | None
    verified_at: datetime
    employer: str
    industry_ties: str

    @staticmethod
    def resolve_profession_label(obj: Credential) -> str:
        return obj.profession_label()

    @staticmethod
    def resolve_real_name(obj: Credential) -> str | None:
        return obj.real_name if obj.shows_real_name else None


class CredentialOut(BadgeOut):
    """The holder's own view."""

    shows_real_name: bool
    expires_at: datetime
    active: bool
    revoked_at: datetime | None
    revoked_reason: str

    @staticmethod
    def resolve_real_name(obj: Credential) -> str | None:
        return obj.real_name

    @staticmethod
    def resolve_active(obj: Credential) -> bool:
        return obj.is_active()


class RequestOut(Schema):
    public_id: UUID
    profession: str
    country: str
    profession_text: str
    licence_number: str
    specialty: str
    workplace: str
    real_name: str
    shows_real_name: bool
    employer: str
    industry_ties: str
    evidence_kind: str
    evidence_sha256: str
    evidence_size: int
    evidence_kept: bool
    status: str
    reason: str
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_evidence_kept(obj: VerificationRequest) -> bool:
        return obj.has_evidence


class QueueItemOut(RequestOut):
    applicant: str = Field(alias="applicant.handle")
    registry_results: list[dict[str, Any]]


class DecisionIn(InputSchema):
    decision: Literal["approve", "reject"]
    reason: str = Field(default="", max_length=VerificationRequest.MAX_REASON)


class RevokeIn(InputSchema):
    reason: str = Field(min_length=1, max_length=VerificationRequest.MAX_REASON)


class ApplicationIn(InputSchema):
    profession: Profession
    country: str = Field(default="SE", max_length=2)
    profession_text: str = Field(default="", max_length=200)
    licence_number: str = Field(max_length=VerificationRequest.MAX_LICENCE)
    specialty: str = Field(default="", max_length=200)
    workplace: str = Field(max_length=200)
    real_name: str = Field(max_length=200)
    shows_real_name: bool = True
    employer: str = Field(default="", max_length=200)
    industry_ties: str = Field(default="", max_length=VerificationRequest.MAX_TIES)
    no_industry_ties: bool = False


# --- the person's own ---------------------------------------------------------------------


@router.get(
    "/professionals/me/requests",
    response={200: list[RequestOut], 401: ErrorOut},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def my_requests(request: HttpRequest) -> Any:
    """Your verification requests, newest first."""
    return own_requests(signed_in_user(request))


@router.post(
    "/professionals/me/requests", response={201: RequestOut, **ERRORS}, auth=token_or_session
)
def apply(request: HttpRequest, payload: Form[ApplicationIn], evidence: File[UploadedFile]) -> Any:
    """Ask to be verified (``multipart/form-data``: the answers and the ``evidence``
    file, a PDF or a PNG, JPEG or WebP picture, checked by content). 403
    ``mfa_required`` without two-step verification; 409 ``request_pending``."""
    user = signed_in_user(request)
    try:
        checked = check_evidence(evidence)
    except EvidenceRejected as exc:
        message = str(exc.messages[0])
        raise ApiError(
            422, "invalid", message, [{"loc": ["body", "evidence"], "msg": message}]
        ) from None
    answers = payload.dict()
    answers["profession"] = payload.profession.value
    with _answering_refusals():
        made = actions.submit_request(applicant=user, evidence=checked, **answers)
    return Status(201, made)


@router.post(
    "/professionals/me/requests/{public_id}/withdraw",
    response={200: RequestOut, **ERRORS},
    auth=token_or_session,
)
def withdraw(request: HttpRequest, public_id: UUID) -> Any:
    """Withdraw your waiting request (409 ``request_decided`` once decided)."""
    user = signed_in_user(request)
    found = access_request(user, public_id)
    if found.applicant_id != user.pk:
        raise Http404
    with _answering_refusals():
        return actions.withdraw_request(applicant=user, request=found)


@router.get(
    "/professionals/me/credential",
    response={200: CredentialOut, 401: ErrorOut, 404: ErrorOut},
    auth=token_or_session,
)
def my_credential(request: HttpRequest) -> Any:
    """Your current credential (``active`` false once it has expired), or 404."""
    user = signed_in_user(request)
    credential = credential_of(user)
    if credential is None:
        raise Http404
    return credential


# --- verifiers ----------------------------------------------------------------------------


@router.get(
    "/professionals/verification-requests",
    response={200: list[QueueItemOut], 401: ErrorOut, 403: ErrorOut},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def queue(
    request: HttpRequest,
    status: Literal["pending", "approved", "rejected", "withdrawn"] = "pending",
) -> Any:
    """Verifiers: requests in ``status``, the oldest waiting first. A session that
    passed two-step verification only (403 for a token)."""
    user = signed_in_user(request)
    with _answering_refusals():
        check_verifier(user)
    return verification_queue(user, status)


@router.get(
    "/professionals/verification-requests/{public_id}",
    response={200: QueueItemOut, **ERRORS},
    auth=token_or_session,
)
def request_detail(request: HttpRequest, public_id: UUID) -> Any:
    user = signed_in_user(request)
    with _answering_refusals():
        return access_request_as_verifier(user, public_id)


@router.post(
    "/professionals/verification-requests/{public_id}/decision",
    response={200: QueueItemOut, **ERRORS},
    auth=token_or_session,
)
def decide(request: HttpRequest, public_id: UUID, payload: DecisionIn) -> Any:
    """Approve or reject, with the reason the applicant reads (required to reject:
    422 ``reason_required``); 409 ``request_decided``."""
    user = signed_in_user(request)
    with _answering_refusals():
        found = access_request_as_verifier(user, public_id)
        return actions.decide_request(
            verifier=user,
            request=found,
            approve=payload.decision == "approve",
            reason=payload.reason,
        )


@router.post(
    "/professionals/credentials/{public_id}/revoke",
    response={200: CredentialOut, **ERRORS},
    auth=token_or_session,
)
def revoke(request: HttpRequest, public_id: UUID, payload: RevokeIn) -> Any:
    """Site staff, in a session with their powers active: revoke a credential."""
    user = signed_in_user(request)
    credential = (
        visible_credentials(user, Credential.objects.filter(public_id=public_id))
        .select_related("user")
        .first()
    )
    if credential is None:
        raise Http404
    with _answering_refusals():
        return actions.revoke_credential(staff=user, credential=credential, reason=payload.reason)


# --- anyone -------------------------------------------------------------------------------


@router.get(
    "/profiles/{handle}/credential",
    response={200: BadgeOut, 404: ErrorOut},
    auth=optional_auth,
)
def public_credential(request: HttpRequest, handle: str) -> Any:
    """The active credential of the person with ``handle`` (the badge and the public
    conflict-of-interest declaration), or 404 when there is none or their profile is
    not visible to the caller."""
    credential = credential_by_handle(request.user, handle)
    if credential is None:
        raise Http404
    return credential


# --- questions for professionals (decisions/0037) -------------------------------------------


class QuestionOut(Schema):
    """A question in a professional's queue."""

    thread: UUID
    title: str
    url: str
    community: str
    community_name: str
    field: str
    field_label: str
    asked_at: datetime
    answered: bool
    answered_by_profession: str
    # A question of a community the caller advises: first in the queue.
    advised: bool

    @staticmethod
    def resolve_thread(obj: ProfessionalQuestion) -> UUID:
        return obj.thread.public_id

    @staticmethod
    def resolve_title(obj: ProfessionalQuestion) -> str:
        return obj.thread.title

    @staticmethod
    def resolve_url(obj: ProfessionalQuestion) -> str:
        return obj.thread.get_absolute_url()

    @staticmethod
    def resolve_community(obj: ProfessionalQuestion) -> str:
        return obj.thread.community.slug

    @staticmethod
    def resolve_community_name(obj: ProfessionalQuestion) -> str:
        return obj.thread.community.name

    @staticmethod
    def resolve_field_label(obj: ProfessionalQuestion) -> str:
        return field_label(obj.field)

    @staticmethod
    def resolve_answered(obj: ProfessionalQuestion) -> bool:
        return obj.first_answer_at is not None

    @staticmethod
    def resolve_answered_by_profession(obj: ProfessionalQuestion) -> str:
        return obj.first_answer_profession or ""

    @staticmethod
    def resolve_advised(obj: ProfessionalQuestion) -> bool:
        return bool(getattr(obj, "advised", False))


@router.get(
    "/professionals/questions",
    response={200: list[QuestionOut], **ERRORS},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def list_questions(request: HttpRequest, fields: Literal["mine", "all"] = "mine") -> Any:
    """The caller's queue as a verified professional (active credential, two-step login
    in this session): the questions they may read and answer, those of the communities
    they advise first, unanswered before answered, then the oldest; in their
    profession's fields unless ``fields=all``."""
    user = signed_in_user(request)
    with _answering_refusals():
        credential = check_professional(user)
    return question_queue(user, credential, all_fields=fields == "all")
