"""Holds at publication for reviews only: naming staff other than the rated physician,
and very serious allegations about a named person."""

from __future__ import annotations

import pytest

from patientvoice.core.models import ContentStatus
from patientvoice.core.textchecks import CheckContext
from patientvoice.reviews.holds import (
    HOLD_MESSAGES,
    NAMES_STAFF,
    SERIOUS_ALLEGATION,
    check_review_holds,
    reviewing,
)

from .factories import UserFactory, clinic, medicine, physician, submit

pytestmark = pytest.mark.django_db

REVIEW = CheckContext(kind="reviews.review")


def codes(text: str, entry) -> set[str]:
    with reviewing(entry):
        return {finding.code for finding in check_review_holds(text, REVIEW)}


def test_a_physician_review_naming_another_titled_person_is_held():
    doctor = physician(name="Anna Lind")

    assert codes("Sköterskan Karin var otrevlig.", doctor) == {NAMES_STAFF}
    assert codes("Dr Berg tog över mitt besök.", doctor) == {NAMES_STAFF}
    assert codes("Nurse Smith was rude.", doctor) == {NAMES_STAFF}


def test_naming_the_rated_physician_is_fine():
    doctor = physician(name="Anna Lind")

    assert codes("Dr Lind lyssnade verkligen.", doctor) == set()
    assert codes("Doktor Anna Lind var bra.", doctor) == set()


def test_a_colleague_at_the_clinic_named_from_the_directory_is_held():
    place = clinic()
    colleague = physician(name="Per Holm")
    colleague.workplaces.add(place)

    assert codes("Per Holm glömde min remiss.", place) == {NAMES_STAFF}
    assert codes("Bra bemötande i receptionen.", place) == set()


def test_a_serious_allegation_in_a_physician_review_is_held_in_both_languages():
    doctor = physician(name="Anna Lind")

    assert SERIOUS_ALLEGATION in codes("Hon var full på jobbet.", doctor)
    assert SERIOUS_ALLEGATION in codes("He was drunk at work.", doctor)
    assert SERIOUS_ALLEGATION in codes("Han tog emot mutor.", doctor)


def test_an_allegation_without_a_named_person_in_a_clinic_review_is_not_held():
    place = clinic()

    assert codes("Det kändes som övergrepp på mitt tålamod.", place) == set()
    assert SERIOUS_ALLEGATION in codes("Dr Berg misshandlade en patient.", place)


def test_other_content_and_medicine_reviews_without_names_are_untouched():
    doctor = physician()
    with reviewing(doctor):
        assert check_review_holds("Sköterskan Karin", CheckContext(kind="communities.post")) == []
    assert codes("Tabletten hjälpte mot värken.", medicine()) == set()


def test_a_held_review_says_why():
    doctor = physician(name="Anna Lind")

    result = submit(UserFactory.create(), doctor, body="Sköterskan Karin skrek åt mig.")

    assert result.review.status == ContentStatus.HELD
    assert NAMES_STAFF in result.review.hold_reasons
    assert str(HOLD_MESSAGES[NAMES_STAFF]) in [str(m) for m in result.hold_messages]
