"""The medicine pages: the searchable list (names in the page's language, fixed query
count) and a medicine's page with its official information and the side-effect link."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.directory.actions import import_medicines
from patientvoice.directory.importing_medicines import MedicineRow
from patientvoice.directory.models import Medicine

pytestmark = pytest.mark.django_db

REPORT_URL = "https://www.lakemedelsverket.se/rapportera-biverkningar"


def medicine(slug: str = "testamol", **fields: Any) -> Medicine:
    values: dict[str, Any] = {
        "inn_en": "Testamolum",
        "name_sv": "Testamol",
        "prescription": "otc",
        "brands_sv": ["Pärlvedon", "Testeza"],
        "synonyms_sv": ["värktablett x"],
        "synonyms_en": ["painkiller x"],
        "forms": ["tablet"],
        **fields,
    }
    import_medicines(rows=[MedicineRow(line=0, slug=slug, **values)])
    return Medicine.objects.get(slug=slug)


def test_the_list_shows_the_swedish_name_brands_and_status_on_swedish_pages():
    medicine()

    response = Client().get("/sv/medicines/?q=testamol")

    assert response.status_code == 200
    assert "Testamol<" in response.text
    assert "Pärlvedon, Testeza" in response.text
    assert "Testamolum" not in response.text


def test_the_list_shows_the_english_inn_on_english_pages():
    medicine()

    response = Client().get("/en/medicines/?q=testamol")

    assert "Testamolum" in response.text
    assert "Testamol<" not in response.text


@pytest.mark.parametrize("q", ["PÄRLVEDON", "painkiller x", "Värktablett", "testamolum"])
def test_search_finds_a_medicine_by_brand_synonym_or_name_in_any_case(q):
    medicine()

    response = Client().get(reverse("directory:medicine_list"), {"q": q})

    assert [row["medicine"].slug for row in response.context["rows"]] == ["testamol"]


def test_a_search_without_matches_says_so_and_offers_a_suggestion():
    response = Client().get("/en/medicines/?q=nosuchmedicinezz")

    assert response.context["rows"] == []
    assert "No medicine matches your search" in response.text
    assert reverse("directory:suggest").replace("/sv/", "/en/") + "?kind=medicine" in response.text


def test_an_inactive_medicine_is_not_listed():
    medicine()
    Medicine.objects.filter(slug="testamol").update(is_active=False)

    response = Client().get(reverse("directory:medicine_list"), {"q": "testamol"})

    assert response.context["rows"] == []


def test_the_list_has_25_a_page_and_keeps_the_search_in_its_page_links():
    for n in range(30):
        medicine(slug=f"testamol-{n:02d}", name_sv=f"Testamol {n}")

    response = Client().get(reverse("directory:medicine_list"), {"q": "testamol"})

    assert len(response.context["rows"]) == 25
    assert "?q=testamol&amp;page=2" in response.text


def test_the_medicine_list_has_a_fixed_query_count(django_assert_num_queries):
    for n in range(30):
        medicine(slug=f"testamol-{n:02d}", name_sv=f"Testamol {n}")

    # the count, the page
    with django_assert_num_queries(
        3
    ):  # +1: the site's funding notices, read once the cache is cold (decisions/0038)
        response = Client().get(reverse("directory:medicine_list"))

    assert len(response.context["rows"]) == 25


def test_the_medicine_page_shows_names_brands_synonyms_forms_status_and_strength():
    medicine(strength="500 mg")

    response = Client().get(reverse("directory:medicine_detail", args=["testamol"]))

    assert response.status_code == 200
    text = response.text
    for shown in ("Testamol", "Testamolum", "Pärlvedon, Testeza", "värktablett x", "500 mg"):
        assert shown in text
    assert "Tablett" in text or "Tablet" in text


def test_the_english_medicine_page_is_headed_by_the_inn():
    medicine()

    response = Client().get("/en/medicines/testamol/")

    assert "<h1>Testamolum</h1>" in response.text
    assert "painkiller x" in response.text


def test_the_medicine_page_links_to_fass_and_to_reporting_a_side_effect():
    found = medicine(leaflet_url="https://example.org/bipacksedel.pdf")

    response = Client().get("/en/medicines/testamol/")

    text = response.text
    assert f'href="{REPORT_URL}" rel="noopener external"' in text
    assert "Report a side effect to Läkemedelsverket" in text
    assert found.fass_link().replace("&", "&amp;") in text
    assert 'href="https://example.org/bipacksedel.pdf"' in text


def test_the_medicine_page_has_its_ratings_and_reviews():
    medicine()

    response = Client().get("/en/medicines/testamol/")

    # The block itself is tested with the reviews (reviews/tests/test_pages_entry.py).
    assert '<h2 id="reviews-title">Ratings and reviews</h2>' in response.text


def test_an_unknown_medicine_page_is_not_found():
    assert Client().get("/sv/medicines/no-such-medicine/").status_code == 404


def test_an_inactive_medicine_page_is_not_found():
    medicine()
    Medicine.objects.filter(slug="testamol").update(is_active=False)

    assert Client().get("/sv/medicines/testamol/").status_code == 404
