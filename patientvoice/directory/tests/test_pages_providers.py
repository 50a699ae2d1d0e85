"""The clinic list (search, region and kind filters, fixed query count), a clinic's
page and a physician's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.directory.actions import import_clinics, import_physicians
from patientvoice.directory.importing_providers import ClinicRow, PhysicianRow
from patientvoice.directory.models import Clinic, Physician

pytestmark = pytest.mark.django_db


def clinic(slug: str = "vc-test", **fields: Any) -> Clinic:
    values: dict[str, Any] = {
        "name": "Vårdcentralen Testby",
        "kind": "primary_care",
        "region": "skane",
        "municipality": "Lund",
        "address": "Storgatan 1",
        "postcode": "222 22",
        "website": "https://vc-test.example.org/",
        **fields,
    }
    import_clinics(rows=[ClinicRow(line=0, slug=slug, **values)])
    return Clinic.objects.get(slug=slug)


def physician(slug: str = "dr-test", workplaces: list[str] | None = None) -> Physician:
    import_physicians(
        rows=[
            PhysicianRow(
                line=0,
                slug=slug,
                name="Anna Testsson",
                profession="physician",
                specialty="Allmänmedicin",
                workplaces=workplaces or [],
            )
        ]
    )
    return Physician.objects.get(slug=slug)


def listed(response: Any) -> list[str]:
    return [c.slug for c in response.context["page"].object_list]


def test_the_clinic_list_finds_a_clinic_by_name_in_any_case():
    clinic()
    clinic("bvc-other", name="Barnavårdscentralen Annanstans")

    response = Client().get(reverse("directory:clinic_list"), {"q": "VÅRDCENTRALEN TESTBY"})

    assert response.status_code == 200
    assert listed(response) == ["vc-test"]


def test_the_clinic_list_filters_by_region_and_kind():
    clinic()
    clinic("apotek-lund", name="Apoteket Testby", kind="pharmacy")
    clinic("vc-umea", name="Vårdcentralen Norr", region="vasterbotten", municipality="Umeå")

    by_region = Client().get("/en/clinics/", {"region": "vasterbotten"})
    by_kind = Client().get("/en/clinics/", {"kind": "pharmacy", "region": "skane"})

    assert listed(by_region) == ["vc-umea"]
    assert listed(by_kind) == ["apotek-lund"]
    assert "Pharmacy" in by_kind.text


def test_an_unknown_region_filter_is_ignored():
    clinic()

    response = Client().get("/sv/clinics/", {"region": "atlantis"})

    assert "vc-test" in listed(response)


def test_the_clinic_list_says_when_nothing_matches():
    response = Client().get("/en/clinics/", {"q": "no such clinic zz"})

    assert "No clinic matches your search" in response.text


def test_the_clinic_list_has_a_fixed_query_count(django_assert_num_queries):
    for n in range(30):
        clinic(f"vc-{n:02d}", name=f"Vårdcentral {n}")

    with django_assert_num_queries(
        3
    ):  # +1: the site's funding notices, read once the cache is cold (decisions/0038)
        response = Client().get(reverse("directory:clinic_list"))

    assert len(response.context["page"].object_list) == 25


def test_the_clinic_page_shows_kind_region_address_website_and_staff():
    clinic()
    physician(workplaces=["vc-test"])

    response = Client().get("/en/clinics/vc-test/")

    assert response.status_code == 200
    for shown in (
        "Vårdcentralen Testby",
        "Primary care centre",
        "Region Skåne",
        "Storgatan 1",
        'href="https://vc-test.example.org/" rel="noopener external"',
        "/en/physicians/dr-test/",
    ):
        assert shown in response.text


def test_the_physician_page_shows_profession_specialty_and_linked_workplaces():
    clinic()
    physician(workplaces=["vc-test"])

    response = Client().get("/sv/physicians/dr-test/")

    assert response.status_code == 200
    assert "Anna Testsson" in response.text
    assert "Allmänmedicin" in response.text
    assert 'href="/sv/clinics/vc-test/"' in response.text


def test_unknown_and_inactive_clinics_and_physicians_are_not_found():
    clinic()
    physician()
    Clinic.objects.filter(slug="vc-test").update(is_active=False)
    Physician.objects.filter(slug="dr-test").update(is_active=False)

    client = Client()
    assert client.get("/sv/clinics/vc-test/").status_code == 404
    assert client.get("/sv/clinics/no-such-clinic/").status_code == 404
    assert client.get("/sv/physicians/dr-test/").status_code == 404
    assert client.get("/en/physicians/no-such-person/").status_code == 404
