"""Reviews in the member's data export, and erasure in both modes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.exporting import build_export
from patientvoice.accounts.models import ErasureMode, User
from patientvoice.core.models import ContentStatus
from patientvoice.reviews import actions
from patientvoice.reviews.models import Review, ReviewRevision
from patientvoice.reviews.queries import summary_for

from .factories import UserFactory, clinic, medicine, review, scores_for

pytestmark = pytest.mark.django_db


def erase(user: User, mode: str) -> None:
    User.objects.filter(pk=user.pk).update(erasure_mode=mode, erasure_requested_at=timezone.now())
    user.refresh_from_db()
    account_actions.erase_account(user=user)


def test_the_export_holds_the_members_reviews_and_their_earlier_versions():
    member, drug = UserFactory.create(), medicine()
    mine = review(drug, 2, author=member, body="First words.", side_effects=["rash"])
    actions.edit_review(
        review=mine, editor=member, scores=scores_for(drug, 3), conflict="none", body="Later."
    )
    review(clinic())  # someone else's

    section = build_export(member)["reviews"]

    assert [r["body"] for r in section["reviews"]] == ["Later."]
    assert section["reviews"][0]["medicine__slug"] == drug.slug
    assert section["reviews"][0]["scores"]["satisfaction"] == 3
    assert [r["body"] for r in section["review_revisions"]] == ["First words."]
    assert section["review_revisions"][0]["details"]["side_effects"] == ["rash"]


def test_erasure_in_remove_mode_deletes_every_review_and_its_share_of_the_summary():
    member, place = UserFactory.create(), clinic()
    review(place, 1, author=member)
    review(place, 5)

    erase(member, ErasureMode.REMOVE)

    assert Review.objects.count() == 1
    assert (summary_for(place).count, summary_for(place).headline.mean) == (1, 5)


def test_erasure_in_anonymise_mode_keeps_published_reviews_as_a_former_members():
    member, place = UserFactory.create(), clinic()
    kept = review(place, 1, author=member)
    hidden = review(clinic(), author=member)
    actions.set_review_status(hidden, ContentStatus.HIDDEN)
    actions.edit_review(
        review=kept, editor=member, scores=scores_for(place, 2), conflict="none", body="x"
    )

    erase(member, ErasureMode.ANONYMISE)

    kept.refresh_from_db()
    assert kept.author is None
    assert not Review.objects.filter(pk=hidden.pk).exists()
    assert ReviewRevision.objects.filter(review=kept).exists()
    assert summary_for(place).count == 1
