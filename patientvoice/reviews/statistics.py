"""Honest numbers from a rating summary: means with a 95 % interval, the histogram,
shares, and the Bayesian-adjusted score lists rank by (issue 5, item 3).

Everything here is computed from one :class:`~patientvoice.reviews.models.RatingSummary`
row (sums, sums of squares, counts), never from the reviews themselves, so an entry
page with 10,000 reviews reads one row for its summary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from .dimensions import SCORE_MAX, SCORE_MIN, SCORES, ReviewKind

if TYPE_CHECKING:
    from .models import RatingSummary

# Below this many reviews the page shows the reviews but no summary ("too few
# ratings to summarise"): a mean of three ratings says more about the three people
# than about the entry.
MIN_FOR_SUMMARY = 5

# The Bayesian-adjusted score: (PRIOR_WEIGHT * PRIOR_MEAN + sum) / (PRIOR_WEIGHT + n).
# As if every entry had five extra middle ratings: an entry with two 5-star reviews
# scores (15 + 10) / 7 = 3.57 and does not outrank one with 200 reviews averaging 4.6
# (4.56); a few ratings move an entry less than many. The midpoint of
# the scale, not the site's average, so no entry's score depends on other entries'.
PRIOR_WEIGHT = 5
PRIOR_MEAN = (SCORE_MIN + SCORE_MAX) / 2

# Two-sided 95 % critical values of Student's t by degrees of freedom (n - 1); from
# 31 degrees of freedom on, the normal 1.96 is close enough (t(30) = 2.042).
T_95: dict[int, float] = {
    1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
    9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
    16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074,
    23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045,
    30: 2.042,
}  # fmt: skip
Z_95 = 1.96


def t_critical(degrees_of_freedom: int) -> float:
    if degrees_of_freedom < 1:
        raise ValueError("An interval needs at least two ratings.")
    return T_95.get(degrees_of_freedom, Z_95)


def adjusted_score(total: float, n: int) -> float:
    """The headline's Bayesian-adjusted mean (PRIOR_WEIGHT extra PRIOR_MEAN ratings)."""
    return (PRIOR_WEIGHT * PRIOR_MEAN + total) / (PRIOR_WEIGHT + n)


def _clamp(value: float) -> float:
    return min(float(SCORE_MAX), max(float(SCORE_MIN), value))


def mean_interval(total: float, squares: float, n: int) -> tuple[float, float, float]:
    """(mean, low, high): the mean of ``n`` ratings with the sum ``total`` and the sum
    of squares ``squares``, and its 95 % confidence interval (Student's t, sample
    standard deviation), clamped to the scale. One rating gives the whole scale as its
    interval: it says nothing about the spread."""
    if n <= 0:
        raise ValueError("No ratings.")
    mean = total / n
    if n == 1:
        return mean, float(SCORE_MIN), float(SCORE_MAX)
    variance = max(0.0, (squares - total * total / n) / (n - 1))
    half = t_critical(n - 1) * math.sqrt(variance / n)
    return mean, _clamp(mean - half), _clamp(mean + half)


def shares(counts: list[int] | tuple[int, ...]) -> tuple[float, ...]:
    """Each count as a percentage of their total (0 when there are none)."""
    total = sum(counts)
    if not total:
        return tuple(0.0 for _ in counts)
    return tuple(100.0 * c / total for c in counts)


@dataclass(frozen=True)
class DimensionSummary:
    """One dimension as the page shows it. ``counts``/``percentages`` run from 1 to 5
    stars; ``mean``/``low``/``high`` are None when nobody rated it."""

    key: str
    label: str | Promise
    help: str | Promise
    n: int
    mean: float | None
    low: float | None
    high: float | None
    counts: tuple[int, ...]
    percentages: tuple[float, ...]

    @property
    def bars(self) -> list[tuple[int, int, float]]:
        """(stars, count, percentage), 5 stars first, as charts list them."""
        return [(s, c, p) for s, c, p in zip(SCORES, self.counts, self.percentages, strict=True)][
            ::-1
        ]


@dataclass(frozen=True)
class SummaryView:
    """What an entry page renders of its ratings, built from one summary row alone.

    ``enough`` is False below :data:`MIN_FOR_SUMMARY`: show the reviews, and "too few
    ratings to summarise" instead of these numbers. Shares are percentages, or None
    when nothing was counted.
    """

    kind: ReviewKind
    count: int
    verified_count: int
    verified_share: float | None
    recommend_count: int
    recommend_yes: int
    recommend_share: float | None
    adjusted: float | None
    dimensions: tuple[DimensionSummary, ...]

    @property
    def enough(self) -> bool:
        return self.count >= MIN_FOR_SUMMARY

    @property
    def headline(self) -> DimensionSummary:
        return next(d for d in self.dimensions if d.key == self.kind.headline)

    @classmethod
    def empty(cls, kind: ReviewKind) -> SummaryView:
        return cls.from_row(None, kind)

    @classmethod
    def from_row(cls, row: RatingSummary | None, kind: ReviewKind) -> SummaryView:
        count = row.count if row is not None else 0
        dimensions = []
        for dimension in kind.dimensions:
            histogram = list(row.histograms.get(dimension.key, ())) if row is not None else []
            counts = tuple(histogram) if len(histogram) == len(SCORES) else (0,) * len(SCORES)
            n = sum(counts)
            mean = low = high = None
            if row is not None and n:
                mean, low, high = mean_interval(
                    row.sums.get(dimension.key, 0), row.squares.get(dimension.key, 0), n
                )
            dimensions.append(
                DimensionSummary(
                    key=dimension.key,
                    label=dimension.label,
                    help=dimension.help,
                    n=n,
                    mean=mean,
                    low=low,
                    high=high,
                    counts=counts,
                    percentages=shares(counts),
                )
            )
        verified = row.verified_count if row is not None else 0
        recommend_count = row.recommend_count if row is not None else 0
        recommend_yes = row.recommend_yes if row is not None else 0
        return cls(
            kind=kind,
            count=count,
            verified_count=verified,
            verified_share=100.0 * verified / count if count else None,
            recommend_count=recommend_count,
            recommend_yes=recommend_yes,
            recommend_share=100.0 * recommend_yes / recommend_count if recommend_count else None,
            adjusted=row.adjusted if row is not None and count else None,
            dimensions=tuple(dimensions),
        )
