"""The directory's API: medicines, clinics and physicians (lists with a fixed number of
queries, details with their rating summary) and medicines ranked for a condition."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from patientvoice.directory.models import Clinic, Medicine, Physician
from patientvoice.reviews.tests.factories import (
    ConditionFactory,
    clinic,
    medicine,
    physician,
    review,
)

from .conftest import assert_error

pytestmark = pytest.mark.django_db

ROWS = 30  # enough that one query per row would show


def findable[E: (Medicine, Clinic, Physician)](entry: E) -> E:
    """The factories skip ``search_text``; the imports and actions write it."""
    entry.search_text = entry.build_search_text()
    entry.save(update_fields=["search_text"])
    return entry


def test_the_medicine_list_has_a_fixed_query_count_and_searches_names(
    client: Client, django_assert_num_queries: Any
) -> None:
    for n in range(ROWS):
        findable(medicine(name_sv=f"Listamol {n}", brands_sv=[f"Listbrand{n}"]))

    with django_assert_num_queries(2):  # count, page
        response = client.get("/api/v1/medicines?q=listamol&limit=100")
    by_brand = client.get("/api/v1/medicines?q=LISTBRAND7").json()

    assert response.json()["count"] == ROWS
    assert [m["name_sv"] for m in by_brand["items"]] == ["Listamol 7"]


def test_the_clinic_list_filters_by_region_and_kind_with_a_fixed_query_count(
    client: Client, django_assert_num_queries: Any
) -> None:
    for n in range(ROWS):
        findable(clinic(name=f"Filterkliniken {n}", region="skane", kind="dental"))
    findable(clinic(name="Filterkliniken norr", region="norrbotten", kind="dental"))
    findable(clinic(name="Filterkliniken apotek", region="skane", kind="pharmacy"))

    with django_assert_num_queries(2):
        response = client.get("/api/v1/clinics?q=filter&region=skane&kind=dental&limit=100")

    assert response.json()["count"] == ROWS


def test_an_unknown_region_is_invalid_not_an_empty_list(client: Client) -> None:
    assert_error(client.get("/api/v1/clinics?region=atlantis"), 422, "invalid")


def test_the_physician_list_searches_name_and_specialty_with_a_fixed_query_count(
    client: Client, django_assert_num_queries: Any
) -> None:
    for n in range(ROWS):
        findable(physician(name=f"Dr Lista {n}", specialty="Reumatologi"))

    with django_assert_num_queries(2):
        response = client.get("/api/v1/physicians?q=reumatologi&limit=100")

    assert response.json()["count"] == ROWS


def test_a_medicine_with_enough_reviews_has_its_summary_in_numbers(client: Client) -> None:
    drug = medicine()
    for value in (3, 4, 4, 5, 5):
        review(drug, value, would_recommend=True)

    body = client.get(f"/api/v1/medicines/{drug.slug}").json()

    summary = body["summary"]
    assert summary["count"] == 5
    assert summary["enough"] is True
    assert summary["headline"] == "satisfaction"
    assert summary["verified_share"] == 100.0
    assert summary["recommend_share"] == 100.0
    satisfaction = next(d for d in summary["dimensions"] if d["key"] == "satisfaction")
    assert satisfaction["mean"] == pytest.approx(4.2)
    assert satisfaction["low"] < 4.2 < satisfaction["high"]
    assert satisfaction["histogram"] == [0, 0, 1, 2, 2]
    assert summary["adjusted"] == pytest.approx((5 * 3 + 21) / 10)


def test_below_five_reviews_the_summary_gives_the_count_but_no_numbers(client: Client) -> None:
    place = clinic()
    review(place, 5)
    review(place, 1)

    summary = client.get(f"/api/v1/clinics/{place.slug}").json()["summary"]

    assert summary["count"] == 2
    assert summary["enough"] is False
    assert summary["verified_share"] is None
    assert all(d["mean"] is None and d["histogram"] is None for d in summary["dimensions"])


def test_a_physician_names_their_workplaces_and_a_clinic_its_physicians(client: Client) -> None:
    place = clinic(slug="arbetsplatsen")
    doctor = physician(slug="dr-arbete")
    doctor.workplaces.add(place)

    assert client.get("/api/v1/physicians/dr-arbete").json()["workplaces"] == ["arbetsplatsen"]
    assert client.get("/api/v1/clinics/arbetsplatsen").json()["physicians"] == ["dr-arbete"]


def test_inactive_and_unknown_entries_answer_404(client: Client) -> None:
    medicine(slug="inaktivol", is_active=False)

    assert_error(client.get("/api/v1/medicines/inaktivol"), 404, "not_found")
    assert_error(client.get("/api/v1/physicians/nobody"), 404, "not_found")
    assert_error(client.get("/api/v1/clinics/nowhere"), 404, "not_found")


def test_medicines_for_a_condition_are_ranked_by_adjusted_score(
    client: Client, django_assert_num_queries: Any
) -> None:
    condition = ConditionFactory.create()
    many_good = medicine(name_sv="Mångabra")
    two_perfect = medicine(name_sv="Tvåperfekt")
    for _ in range(20):
        review(many_good, 4, condition=condition)
    for _ in range(2):
        review(two_perfect, 5, condition=condition)
    for n in range(ROWS):
        review(medicine(name_sv=f"Enkel {n}"), 2, condition=condition)

    with django_assert_num_queries(3):  # condition, the page, the count
        body = client.get(f"/api/v1/conditions/{condition.slug}/medicines?limit=100").json()

    names = [line["medicine"]["name_sv"] for line in body["items"]]
    assert names[:2] == ["Mångabra", "Tvåperfekt"]
    assert body["count"] == ROWS + 2
    assert body["items"][1]["summary"]["enough"] is False


def test_ranking_for_an_unknown_condition_is_404(client: Client) -> None:
    assert_error(client.get("/api/v1/conditions/no-such/medicines"), 404, "not_found")
