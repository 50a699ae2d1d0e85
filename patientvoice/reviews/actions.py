"""Every write to reviews: submit, edit, withdraw, a moderator's change of status, and
erasure. Each keeps the rating summaries right in its own transaction
(:mod:`patientvoice.reviews.aggregates`).

Refusals are typed errors with translated messages (:mod:`patientvoice.reviews.errors`,
and moderation's ``MemberSanctioned``); forms show ``str(error)`` and keep the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core import audit, ratelimit
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import PublishResult, publish, run_after_publish
from patientvoice.directory.models import Condition
from patientvoice.moderation.permissions import check_may_post
from patientvoice.search import indexing as search_indexing

from .aggregates import apply_change, contribution_of
from .dimensions import SCORE_MAX, SCORE_MIN, SIDE_EFFECTS, ReviewKind, kind_for_entry
from .errors import (
    CONFLICT_UNANSWERED,
    ConflictDeclared,
    ConflictKnown,
    InvalidReview,
    InvalidScores,
    ReviewExists,
    ReviewingTooFast,
)
from .holds import reviewing
from .models import (
    MAX_WAITING_MINUTES,
    SIDE_EFFECTS_TEXT_LENGTH,
    Conflict,
    Duration,
    Review,
    ReviewRevision,
    StopReason,
)
from .permissions import check_edit_review, check_withdraw_review, known_conflict
from .trust import HOLD_MESSAGES, account_hold_reason, remember_review_text

REVIEW_LABEL = "reviews.review"
DAY = 24 * 3600


@dataclass
class ReviewResult:
    """What the page tells the author: the review, whether it was published or held
    and why, and the help panels the pipeline asked for (crisis help)."""

    review: Review
    publish_result: PublishResult | None = None
    hold_messages: list[str | Promise] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.review.status == ContentStatus.PUBLISHED

    @property
    def held(self) -> bool:
        return self.review.status == ContentStatus.HELD

    @property
    def help_panels(self) -> list[str]:
        return self.publish_result.help_panels if self.publish_result is not None else []


@dataclass(frozen=True)
class _Answers:
    """The validated answers of a review form."""

    scores: dict[str, int]
    condition: Condition | None
    duration: str
    still_taking: bool | None
    stop_reason: str
    side_effects: list[str]
    side_effects_text: str
    would_recommend: bool | None
    waiting_minutes: int | None
    on_behalf: bool


def _clean_scores(kind: ReviewKind, scores: Mapping[str, Any]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for dimension in kind.dimensions:
        value = scores.get(dimension.key)
        if value in (None, "") and not dimension.required:
            continue
        try:
            number = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = 0
        if isinstance(value, bool) or str(value).strip() != str(number):
            number = 0
        if not SCORE_MIN <= number <= SCORE_MAX:
            raise InvalidScores(dimension.key, dimension.label)
        cleaned[dimension.key] = number
    return cleaned


def _not_for(kind: ReviewKind, name: str) -> InvalidReview:
    return InvalidReview(
        name,
        pgettext_lazy("review error", "This question is not asked about a %(kind)s."),
        kind=kind.label,
    )


def _clean(
    kind: ReviewKind,
    *,
    scores: Mapping[str, Any],
    condition: Condition | None,
    duration: str,
    still_taking: bool | None,
    stop_reason: str,
    side_effects: Iterable[str],
    side_effects_text: str,
    would_recommend: bool | None,
    waiting_minutes: int | None,
    on_behalf: bool,
) -> _Answers:
    cleaned_scores = _clean_scores(kind, scores)
    side_effects = list(dict.fromkeys(side_effects))
    side_effects_text = side_effects_text.strip()
    if not kind.has_medicine_details:
        for name, value in (
            ("condition", condition),
            ("duration", duration or None),
            ("still_taking", still_taking),
            ("stop_reason", stop_reason or None),
            ("side_effects", side_effects or None),
            ("side_effects_text", side_effects_text or None),
            ("would_recommend", would_recommend),
        ):
            if value is not None:
                raise _not_for(kind, name)
    if duration and duration not in Duration.values:
        raise InvalidReview(
            "duration", pgettext_lazy("review error", "Choose how long it was taken.")
        )
    if stop_reason and stop_reason not in StopReason.values:
        raise InvalidReview(
            "stop_reason", pgettext_lazy("review error", "Choose why it was stopped.")
        )
    if still_taking is False and not stop_reason:
        raise InvalidReview(
            "stop_reason",
            pgettext_lazy("review error", "You stopped taking it: please say why."),
        )
    if still_taking is not False:
        stop_reason = ""  # a reason given, then "still taking it" chosen: not stopped
    unknown = [s for s in side_effects if s not in SIDE_EFFECTS]
    if unknown:
        raise InvalidReview(
            "side_effects", pgettext_lazy("review error", "Choose side effects from the list.")
        )
    if len(side_effects_text) > SIDE_EFFECTS_TEXT_LENGTH:
        raise InvalidReview(
            "side_effects_text",
            pgettext_lazy(
                "review error", "Please describe other side effects in %(limit)s characters."
            ),
            limit=SIDE_EFFECTS_TEXT_LENGTH,
        )
    if waiting_minutes is not None:
        if not kind.has_waiting_minutes:
            raise _not_for(kind, "waiting_minutes")
        if isinstance(waiting_minutes, bool) or not 0 <= waiting_minutes <= MAX_WAITING_MINUTES:
            raise InvalidReview(
                "waiting_minutes",
                pgettext_lazy(
                    "review error", "Give the waiting time in minutes, from 0 to %(limit)s."
                ),
                limit=MAX_WAITING_MINUTES,
            )
    return _Answers(
        scores=cleaned_scores,
        condition=condition,
        duration=duration,
        still_taking=still_taking,
        stop_reason=stop_reason,
        side_effects=side_effects,
        side_effects_text=side_effects_text,
        would_recommend=would_recommend,
        waiting_minutes=waiting_minutes,
        on_behalf=on_behalf,
    )


def _check_conflict(user: User, entry: Any, conflict: str) -> None:
    if conflict not in Conflict.values:
        raise InvalidReview("conflict", CONFLICT_UNANSWERED)
    if conflict != Conflict.NONE:
        raise ConflictDeclared
    if known_conflict(user, entry):
        raise ConflictKnown.for_entry(entry)


def _fill(review: Review, answers: _Answers) -> None:
    review.scores = answers.scores
    review.condition = answers.condition
    review.duration = answers.duration
    review.still_taking = answers.still_taking
    review.stop_reason = answers.stop_reason
    review.side_effects = answers.side_effects
    review.side_effects_text = answers.side_effects_text
    review.would_recommend = answers.would_recommend
    review.waiting_minutes = answers.waiting_minutes
    review.on_behalf = answers.on_behalf


def _publish(review: Review, author: User) -> ReviewResult:
    """Through the pipeline, held when the account is new or unverified."""
    reason = account_hold_reason(author)
    if not reason:
        review.is_verified_experience = True
    with reviewing(review.entry):  # the review-only holds know what is rated (holds.py)
        result = publish(review, hold_for_review=bool(reason), hold_reason=reason)
    messages: list[str | Promise] = [HOLD_MESSAGES[reason]] if reason else []
    messages += result.hold_messages
    if review.body.strip():
        text, author_id, pk = review.body, author.pk, review.pk
        transaction.on_commit(lambda: remember_review_text(author_id, text, pk))
    return ReviewResult(review=review, publish_result=result, hold_messages=messages)


@transaction.atomic
def submit_review(
    *,
    author: User,
    entry: Any,
    scores: Mapping[str, Any],
    conflict: str,
    body: str = "",
    language: str = "sv",
    on_behalf: bool = False,
    condition: Condition | None = None,
    duration: str = "",
    still_taking: bool | None = None,
    stop_reason: str = "",
    side_effects: Iterable[str] = (),
    side_effects_text: str = "",
    would_recommend: bool | None = None,
    waiting_minutes: int | None = None,
) -> ReviewResult:
    """Review ``entry`` (a ``Medicine``, ``Physician`` or ``Clinic``) as ``author``.

    ``scores`` maps every required dimension of the entry's kind
    (``dimensions.KINDS``) to 1..5; ``conflict`` is the form's declaration
    (``models.Conflict``). The medicine questions (``condition`` ... ``would_recommend``)
    are for medicines only, ``waiting_minutes`` for physicians only.

    Refuses, in this order: ``MemberSanctioned`` (suspended or banned),
    ``InvalidReview`` (no answer on ties), ``ConflictDeclared``, ``ConflictKnown``,
    ``ReviewExists``, ``InvalidScores``, ``InvalidReview`` (a structured answer),
    ``ReviewingTooFast`` (more than ``PV_REVIEWS_PER_DAY``; only a review that would
    otherwise be taken counts), and the pipeline's ``ContentTooLong``.

    Effects: the review goes through the publishing pipeline, held for a moderator
    (site-wide queue) when the account is new or its e-mail unverified, or a text check
    holds it; otherwise published, marked a verified experience when the account
    qualified. The summaries count it once published. Returns a ``ReviewResult``.
    """
    kind = kind_for_entry(entry)
    check_may_post(author, None)
    _check_conflict(author, entry, conflict)
    existing = Review.objects.filter(author=author, **{kind.entry_field: entry}).first()
    if existing is not None:
        raise ReviewExists(existing)
    answers = _clean(
        kind,
        scores=scores,
        condition=condition,
        duration=duration,
        still_taking=still_taking,
        stop_reason=stop_reason,
        side_effects=side_effects,
        side_effects_text=side_effects_text,
        would_recommend=would_recommend,
        waiting_minutes=waiting_minutes,
        on_behalf=on_behalf,
    )
    if not ratelimit.allow("review", author.pk, settings.PV_REVIEWS_PER_DAY, DAY):
        raise ReviewingTooFast
    review = Review(kind=kind.key, author=author, body=body, language=language)
    setattr(review, kind.entry_field, entry)
    _fill(review, answers)
    try:
        with transaction.atomic():
            result = _publish(review, author)
    except IntegrityError:  # the same member, the same entry, a moment ago
        raise ReviewExists(
            Review.objects.filter(author=author, **{kind.entry_field: entry}).first()
        ) from None
    apply_change(None, contribution_of(review))
    return result


@transaction.atomic
def edit_review(
    *,
    review: Review,
    editor: User,
    scores: Mapping[str, Any],
    conflict: str,
    body: str = "",
    on_behalf: bool = False,
    condition: Condition | None = None,
    duration: str = "",
    still_taking: bool | None = None,
    stop_reason: str = "",
    side_effects: Iterable[str] = (),
    side_effects_text: str = "",
    would_recommend: bool | None = None,
    waiting_minutes: int | None = None,
) -> ReviewResult:
    """Replace the answers of ``editor``'s own review with these (the whole form).

    Preconditions: ``editor`` is the author (``Http404`` otherwise, or for a removed
    review; ``ReviewNotEditable`` for a hidden one). The same refusals as
    ``submit_review`` (no rate limit: an edit is not a new review).
    Effects: unchanged answers change nothing. Otherwise the previous answers are kept
    as a ``ReviewRevision``, ``edited_at`` is set, and the review goes through the
    pipeline again (so an edit can be held, and a new or unverified account is held
    again); the summaries move from the old contribution to the new one.
    """
    check_edit_review(editor, review)
    check_may_post(editor, None)
    kind = review.review_kind
    _check_conflict(editor, review.entry, conflict)
    answers = _clean(
        kind,
        scores=scores,
        condition=condition,
        duration=duration,
        still_taking=still_taking,
        stop_reason=stop_reason,
        side_effects=side_effects,
        side_effects_text=side_effects_text,
        would_recommend=would_recommend,
        waiting_minutes=waiting_minutes,
        on_behalf=on_behalf,
    )
    if (
        body == review.body
        and answers.scores == review.scores
        and all(
            getattr(review, name) == getattr(answers, name)
            for name in _Answers.__dataclass_fields__
            if name != "scores"
        )
    ):
        return ReviewResult(review=review)
    before = contribution_of(review)
    ReviewRevision.objects.create(
        review=review, scores=review.scores, body=review.body, details=review.details()
    )
    _fill(review, answers)
    review.body = body
    review.edited_at = timezone.now()
    result = _publish(review, editor)
    apply_change(before, contribution_of(review))
    return result


@transaction.atomic
def withdraw_review(*, review: Review, actor: User) -> None:
    """The author deletes their own review (``Http404`` for anyone else, or a removed
    review). Effects: the review and its revisions are gone, and it no longer counts in
    the summaries; the member may review the entry again. Audited, without the text."""
    check_withdraw_review(actor, review)
    before = contribution_of(review)
    transaction.on_commit(partial(search_indexing.remove, REVIEW_LABEL, [review.pk]))
    audit.record(
        actor=actor,
        action="reviews.review_withdrawn",
        target=review,
        data={"kind": review.kind, "entry": review.entry_id},
    )
    review.delete()
    apply_change(before, None)


# --- moderation ---------------------------------------------------------------------------


@transaction.atomic
def set_review_status(review: Review, status: str, *, approve: bool = False) -> bool:
    """A moderator's change (through the moderation kind, inside its audited decision):
    hidden, removed, or published (restored, or a held review kept). ``approve`` marks
    a held review a moderator let through as a verified experience. Summaries follow;
    a review published now runs the after-publish hooks. Returns whether anything
    changed."""
    if review.status == status:
        return False
    before = contribution_of(review)
    first_publication = status == ContentStatus.PUBLISHED and review.published_at is None
    review.status = status
    fields = ["status", "updated_at"]
    if status == ContentStatus.PUBLISHED:
        review.hold_reasons = []
        fields.append("hold_reasons")
        if approve and not review.is_verified_experience:
            review.is_verified_experience = True
            fields.append("is_verified_experience")
        if first_publication:
            review.published_at = timezone.now()
            fields.append("published_at")
    review.save(update_fields=fields)
    if first_publication and review.author_id is not None:
        User.objects.filter(pk=review.author_id).update(published_count=F("published_count") + 1)
    apply_change(before, contribution_of(review))
    if status == ContentStatus.PUBLISHED:
        transaction.on_commit(partial(run_after_publish.enqueue, REVIEW_LABEL, review.pk))
    else:
        # Hidden or removed: out of search at once (reviews/search.py).
        transaction.on_commit(partial(search_indexing.remove, REVIEW_LABEL, [review.pk]))
    return True


# --- erasure ------------------------------------------------------------------------------


@transaction.atomic
def remove_reviews_of(user: User, *, published_too: bool) -> int:
    """Erasure: delete ``user``'s reviews that were never shown (held, hidden,
    removed), and with ``published_too`` (remove mode) the published ones as well,
    taking them out of the summaries. In anonymise mode the published reviews stay,
    as a former member's. Returns how many were deleted."""
    reviews = Review.objects.filter(author=user)
    if not published_too:
        reviews = reviews.exclude(status=ContentStatus.PUBLISHED)
    count, deleted = 0, []
    for review in reviews.order_by("pk"):
        before = contribution_of(review)
        deleted.append(review.pk)
        review.delete()
        apply_change(before, None)
        count += 1
    if deleted:
        transaction.on_commit(partial(search_indexing.remove, REVIEW_LABEL, deleted))
    return count
