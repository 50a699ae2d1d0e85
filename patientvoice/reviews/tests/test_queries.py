"""Reads: an entry's reviews, its summary and the rankings, with query counts that do
not grow with the number of reviews."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from patientvoice.core.models import ContentStatus
from patientvoice.reviews import actions
from patientvoice.reviews.queries import (
    ranked_clinics,
    ranked_medicines_for_condition,
    reviews_for_entry,
    summaries_for,
    summary_for,
)

from .factories import ConditionFactory, UserFactory, clinic, medicine, review

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [1, 12])
def test_a_summary_is_one_query_however_many_reviews(n, django_assert_num_queries):
    drug, condition = medicine(), ConditionFactory.create()
    for _ in range(n):
        review(drug, 4, condition=condition)

    with django_assert_num_queries(1):
        summary = summary_for(drug)
    with django_assert_num_queries(1):
        for_condition = summary_for(drug, condition)

    assert summary.count == for_condition.count == n
    assert summary.enough == (n >= 5)


@pytest.mark.parametrize("n", [1, 6])
def test_ranking_is_one_query_however_many_reviews(n, django_assert_num_queries):
    condition = ConditionFactory.create()
    drugs = [medicine() for _ in range(3)]
    for drug in drugs:
        for _ in range(n):
            review(drug, 3, condition=condition)

    with django_assert_num_queries(1):
        ranked = ranked_medicines_for_condition(condition, limit=10)
        names = [line.entry.name_sv for line in ranked]

    assert len(names) == 3


def test_ranking_orders_by_the_adjusted_score_not_the_plain_mean():
    condition = ConditionFactory.create()
    few_fives, many_fours, poor = medicine(), medicine(), medicine()
    review(few_fives, 5, condition=condition)  # mean 5, adjusted 20/6 = 3.33
    for _ in range(8):
        review(many_fours, 4, condition=condition)  # mean 4, adjusted 47/13 = 3.62
    review(poor, 1, condition=condition)
    review(medicine(), 5)  # no condition named: not in this ranking

    ranked = ranked_medicines_for_condition(condition)

    assert [line.entry for line in ranked] == [many_fours, few_fives, poor]
    assert ranked[0].summary.adjusted == pytest.approx(47 / 13)
    assert [line.entry for line in ranked_medicines_for_condition(condition, offset=1)] == [
        few_fives,
        poor,
    ]


def test_inactive_medicines_are_not_ranked():
    condition = ConditionFactory.create()
    gone = medicine(is_active=False)
    review(gone, 5, condition=condition)

    assert ranked_medicines_for_condition(condition) == []


def test_clinics_are_ranked_within_a_region():
    good, poor, elsewhere = clinic(), clinic(), clinic(region="gotland")
    review(good, 5)
    review(poor, 2)
    review(elsewhere, 5)

    assert [line.entry for line in ranked_clinics(region="skane")] == [good, poor]
    assert len(ranked_clinics()) == 3


def test_summaries_of_a_list_are_one_query(django_assert_num_queries):
    places = [clinic() for _ in range(4)]
    review(places[0], 5)
    review(places[2], 1)

    with django_assert_num_queries(1):
        found = summaries_for(places)

    assert [found[p.pk].count for p in places] == [1, 0, 1, 0]


@pytest.mark.parametrize("n", [2, 10])
def test_an_entrys_reviews_are_one_query_with_authors_and_conditions(n, django_assert_num_queries):
    drug, condition = medicine(), ConditionFactory.create()
    for _ in range(n):
        review(drug, condition=condition, body="Fine.")

    with django_assert_num_queries(1):
        shown = [
            (r.author and r.author.handle, r.condition and r.condition.slug)
            for r in reviews_for_entry(None, drug)
        ]

    assert len(shown) == n
    assert all(handle and slug == condition.slug for handle, slug in shown)


def test_an_entrys_reviews_hide_what_the_reader_may_not_see_and_show_the_author_theirs():
    place, author = clinic(), UserFactory.create()
    public = review(place)
    own = review(place, author=author)
    actions.set_review_status(own, ContentStatus.HELD)

    assert list(reviews_for_entry(AnonymousUser(), place)) == [public]
    assert list(reviews_for_entry(author, place, order="oldest")) == [public, own]
    assert list(reviews_for_entry(author, place, order="bogus")) == [own, public]
