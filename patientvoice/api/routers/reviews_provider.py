"""The provider's voice (decisions/0032): claims, replies, the reviewer's "this reply
helped" and "a change was made", and disputes. The pages' rules, through the same
actions and permissions; nothing is decided here. Staff list, decide and revoke claims
in a browser session with their powers active (a token never carries staff powers:
403)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.core.publishing import ContentTooLong
from patientvoice.moderation.errors import FlagLimit, MemberSanctioned
from patientvoice.reviews import provider_actions as actions
from patientvoice.reviews.errors import (
    ClaimDecided,
    ClaimExists,
    ClaimNeedsMfa,
    ClaimNotApproved,
    DisputeClosed,
    DisputeExists,
    NotAProvider,
    NotTheReviewer,
    ReplyExists,
    ReplyNotEditable,
    ReviewError,
)
from patientvoice.reviews.models import (
    DisputeReason,
    ProviderClaim,
    ReviewDispute,
    ReviewReply,
)
from patientvoice.reviews.permissions import access_review
from patientvoice.reviews.provider_permissions import (
    check_decide_claims,
    reply_is_shown_to,
    visible_claims,
)
from patientvoice.reviews.provider_queries import claims_for_staff

from ..auth import optional_auth, token_or_session
from ..errors import ApiError
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import ErrorOut, InputSchema

router = Router(tags=["reviews: provider's voice"])
ERRORS: dict[int, type[ErrorOut]] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}
CODES: dict[type[ReviewError], str] = {
    NotAProvider: "not_a_provider",
    ReplyExists: "reply_exists",
    ReplyNotEditable: "reply_not_editable",
    NotTheReviewer: "not_the_reviewer",
    DisputeExists: "dispute_exists",
    DisputeClosed: "dispute_closed",
    ClaimExists: "claim_exists",
    ClaimDecided: "claim_decided",
    ClaimNotApproved: "claim_not_approved",
    ClaimNeedsMfa: "mfa_required",
}


@contextmanager
def _answering_refusals() -> Iterator[None]:
    """An action's refusal in the API's one error shape, with its translated message
    and status (400 refusals of a well-formed request are 422 ``invalid`` here)."""
    try:
        yield
    except ReviewError as exc:
        for error, code in CODES.items():
            if isinstance(exc, error):
                raise ApiError(exc.status, code, str(exc)) from None
        raise ApiError(422 if exc.status == 400 else exc.status, "invalid", str(exc)) from None
    except MemberSanctioned as exc:
        raise ApiError(403, "forbidden", str(exc)) from None
    except FlagLimit as exc:
        raise ApiError(429, "rate_limited", str(exc)) from None
    except ContentTooLong:
        raise ApiError(422, "invalid", str(ReviewReply.MAX_BODY_LENGTH)) from None


class ReplyOut(Schema):
    public_id: UUID
    review: UUID = Field(alias="review.public_id")
    body: str
    body_html: str
    status: str
    author_role: str
    created_at: datetime
    edited_at: datetime | None
    helped: bool
    change_made: bool
    change_note: str
    speaks_for_entry: bool = Field(
        description="False once staff revoked the claim it was written under: the reply "
        "stays, no longer as the page's voice."
    )

    @staticmethod
    def resolve_helped(obj: ReviewReply) -> bool:
        return obj.helped_at is not None

    @staticmethod
    def resolve_change_made(obj: ReviewReply) -> bool:
        return obj.change_made_at is not None


class ReplyIn(InputSchema):
    body: str = Field(min_length=1, max_length=ReviewReply.MAX_BODY_LENGTH)


class ChangeMadeIn(InputSchema):
    note: str = Field(default="", max_length=ReviewReply.MAX_CHANGE_NOTE_LENGTH)


class DisputeIn(InputSchema):
    reason: DisputeReason
    text: str = Field(default="", max_length=ReviewDispute.MAX_TEXT_LENGTH)


class DisputeOut(Schema):
    public_id: UUID
    review: UUID = Field(alias="review.public_id")
    reason: str
    status: str
    created_at: datetime


class ClaimIn(InputSchema):
    kind: Literal["physician", "clinic"]
    slug: str = Field(min_length=1, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$")
    role: str = Field(min_length=1, max_length=ProviderClaim.MAX_ROLE_LENGTH)
    evidence: str = Field(default="", max_length=ProviderClaim.MAX_EVIDENCE_LENGTH)


class ClaimOut(Schema):
    public_id: UUID
    kind: str
    entry: str
    role: str
    status: str
    reason: str
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_entry(obj: ProviderClaim) -> str:
        return str(obj.entry.slug)


class StaffClaimOut(ClaimOut):
    """A claim as staff see it: who asked and how to check it."""

    claimant: str
    evidence: str
    decided_by: str | None

    @staticmethod
    def resolve_claimant(obj: ProviderClaim) -> str:
        return obj.user.handle

    @staticmethod
    def resolve_decided_by(obj: ProviderClaim) -> str | None:
        return obj.decided_by.handle if obj.decided_by is not None else None


class ClaimDecisionIn(InputSchema):
    decision: Literal["approve", "reject"]
    reason: str = Field(min_length=1, max_length=ProviderClaim.MAX_REASON_LENGTH)


class ClaimRevocationIn(InputSchema):
    reason: str = Field(min_length=1, max_length=ProviderClaim.MAX_REASON_LENGTH)


def _reply_of(user: Any, public_id: UUID) -> ReviewReply:
    review = access_review(user, public_id)
    reply = ReviewReply.objects.filter(review=review).first()  # visibility: next line
    if reply is None or not reply_is_shown_to(user, reply):
        raise Http404
    reply.review = review
    return reply


@router.get(
    "/reviews/{public_id}/reply", response={200: ReplyOut, 404: ErrorOut}, auth=optional_auth
)
def get_reply(request: HttpRequest, public_id: UUID) -> Any:
    """The provider's reply to a review, for whoever may see both."""
    return _reply_of(request.user, public_id)


