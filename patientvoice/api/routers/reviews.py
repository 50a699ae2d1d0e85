"""Reviews of medicines, physicians and clinics: the pages' rules, through the same
actions, permissions and queries (nothing decided here).

Reads pass through ``reviews.permissions`` (``reviews_for_entry``, ``access_review``):
a visitor sees published reviews, an author also their own held or hidden one, acting
staff everything. Writes call ``reviews.actions``; each refusal in ``reviews/errors.py``
answers its own status with the API's error shape and its translated message
(:func:`review_refusal`).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils.translation import get_language, pgettext
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.directory.models import Condition
from patientvoice.directory.queries import active_clinic, active_medicine, active_physician
from patientvoice.reviews import actions
from patientvoice.reviews.actions import ReviewResult
from patientvoice.reviews.dimensions import KINDS
from patientvoice.reviews.errors import (
    ConflictDeclared,
    ConflictKnown,
    InvalidReview,
    InvalidScores,
    ReviewError,
    ReviewExists,
    ReviewingTooFast,
    ReviewNotEditable,
)
from patientvoice.reviews.kinds import review_url
from patientvoice.reviews.models import SIDE_EFFECTS_TEXT_LENGTH, Review
from patientvoice.reviews.permissions import access_review
from patientvoice.reviews.queries import reviews_for_entry

from ..auth import optional_auth, token_or_session
from ..errors import ApiError
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import SLUG, ErrorOut, InputSchema

router = Router(tags=["reviews"])
WRITE_ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
    429: ErrorOut,
}

# The error code of each refusal; a refusal not named here (a later one) answers a
# code for its status.
REFUSAL_CODES: dict[type[ReviewError], str] = {
    ReviewExists: "review_exists",
    InvalidScores: "invalid_scores",
    InvalidReview: "invalid_review",
    ConflictDeclared: "conflict_declared",
    ConflictKnown: "conflict_known",
    ReviewingTooFast: "rate_limited",
    ReviewNotEditable: "review_not_editable",
}
STATUS_CODES = {400: "invalid_review", 403: "forbidden", 409: "conflict", 429: "rate_limited"}


def review_refusal(error: ReviewError) -> ApiError:
    """``error`` as the API answers it: its status, a code, its translated message and,
    for an answer that does not fit, which field (``loc``) it is about."""
    code = next(
        (c for cls, c in REFUSAL_CODES.items() if type(error) is cls),
        STATUS_CODES.get(error.status, "refused"),
    )
    details: list[Any] = []
    if isinstance(error, InvalidScores):
        details = [{"loc": ["body", "scores", error.dimension], "msg": str(error)}]
    elif isinstance(error, InvalidReview):
        details = [{"loc": ["body", error.field], "msg": str(error)}]
    elif isinstance(error, ReviewExists) and error.review is not None:
        details = [{"review": str(error.review.public_id)}]
    return ApiError(error.status, code, str(error), details)


@contextmanager
def refusals_as_api_errors() -> Iterator[None]:
    try:
        yield
    except ReviewError as error:
        raise review_refusal(error) from None


# --- schemas


class ReviewOut(Schema):
    public_id: UUID
    kind: str
    entry: str = Field(description="The slug of the medicine, physician or clinic.")
    url: str = Field(description="The review on its entry's page.")
    author: str | None = Field(description="A handle; null for a former member.")
    status: str = Field(description="published; your own may be held or hidden.")
    scores: dict[str, int]
    body_html: str
    language: str
    published_at: datetime | None
    edited_at: datetime | None
    older_than_two_years: bool
    is_verified_experience: bool
    on_behalf: bool = Field(description="Written for someone the author cares for.")
    condition: str | None = Field(description="Medicines: the condition's slug.")
    duration: str
    still_taking: bool | None
    stop_reason: str
    side_effects: list[str]
    side_effects_text: str
    would_recommend: bool | None
    waiting_minutes: int | None

    @staticmethod
    def resolve_entry(obj: Review) -> str:
        return str(obj.entry.slug)

    @staticmethod
    def resolve_url(obj: Review) -> str:
        return review_url(obj)

    @staticmethod
    def resolve_author(obj: Review) -> str | None:
        return obj.author.handle if obj.author else None

    @staticmethod
    def resolve_older_than_two_years(obj: Review) -> bool:
        return obj.is_older_than_two_years()

    @staticmethod
    def resolve_condition(obj: Review) -> str | None:
        return obj.condition.slug if obj.condition else None


class ReviewIn(InputSchema):
    """The whole review form. Medicine questions (``condition`` to
    ``would_recommend``) are for medicines only, ``waiting_minutes`` for physicians."""

    scores: dict[str, int] = Field(
        ..., description="Every dimension of the kind, 1 to 5 (GET an entry for the keys)."
    )
    conflict: str = Field(
        ...,
        max_length=16,
        description="Ties to what you review: none, works_for, paid_by or related. "
        "Anything but none means you cannot review it.",
    )
    body: str = Field("", max_length=Review.MAX_BODY_LENGTH, description="Markdown.")
    on_behalf: bool = False
    condition: str | None = Field(None, max_length=80, description="A condition's slug.")
    duration: str = Field("", max_length=16)
    still_taking: bool | None = None
    stop_reason: str = Field("", max_length=16)
    side_effects: list[str] = Field(default_factory=list, max_length=30)
    side_effects_text: str = Field("", max_length=SIDE_EFFECTS_TEXT_LENGTH * 2)
    would_recommend: bool | None = None
    waiting_minutes: int | None = Field(None, ge=0, le=32767)


class NewReviewIn(ReviewIn):
    language: Literal["sv", "en"] | None = Field(
        None, description="The language it is written in; the request's by default."
    )


class ReviewSavedOut(Schema):
    public_id: UUID
    status: str = Field(description="published, or held for a moderator.")
    held_because: list[str]


class ReviewFilters(Schema):
    order: Literal["newest", "oldest"] = "newest"


def _saved(result: ReviewResult) -> dict[str, Any]:
    return {
        "public_id": result.review.public_id,
        "status": result.review.status,
        "held_because": [str(message) for message in result.hold_messages],
    }


def _condition(slug: str | None) -> Condition | None:
    if not slug:
        return None
    condition = Condition.objects.filter(slug=slug).first()
    if condition is None:
        raise ApiError(
            422,
            "invalid",
            pgettext("api error", "Unknown condition."),
            [{"loc": ["body", "condition"], "msg": slug}],
        )
    return condition


def _answers(payload: ReviewIn) -> dict[str, Any]:
    return {
        "scores": payload.scores,
        "conflict": payload.conflict,
        "body": payload.body,
        "on_behalf": payload.on_behalf,
        "condition": _condition(payload.condition),
        "duration": payload.duration,
        "still_taking": payload.still_taking,
        "stop_reason": payload.stop_reason,
        "side_effects": payload.side_effects,
        "side_effects_text": payload.side_effects_text,
        "would_recommend": payload.would_recommend,
        "waiting_minutes": payload.waiting_minutes,
    }


# --- an entry's reviews

ENTRIES: dict[str, Callable[[str], Any]] = {
    "medicine": active_medicine,
    "physician": active_physician,
    "clinic": active_clinic,
}


def _entry(kind: str, slug: str) -> Any:
    """The active entry of ``kind``, or 404 (as its page)."""
    entry = ENTRIES[kind](slug)
    if entry is None:
        raise Http404
    return entry


def _list(request: HttpRequest, kind: str, slug: str, order: str) -> Any:
    entry = _entry(kind, slug)
    return reviews_for_entry(request.user, entry, order).select_related(KINDS[kind].entry_field)


def _create(request: HttpRequest, kind: str, slug: str, payload: NewReviewIn) -> Any:
    user = signed_in_user(request)
    entry = _entry(kind, slug)
    language = payload.language or (get_language() or settings.LANGUAGE_CODE)[:2]
    with refusals_as_api_errors():
        result = actions.submit_review(
            author=user, entry=entry, language=language, **_answers(payload)
        )
    return Status(201, _saved(result))


LIST_RESPONSES: dict[int, Any] = {200: list[ReviewOut], 404: ErrorOut}
CREATE_RESPONSES: dict[int, Any] = {201: ReviewSavedOut, **WRITE_ERRORS}


@router.get("/medicines/{slug}/reviews", response=LIST_RESPONSES, auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_medicine_reviews(
    request: HttpRequest, filters: Query[ReviewFilters], slug: str = SLUG
) -> Any:
    """The medicine's reviews you may see, newest first by default."""
    return _list(request, "medicine", slug, filters.order)


