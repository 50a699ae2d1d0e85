"""Means, intervals, shares and the adjusted score, checked against numbers worked out
by hand."""

from __future__ import annotations

import pytest
from django.utils import translation

from patientvoice.reviews.dimensions import KINDS
from patientvoice.reviews.models import RatingSummary
from patientvoice.reviews.statistics import (
    MIN_FOR_SUMMARY,
    SummaryView,
    adjusted_score,
    mean_interval,
    shares,
    t_critical,
)


def test_the_interval_of_four_ratings_uses_students_t_with_three_degrees_of_freedom():
    # Ratings 3, 4, 4, 5: mean 4, sample sd = sqrt(2/3) = 0.8165, se = 0.40825,
    # t(3) = 3.182, half-width 1.2991.
    mean, low, high = mean_interval(total=16, squares=9 + 16 + 16 + 25, n=4)

    assert mean == 4
    assert low == pytest.approx(2.7009, abs=1e-4)
    assert high == 5  # 5.2991 clamped to the scale


def test_the_interval_of_ten_ratings():
    # 2, 3, 3, 4, 4, 4, 4, 5, 5, 5: mean 3.9, sum of squares 161,
    # variance (161 - 152.1) / 9 = 0.98889, se = 0.31447, t(9) = 2.262, half 0.71133.
    mean, low, high = mean_interval(total=39, squares=161, n=10)

    assert mean == pytest.approx(3.9)
    assert low == pytest.approx(3.18867, abs=1e-4)
    assert high == pytest.approx(4.61133, abs=1e-4)


def test_beyond_thirty_degrees_of_freedom_the_normal_value_is_used():
    # 100 ratings, half 4s and half 5s: mean 4.5, variance 25/99 = 0.25253,
    # se = 0.050252, half-width 1.96 * se = 0.098494.
    mean, low, high = mean_interval(total=450, squares=50 * 16 + 50 * 25, n=100)

    assert (t_critical(30), t_critical(31), t_critical(1)) == (2.042, 1.96, 12.706)
    assert mean == 4.5
    assert low == pytest.approx(4.401506, abs=1e-5)
    assert high == pytest.approx(4.598494, abs=1e-5)


def test_identical_ratings_have_no_spread_and_one_rating_spans_the_scale():
    assert mean_interval(total=15, squares=45, n=5) == (3, 3, 3)
    assert mean_interval(total=2, squares=4, n=1) == (2, 1, 5)


def test_the_adjusted_score_counts_five_extra_middle_ratings():
    assert adjusted_score(total=10, n=2) == pytest.approx(25 / 7)  # two 5s: 3.571
    assert adjusted_score(total=920, n=200) == pytest.approx(935 / 205)  # 4.6 avg: 4.561
    assert adjusted_score(total=0, n=0) == 3


def test_shares_are_percentages_of_the_total():
    assert shares([1, 0, 1, 2, 0]) == (25.0, 0.0, 25.0, 50.0, 0.0)
    assert shares([0, 0, 0, 0, 0]) == (0.0,) * 5


def test_a_summary_view_is_built_from_a_summary_row_alone():
    kind = KINDS["medicine"]
    row = RatingSummary(
        kind="medicine",
        count=4,
        verified_count=3,
        sums={"effectiveness": 16, "ease_of_use": 8, "satisfaction": 12},
        squares={"effectiveness": 66, "ease_of_use": 16, "satisfaction": 36},
        histograms={
            "effectiveness": [0, 0, 1, 2, 1],
            "ease_of_use": [0, 4, 0, 0, 0],
            "satisfaction": [0, 0, 4, 0, 0],
        },
        recommend_yes=1,
        recommend_count=2,
        adjusted=27 / 9,
    )

    view = SummaryView.from_row(row, kind)

    assert view.count == 4
    assert not view.enough
    assert MIN_FOR_SUMMARY == 5
    assert view.verified_share == 75.0
    assert view.recommend_share == 50.0
    assert view.headline.key == "satisfaction"
    effectiveness = view.dimensions[0]
    with translation.override("en"):
        assert str(effectiveness.label) == "Effectiveness"
    assert effectiveness.mean == 4
    assert effectiveness.low == pytest.approx(2.7009, abs=1e-4)
    assert effectiveness.percentages == (0.0, 0.0, 25.0, 50.0, 25.0)
    assert effectiveness.bars[0] == (5, 1, 25.0)


def test_an_entry_without_reviews_has_an_empty_summary():
    view = SummaryView.empty(KINDS["clinic"])

    assert view.count == 0
    assert not view.enough
    assert view.verified_share is None
    assert view.recommend_share is None
    assert view.adjusted is None
    assert all(d.mean is None and d.counts == (0,) * 5 for d in view.dimensions)