@router.post(
    "/reviews/{public_id}/reply", response={201: ReplyOut, **ERRORS}, auth=token_or_session
)
def create_reply(request: HttpRequest, public_id: UUID, payload: ReplyIn) -> Any:
    """Reply publicly as the claimed physician or clinic (once per review). 403
    ``not_a_provider`` without an approved claim on the reviewed entry; 409
    ``reply_exists``."""
    user = signed_in_user(request)
    review = access_review(user, public_id)
    with _answering_refusals():
        result = actions.reply_to_review(
            author=user, review=review, body=payload.body, language=(get_language() or "sv")[:2]
        )
    return Status(201, result.content)


@router.patch(
    "/reviews/{public_id}/reply", response={200: ReplyOut, **ERRORS}, auth=token_or_session
)
def edit_reply(request: HttpRequest, public_id: UUID, payload: ReplyIn) -> Any:
    """Edit your own reply (the earlier text is kept)."""
    user = signed_in_user(request)
    reply = _reply_of(user, public_id)
    if reply.author_id != user.pk:
        raise Http404
    with _answering_refusals():
        actions.edit_reply(editor=user, reply=reply, body=payload.body)
    return reply


def _reviewer_mark(
    request: HttpRequest,
    public_id: UUID,
    *,
    helped: bool | None = None,
    made: bool | None = None,
    note: str = "",
) -> ReviewReply:
    user = signed_in_user(request)
    reply = _reply_of(user, public_id)
    with _answering_refusals():
        if helped is not None:
            actions.mark_reply_helped(reviewer=user, reply=reply, helped=helped)
        if made is not None:
            actions.mark_change_made(reviewer=user, reply=reply, made=made, note=note)
    return reply


@router.put(
    "/reviews/{public_id}/reply/helped", response={200: ReplyOut, **ERRORS}, auth=token_or_session
)
def mark_helped(request: HttpRequest, public_id: UUID) -> Any:
    """The reviewer says the reply helped (403 ``not_the_reviewer`` for anyone else)."""
    return _reviewer_mark(request, public_id, helped=True)


@router.delete(
    "/reviews/{public_id}/reply/helped", response={200: ReplyOut, **ERRORS}, auth=token_or_session
)
def unmark_helped(request: HttpRequest, public_id: UUID) -> Any:
    return _reviewer_mark(request, public_id, helped=False)


@router.put(
    "/reviews/{public_id}/reply/change-made",
    response={200: ReplyOut, **ERRORS},
    auth=token_or_session,
)
def mark_change_made(request: HttpRequest, public_id: UUID, payload: ChangeMadeIn) -> Any:
    """The reviewer confirms a change was made, with an optional short note."""
    return _reviewer_mark(request, public_id, made=True, note=payload.note)


