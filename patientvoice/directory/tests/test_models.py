from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from patientvoice.directory.models import Condition

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["", "E10", "K90.0", "F43.8A", "C91.1", "U09.9"])
def test_icd10_codes_in_the_icd10_format_are_stored(code):
    Condition.objects.create(
        slug=f"x-{code or 'none'}".lower(), name_sv="A", name_en="A", icd10=code
    )


@pytest.mark.parametrize("code", ["e10", "E1", "10E", "E10.", "E10.1-2", "E10..1", "E10 ", "EE10"])
def test_the_database_refuses_an_icd10_code_in_another_format(code):
    with pytest.raises(IntegrityError), transaction.atomic():
        Condition.objects.create(slug="x-bad", name_sv="A", name_en="A", icd10=code)


def test_the_database_refuses_an_unknown_category():
    with pytest.raises(IntegrityError), transaction.atomic():
        Condition.objects.create(slug="x-bad", name_sv="A", name_en="A", category="sometimes")


@pytest.mark.parametrize(
    ("language", "name"),
    [("sv", "Celiaki"), ("en", "Coeliac disease"), ("en-gb", "Coeliac disease"),
     ("de", "Celiaki"), (None, "Celiaki")],
)  # fmt: skip
def test_a_condition_is_named_in_the_language_asked_for(language, name):
    assert Condition.objects.get(slug="celiaki").name(language) == name
