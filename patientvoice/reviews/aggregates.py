"""Rating summaries kept on write (issue 5, item 3; decisions/0031).

Every change to a review (submitted, edited, withdrawn, held, hidden, removed,
restored, approved, erased) is one call, in the same transaction::

    before = contribution_of(review)   # what it counted for, before the change
    ...change and save the review...
    apply_change(before, contribution_of(review))

:func:`apply_change` takes the old contribution out of the summary rows it counted in
(if it counted) and adds the new one (if it counts). A review counts while it is
published. Rows are locked by an UPDATE before they are read (the row on PostgreSQL,
the database on SQLite), so two reviews at once never lose an update to the JSON sums.
:func:`rebuild_all` recomputes every row from the reviews (``manage.py
rebuild_review_summaries``); a test holds the two equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from patientvoice.core.models import ContentStatus

from .dimensions import KINDS, SCORE_MAX, SCORE_MIN, SCORES
from .models import RatingSummary, Review
from .statistics import adjusted_score


@dataclass(frozen=True)
class Contribution:
    """What one published review adds to the summaries of its entry."""

    kind: str
    entry_id: int
    condition_id: int | None
    scores: tuple[tuple[str, int], ...]
    verified: bool
    would_recommend: bool | None

    def row_keys(self) -> list[dict[str, Any]]:
        """The filters of the summary rows it counts in: the entry's, and for a
        medicine reviewed for a named condition, the (medicine, condition) row."""
        keys = [{"kind": self.kind, self.kind + "_id": self.entry_id, "condition_id": None}]
        if self.condition_id is not None:
            keys.append(
                {"kind": self.kind, self.kind + "_id": self.entry_id,
                 "condition_id": self.condition_id}
            )  # fmt: skip
        return keys


def contribution_of(review: Review) -> Contribution | None:
    """What ``review`` counts for now: None unless it is published."""
    if review.status != ContentStatus.PUBLISHED or review.entry_id is None:
        return None
    kind = KINDS[review.kind]
    scores = tuple(
        (key, int(review.scores[key]))
        for key in kind.keys
        if isinstance(review.scores.get(key), int) and SCORE_MIN <= review.scores[key] <= SCORE_MAX
    )
    return Contribution(
        kind=review.kind,
        entry_id=review.entry_id,
        condition_id=review.condition_id if kind.has_medicine_details else None,
        scores=scores,
        verified=review.is_verified_experience,
        would_recommend=review.would_recommend,
    )


def _add(row: RatingSummary, contribution: Contribution, sign: int) -> None:
    row.count += sign
    row.verified_count += sign * contribution.verified
    for key, score in contribution.scores:
        row.sums[key] = row.sums.get(key, 0) + sign * score
        row.squares[key] = row.squares.get(key, 0) + sign * score * score
        histogram = list(row.histograms.get(key) or [0] * len(SCORES))
        histogram[score - SCORE_MIN] += sign
        row.histograms[key] = histogram
        if not any(histogram):  # nobody rates it any more: as if never rated
            del row.sums[key], row.squares[key], row.histograms[key]
    if contribution.would_recommend is not None:
        row.recommend_count += sign
        row.recommend_yes += sign * contribution.would_recommend


def _refresh_adjusted(row: RatingSummary) -> None:
    headline = KINDS[row.kind].headline
    n = sum(row.histograms.get(headline) or ())
    row.adjusted = adjusted_score(row.sums.get(headline, 0), n)


def _locked_row(key: dict[str, Any]) -> RatingSummary:
    """The summary row for ``key``, created if missing, locked for this transaction."""
    now = timezone.now()
    rows = RatingSummary.objects.filter(**key)
    # The UPDATE takes the lock before the read (the row on PostgreSQL, the database
    # on SQLite), like communities' _next_position.
    if not rows.update(updated_at=now):
        try:
            with transaction.atomic():
                RatingSummary.objects.create(**key, adjusted=adjusted_score(0, 0))
        except IntegrityError:  # created by another transaction a moment ago
            rows.update(updated_at=now)
    return rows.get()


def _apply(contribution: Contribution, sign: int) -> None:
    for key in contribution.row_keys():
        row = _locked_row(key)
        _add(row, contribution, sign)
        if row.count <= 0:
            row.delete()
            continue
        _refresh_adjusted(row)
        row.save()


def apply_change(before: Contribution | None, after: Contribution | None) -> None:
    """Take ``before`` out of the summaries and put ``after`` in (either may be None:
    the review did not count, or no longer counts). Call inside the transaction that
    changed the review."""
    if before == after:
        return
    if before is not None:
        _apply(before, -1)
    if after is not None:
        _apply(after, +1)


# --- rebuilding from scratch -------------------------------------------------------------


def _fresh_rows(contributions: Iterable[Contribution]) -> list[RatingSummary]:
    rows: dict[tuple[Any, ...], RatingSummary] = {}
    for contribution in contributions:
        for key in contribution.row_keys():
            ident = tuple(sorted(key.items()))
            row = rows.get(ident)
            if row is None:
                row = rows[ident] = RatingSummary(**key, sums={}, squares={}, histograms={})
            _add(row, contribution, +1)
    for row in rows.values():
        _refresh_adjusted(row)
    return list(rows.values())


def _published_contributions(batch_size: int = 2000) -> Iterable[Contribution]:
    reviews = Review.objects.filter(status=ContentStatus.PUBLISHED).only(
        "kind", "medicine", "physician", "clinic", "condition", "status", "scores",
        "is_verified_experience", "would_recommend",
    )  # fmt: skip
    for review in reviews.iterator(chunk_size=batch_size):
        contribution = contribution_of(review)
        if contribution is not None:
            yield contribution


@transaction.atomic
def rebuild_all() -> int:
    """Recompute every summary row from the published reviews (repair, and the test of
    the incremental path). Returns the number of rows written."""
    rows = _fresh_rows(_published_contributions())
    RatingSummary.objects.all().delete()
    RatingSummary.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
