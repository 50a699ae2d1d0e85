"""The moderation kind "review": decisions hide, remove, restore and approve reviews,
and the summaries follow; appeals undo them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from patientvoice.core.models import ContentStatus
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.actions.appeals import reverse_decision
from patientvoice.moderation.errors import InvalidDecision
from patientvoice.moderation.models import Case, CaseSource
from patientvoice.moderation.registry import get as get_kind
from patientvoice.moderation.registry import resolve_url
from patientvoice.reviews.kinds import review_url
from patientvoice.reviews.models import Review
from patientvoice.reviews.queries import summary_for

from .factories import UserFactory, acting_staff, clinic, medicine, new_member, review, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff() -> Any:
    return acting_staff()


def decide(staff: Any, target: Review, action: str) -> Any:
    target.refresh_from_db()
    case = Case.objects.filter(kind="review", object_id=target.pk, status="open").first()
    if case is None and target.status == ContentStatus.PUBLISHED:
        report = moderation_actions.flag(
            reporter=UserFactory.create(), kind="review", obj=target, reason="spam"
        )
        case = report.case
    elif case is None:  # a hidden review: opened by staff from the member's history
        case = moderation_actions.open_case(kind="review", obj=target, source=CaseSource.FLAG)
    return moderation_actions.decide(
        moderator=staff, case=case, action=action, reason_code="terms_advertising",
        explanation="This review advertises a shop.",
    )  # fmt: skip


def test_keeping_a_held_review_publishes_it_as_verified_and_counts_it(
    staff, django_capture_on_commit_callbacks
):
    place = clinic()
    with django_capture_on_commit_callbacks(execute=True):
        held = submit(new_member(), place, value=2).review

    decide(staff, held, "keep")

    held.refresh_from_db()
    assert held.status == ContentStatus.PUBLISHED
    assert held.published_at is not None
    assert held.is_verified_experience
    assert held.hold_reasons == []
    summary = summary_for(place)
    assert (summary.count, summary.verified_count) == (1, 1)


@pytest.mark.parametrize("action", ["hide", "remove"])
def test_hiding_or_removing_takes_a_review_out_of_the_summary_and_an_appeal_puts_it_back(
    staff, action
):
    place = clinic()
    kept = review(place, 5)
    target = review(place, 1)
    assert summary_for(place).count == 2

    decision = decide(staff, target, action)

    target.refresh_from_db()
    assert target.status == ("hidden" if action == "hide" else "removed")
    assert summary_for(place).count == 1
    assert summary_for(place).headline.mean == 5

    reverse_decision(decision, actor=staff)

    target.refresh_from_db()
    assert target.status == ContentStatus.PUBLISHED
    assert summary_for(place).count == 2
    assert kept.pk != target.pk


def test_restoring_a_hidden_review_counts_it_again(staff):
    place = clinic()
    target = review(place)
    decide(staff, target, "hide")

    decide(staff, target, "restore")

    target.refresh_from_db()
    assert target.status == ContentStatus.PUBLISHED
    assert summary_for(place).count == 1


def test_a_review_cannot_be_redacted_or_locked_through_moderation(staff):
    target = review(clinic())

    with pytest.raises(InvalidDecision):
        decide(staff, target, "lock")

    target.refresh_from_db()
    assert target.status == ContentStatus.PUBLISHED


def test_the_kind_points_at_the_review_on_its_entrys_page_and_finds_it_again():
    drug = medicine()
    target = review(drug, body="Worked well for my back pain after a week.")
    kind = get_kind("review")

    url = kind.url_of(target)

    assert url == review_url(target)
    assert resolve_url(f"https://example.org{url}") == (kind, target)
    # The anchor on the entry's page, as a reader copies it, is found too.
    on_page = reverse("directory:medicine_detail", kwargs={"slug": drug.slug})
    assert resolve_url(f"https://example.org{on_page}#review-{target.public_id}") == (
        kind,
        target,
    )
    assert kind.community_of(target) is None
    assert kind.author_of(target) == target.author
    assert kind.excerpt_of(target) == "Worked well for my back pain after a week."


def test_a_review_without_text_is_excerpted_by_its_scores():
    target = review(clinic(), 3)

    with translation.override("en"):
        assert "Overall: 3/5" in get_kind("review").excerpt_of(target)


def test_a_moderator_sees_a_members_reviews_in_their_history(staff):
    member = UserFactory.create()
    mine = review(clinic(), author=member)
    review(clinic())

    history = get_kind("review").authored_by(staff, member)  # type: ignore[misc]

    assert list(history) == [mine]
