"""The detector every process uses follows the directory's medicines."""

from __future__ import annotations

import pytest

from patientvoice.reviews.tests.factories import medicine
from patientvoice.safety.detection import detector as detection

pytestmark = pytest.mark.django_db


def test_a_medicine_added_to_the_directory_is_detected_after_the_next_check(monkeypatch):
    monkeypatch.setattr(detection, "RECHECK_SECONDS", 0.0)
    detection.reset_default_detector()
    text = "Jag fick fruktansvärd huvudvärk av Zzyxomab förra veckan."
    assert detection.detect(text) == []

    medicine(slug="zzyxomab", inn_en="Zzyxomab", name_sv="Zzyxomab")

    found = detection.detect(text)
    assert [(d.medicine, d.reaction) for d in found] == [("zzyxomab", "headache")]
    detection.reset_default_detector()
