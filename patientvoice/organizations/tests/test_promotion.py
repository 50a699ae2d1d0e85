"""Promotion-safe mode (``PV_SPONSOR_CONTROLLED``): prescription medicines get neutral
pages and no ranking position (decisions/0038)."""

from __future__ import annotations

from typing import Any

import pytest

from patientvoice.directory.models import Medicine, Prescription
from patientvoice.organizations.promotion import (
    NEUTRAL_PRESCRIPTION,
    neutral_medicine_page,
    neutral_medicines,
)
from patientvoice.reviews.tests.factories import medicine

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prescription", "controlled", "neutral"),
    [
        (Prescription.RX, True, True),
        (Prescription.MIXED, True, True),
        (Prescription.OTC, True, False),
        (Prescription.RX, False, False),
    ],
)
def test_only_prescription_medicines_of_a_sponsor_controlled_site_get_neutral_pages(
    settings: Any, prescription: str, controlled: bool, neutral: bool
) -> None:
    settings.PV_SPONSOR_CONTROLLED = controlled

    assert neutral_medicine_page(Medicine(prescription=prescription)) is neutral


def test_the_neutral_statuses_are_real_prescription_statuses() -> None:
    assert set(NEUTRAL_PRESCRIPTION) <= set(Prescription.values)


def test_rankings_can_leave_out_prescription_medicines_when_sponsor_controlled(
    settings: Any,
) -> None:
    rx = medicine(prescription=Prescription.RX)
    otc = medicine(prescription=Prescription.OTC)
    everything = Medicine.objects.filter(pk__in=[rx.pk, otc.pk])

    assert set(everything.exclude(pk__in=neutral_medicines())) == {rx, otc}
    settings.PV_SPONSOR_CONTROLLED = True
    assert set(everything.exclude(pk__in=neutral_medicines())) == {otc}
