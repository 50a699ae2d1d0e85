"""Finding conditions by any of their names, in Swedish or English, through the API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from .factories import ConditionFactory

pytestmark = pytest.mark.django_db


def slugs_for(**params: str) -> list[str]:
    response = Client().get(reverse("api:list_conditions"), {"limit": "100", **params})
    assert response.status_code == 200, response.content
    return [item["slug"] for item in response.json()["items"]]


def test_a_swedish_synonym_finds_the_condition_whatever_its_case():
    ConditionFactory.create(slug="x-hosta", name_sv="Hostsjuka", synonyms_sv=["Ängslig hosta"])

    assert "x-hosta" in slugs_for(q="ÄNGSLIG")
    assert "x-hosta" in slugs_for(q="ängslig hos")


def test_an_english_synonym_finds_the_condition():
    ConditionFactory.create(slug="x-wheeze", name_en="Wheezing X", synonyms_en=["Whistle chest"])

    assert slugs_for(q="whistle CHEST") == ["x-wheeze"]


def test_the_starter_set_is_found_by_its_swedish_and_english_synonyms():
    assert "angestsyndrom" in slugs_for(q="panikångest")
    assert "angestsyndrom" in slugs_for(q="Panic disorder")
    assert slugs_for(q="ledgångsreumatism") == ["reumatoid-artrit"]
    assert slugs_for(q="gluten intolerance") == ["celiaki"]


def test_a_search_that_matches_nothing_is_an_empty_list():
    assert slugs_for(q="no such condition anywhere") == []


def test_the_list_filters_by_category():
    found = slugs_for(category="cancer")

    assert "brostcancer" in found
    assert "astma" not in found


def test_an_unknown_category_is_refused():
    response = Client().get(reverse("api:list_conditions"), {"category": "sometimes"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_a_condition_is_read_by_its_slug():
    response = Client().get(reverse("api:get_condition", args=["celiaki"]))

    assert response.status_code == 200
    assert response.json() == {
        "slug": "celiaki",
        "name_sv": "Celiaki",
        "name_en": "Coeliac disease",
        "synonyms_sv": ["glutenintolerans"],
        "synonyms_en": ["celiac disease", "gluten intolerance"],
        "icd10": "K90.0",
        "category": "chronic",
    }


def test_an_unknown_condition_is_not_found():
    response = Client().get(reverse("api:get_condition", args=["no-such-condition"]))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_api_list_has_a_fixed_query_count(django_assert_num_queries):
    ConditionFactory.create_batch(30)

    # count, page of conditions
    with django_assert_num_queries(2):
        response = Client().get(reverse("api:list_conditions"), {"limit": 100})

    assert len(response.json()["items"]) == 100
