"""The demo shows every state of a summary and the provider's voice, written through the
actions."""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command

from patientvoice.core.models import AuditEntry, ContentStatus
from patientvoice.directory.models import Clinic, Medicine, Physician
from patientvoice.reviews import provider_actions
from patientvoice.reviews.demo import (
    CHANGE_NOTE,
    CLINIC_SLUG,
    PHYSICIAN_SLUG,
    REPLIED_REVIEW,
    REPLY_TEXT,
    REPRESENTATIVE,
)
from patientvoice.reviews.models import ClaimStatus, ProviderClaim, Review, ReviewReply
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


def test_the_demo_clinic_has_a_representative_whose_reply_the_reviewer_confirmed_once(client):
    call_command("seed_demo", stdout=StringIO())

    clinic = Clinic.objects.get(slug=CLINIC_SLUG)
    claim = ProviderClaim.objects.select_related("user", "decided_by").get(clinic=clinic)
    representative = claim.user
    assert claim.status == ClaimStatus.APPROVED
    assert claim.decided_by is not None
    assert claim.decided_by.is_staff
    assert representative.email.startswith(f"{REPRESENTATIVE}@")
    assert Authenticator.objects.filter(user=representative, type=Authenticator.Type.TOTP).exists()
    assert AuditEntry.objects.filter(action="reviews.claim_approved").count() == 1
    reply = ReviewReply.objects.select_related("review").get(author=representative)
    assert reply.status == ContentStatus.PUBLISHED
    assert reply.review.body == REPLIED_REVIEW
    assert reply.helped_at is not None
    assert reply.change_made_at is not None
    assert reply.change_note == CHANGE_NOTE

    # A visitor reads the reply and the reviewer's note under the review.
    page = client.get(f"/sv/clinics/{CLINIC_SLUG}/").content.decode()
    assert REPLY_TEXT[:40] in page
    assert CHANGE_NOTE in page

    # Run again after the reviewer took "this reply helped" back: nothing is redone.
    reviewer = reply.review.author
    assert reviewer is not None
    provider_actions.mark_reply_helped(reviewer=reviewer, reply=reply, helped=False)
    call_command("seed_demo", stdout=StringIO())
    reply.refresh_from_db()
    assert reply.helped_at is None
    assert ProviderClaim.objects.filter(user=representative).count() == 1
    assert ReviewReply.objects.filter(author=representative).count() == 1


def test_after_the_demo_search_finds_the_directorys_medicines():
    from django.test import Client

    call_command("seed_demo", stdout=StringIO())

    response = Client().get("/en/search/", {"q": "metformin", "kind": "directory.medicine"})

    assert response.status_code == 200
    assert "/en/medicines/metformin/" in response.content.decode()
