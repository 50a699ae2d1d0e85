"""The demo shows every state of a summary, written through the actions."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from patientvoice.core.models import ContentStatus
from patientvoice.directory.models import Clinic, Medicine, Physician
from patientvoice.reviews.demo import CLINIC_SLUG, PHYSICIAN_SLUG
from patientvoice.reviews.models import Review
from patientvoice.reviews.queries import summary_for

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_full_summary_a_too_few_one_and_reviewed_providers_and_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    reviews = Review.objects.count()

    metformin = summary_for(Medicine.objects.get(slug="metformin"))
    methotrexate = summary_for(Medicine.objects.get(slug="methotrexate"))
    clinic = summary_for(Clinic.objects.get(slug=CLINIC_SLUG))
    physician = summary_for(Physician.objects.get(slug=PHYSICIAN_SLUG))
    assert metformin.count >= 30
    assert metformin.enough
    headline = metformin.headline
    assert headline.low is not None
    assert headline.mean is not None
    assert headline.high is not None
    assert headline.low < headline.mean < headline.high
    assert len({c for c in metformin.headline.counts if c}) > 1  # a spread, not one bar
    assert methotrexate.count == 3
    assert not methotrexate.enough
    assert clinic.count >= 6
    assert physician.count >= 6
    # Verified experiences: the demo's reviewers pass the trust rules.
    assert not Review.objects.exclude(status=ContentStatus.PUBLISHED).exists()
    assert metformin.verified_share == 100.0

    call_command("seed_demo", stdout=StringIO())
    assert Review.objects.count() == reviews