@router.post("/medicines/{slug}/reviews", response=CREATE_RESPONSES, auth=token_or_session)
def create_medicine_review(request: HttpRequest, payload: NewReviewIn, slug: str = SLUG) -> Any:
    """Review a medicine (once). ``status`` ``held`` waits for a moderator."""
    return _create(request, "medicine", slug, payload)


@router.get("/physicians/{slug}/reviews", response=LIST_RESPONSES, auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_physician_reviews(
    request: HttpRequest, filters: Query[ReviewFilters], slug: str = SLUG
) -> Any:
    return _list(request, "physician", slug, filters.order)


@router.post("/physicians/{slug}/reviews", response=CREATE_RESPONSES, auth=token_or_session)
def create_physician_review(request: HttpRequest, payload: NewReviewIn, slug: str = SLUG) -> Any:
    return _create(request, "physician", slug, payload)


@router.get("/clinics/{slug}/reviews", response=LIST_RESPONSES, auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_clinic_reviews(
    request: HttpRequest, filters: Query[ReviewFilters], slug: str = SLUG
) -> Any:
    return _list(request, "clinic", slug, filters.order)


@router.post("/clinics/{slug}/reviews", response=CREATE_RESPONSES, auth=token_or_session)
def create_clinic_review(request: HttpRequest, payload: NewReviewIn, slug: str = SLUG) -> Any:
    return _create(request, "clinic", slug, payload)


# --- one review


@router.get(
    "/reviews/{public_id}",
    response={200: ReviewOut, 404: ErrorOut},
    auth=optional_auth,
    url_name="review",
)
def get_review(request: HttpRequest, public_id: UUID) -> Any:
    return access_review(request.user, public_id)


@router.put(
    "/reviews/{public_id}", response={200: ReviewSavedOut, **WRITE_ERRORS}, auth=token_or_session
)
def edit_review(request: HttpRequest, public_id: UUID, payload: ReviewIn) -> Any:
    """Replace your own review's answers (the whole form, as the edit page). 404 for
    anyone else's; 403 ``review_not_editable`` once a moderator has hidden it."""
    user = signed_in_user(request)
    review = access_review(user, public_id)
    with refusals_as_api_errors():
        result = actions.edit_review(review=review, editor=user, **_answers(payload))
    return _saved(result)


@router.delete("/reviews/{public_id}", response={204: None, **WRITE_ERRORS}, auth=token_or_session)
def withdraw_review(request: HttpRequest, public_id: UUID) -> Status[None]:
    """Delete your own review (404 for anyone else's)."""
    user = signed_in_user(request)
    review = access_review(user, public_id)
    actions.withdraw_review(review=review, actor=user)
    return Status(204, None)
