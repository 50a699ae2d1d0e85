""" "How reviews work", and the rankings that point to it: the condition page's top
medicines and the full ranked list, by adjusted score, with fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from patientvoice.moderation.tests.pages import client_for, sv

from .factories import ConditionFactory, medicine, review

pytestmark = pytest.mark.django_db


def at(name: str, lang: str = "en", **kwargs: Any) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_how_reviews_work_explains_checks_order_moderation_numbers_and_the_adjusted_score(lang):
    response = client_for(None).get(at("reviews:how", lang))

    html = response.content.decode()
    assert response.status_code == 200
    for anchor in ("checked", "ordered", "moderated", "providers", "summary", "adjusted",
                   "incentives"):  # fmt: skip
        assert f'id="{anchor}"' in html
    assert sv("how reviews work", "How reviews work") in html if lang == "sv" else True
    assert "5 extra middle ratings of 3" in html if lang == "en" else True


def _ranked_condition() -> tuple[Any, list[Any]]:
    condition = ConditionFactory.create()
    few_fives, many_fours, poor = medicine(), medicine(), medicine()
    review(few_fives, 5, condition=condition)
    for _ in range(8):
        review(many_fours, 4, condition=condition)
    review(poor, 1, condition=condition)
    return condition, [many_fours, few_fives, poor]


def test_the_condition_page_ranks_medicines_by_adjusted_score_and_says_so():
    condition, order = _ranked_condition()

    html = (
        client_for(None).get(at("directory:condition_detail", slug=condition.slug)).content.decode()
    )

    positions = [html.index(drug.inn_en) for drug in order]
    assert positions == sorted(positions)
    assert "Ordered by the adjusted score" in html
    assert at("reviews:how") + "#adjusted" in html
    assert at("directory:condition_medicines", slug=condition.slug) in html


def test_the_full_ranked_list_pages_and_costs_the_same_queries_for_more_medicines(
    django_assert_max_num_queries,
):
    condition, order = _ranked_condition()
    for _ in range(30):
        review(medicine(), 3, condition=condition)
    client = client_for(None)
    url = at("directory:condition_medicines", slug=condition.slug)

    # condition, count, one page of summaries, the funding notices (cold cache)
    with django_assert_max_num_queries(4):
        first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()

    assert first.index(order[0].inn_en) < first.index(order[1].inn_en)
    ranked = first[first.index('<ol class="ranked-list"') : first.index("</ol>")]
    assert ranked.count("<li>") == 25
    assert '<ol class="ranked-list" start="26">' in second
    assert "adjusted score" in first


def test_an_unknown_condition_has_no_ranking_page():
    assert client_for(None).get(at("directory:condition_medicines", slug="nope")).status_code == 404


def test_the_clinic_list_shows_the_best_rated_in_the_chosen_region():
    from .factories import clinic

    good, poor, elsewhere = clinic(region="skane"), clinic(region="skane"), clinic(region="gotland")
    for _ in range(6):
        review(good, 5)
    review(poor, 2)
    review(elsewhere, 5)
    url = at("directory:clinic_list") + "?region=skane"

    html = client_for(None).get(url).content.decode()
    best = html[html.index('id="best-title"') : html.index("</section>")]

    assert "Best rated in Region Skåne" in best
    assert best.index(good.name) < best.index(poor.name)
    assert elsewhere.name not in best
    assert at("reviews:how") + "#adjusted" in best
    assert (
        'id="best-title"' not in client_for(None).get(at("directory:clinic_list")).content.decode()
    )