@router.delete(
    "/reviews/{public_id}/reply/change-made",
    response={200: ReplyOut, **ERRORS},
    auth=token_or_session,
)
def unmark_change_made(request: HttpRequest, public_id: UUID) -> Any:
    return _reviewer_mark(request, public_id, made=False)


@router.post(
    "/reviews/{public_id}/disputes", response={201: DisputeOut, **ERRORS}, auth=token_or_session
)
def dispute(request: HttpRequest, public_id: UUID, payload: DisputeIn) -> Any:
    """Dispute a review as its claimed provider; moderators decide, and both sides are
    told. The review stays visible meanwhile."""
    user = signed_in_user(request)
    review = access_review(user, public_id)
    with _answering_refusals():
        made = actions.dispute_review(
            provider=user, review=review, reason=payload.reason.value, text=payload.text
        )
    return Status(201, made)


@router.post("/provider-claims", response={201: ClaimOut, **ERRORS}, auth=token_or_session)
def claim(request: HttpRequest, payload: ClaimIn) -> Any:
    """Ask to speak for a physician (you are them: two-step verification needed) or a
    clinic (you represent it). Staff decide on the site."""
    from patientvoice.reviews.dimensions import KINDS

    user = signed_in_user(request)
    model: Any = KINDS[payload.kind].model
    entry = model.objects.filter(slug=payload.slug, is_active=True).first()
    if entry is None:
        raise Http404
    with _answering_refusals():
        made = actions.request_claim(
            user=user, entry=entry, role=payload.role, evidence=payload.evidence
        )
    return Status(201, made)


@router.get(
    "/provider-claims", response={200: list[ClaimOut], 401: ErrorOut}, auth=token_or_session
)
@paginate(BoundedLimitOffsetPagination)
def list_claims(request: HttpRequest) -> Any:
    """Your claims, newest first."""
    user = signed_in_user(request)
    return visible_claims(
        user, ProviderClaim.objects.filter(user=user).select_related("physician", "clinic")
    ).order_by("-created_at", "-id")


def _staff_claim(request: HttpRequest, public_id: UUID) -> tuple[Any, ProviderClaim]:
    user = signed_in_user(request)
    check_decide_claims(user)
    claim = visible_claims(
        user,
        ProviderClaim.objects.filter(public_id=public_id).select_related(
            "user", "physician", "clinic", "decided_by"
        ),
    ).first()
    if claim is None:
        raise Http404
    return user, claim


@router.get(
    "/provider-claims/queue",
    response={200: list[StaffClaimOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=token_or_session,
)
@paginate(BoundedLimitOffsetPagination)
def staff_claims(
    request: HttpRequest, show: Literal["pending", "approved", "decided"] = "pending"
) -> Any:
    """Site staff (a session with two-step verification): the claims waiting for a
    decision (oldest first), the approved ones, or those rejected or revoked (latest
    decision first). 403 for everyone else and for every token."""
    user = signed_in_user(request)
    check_decide_claims(user)
    return claims_for_staff(user, show)


@router.post(
    "/provider-claims/{public_id}/decision",
    response={200: StaffClaimOut, **ERRORS},
    auth=token_or_session,
)
def decide_claim(request: HttpRequest, public_id: UUID, payload: ClaimDecisionIn) -> Any:
    """Site staff approve or reject a pending claim with a reason the member reads. 409
    ``claim_decided`` when it is not pending any more."""
    user, claim = _staff_claim(request, public_id)
    with _answering_refusals():
        decided = actions.decide_claim(
            staff=user, claim=claim, approve=payload.decision == "approve", reason=payload.reason
        )
    return decided


@router.post(
    "/provider-claims/{public_id}/revocation",
    response={200: StaffClaimOut, **ERRORS},
    auth=token_or_session,
)
def revoke_claim(request: HttpRequest, public_id: UUID, payload: ClaimRevocationIn) -> Any:
    """Site staff revoke an approved claim with a reason the member reads: the member
    can no longer reply or dispute, and their replies stay, no longer as the page's
    voice. 409 ``claim_not_approved`` when it is not approved (any more); 422 without a
    reason."""
    user, claim = _staff_claim(request, public_id)
    with _answering_refusals():
        revoked = actions.revoke_claim(staff=user, claim=claim, reason=payload.reason)
    return revoked
