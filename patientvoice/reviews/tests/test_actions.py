"""Writing, editing and withdrawing reviews, and every refusal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone, translation

from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import ContentTooLong
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.errors import MemberSanctioned
from patientvoice.moderation.tests.factories import flagged
from patientvoice.organizations import actions as organization_actions
from patientvoice.reviews import actions
from patientvoice.reviews.errors import (
    ConflictDeclared,
    ConflictKnown,
    InvalidReview,
    InvalidScores,
    ReviewExists,
    ReviewingTooFast,
    ReviewNotEditable,
)
from patientvoice.reviews.models import Review, ReviewRevision
from patientvoice.reviews.queries import summary_for

from .factories import (
    ConditionFactory,
    OrganizationFactory,
    UserFactory,
    acting_staff,
    clinic,
    medicine,
    physician,
    review,
    scores_for,
    submit,
)

pytestmark = pytest.mark.django_db

EXPERIENCE = "It took two weeks before it helped, and the first days I felt a bit dizzy."


def test_a_member_reviews_a_medicine_and_it_is_published_as_a_verified_experience():
    member, drug, condition = UserFactory.create(), medicine(), ConditionFactory.create()

    result = submit(
        member,
        drug,
        body=EXPERIENCE,
        language="en",
        condition=condition,
        duration="1_6m",
        still_taking=False,
        stop_reason="side_effects",
        side_effects=["dizziness", "nausea", "dizziness"],
        side_effects_text="Felt odd in the mornings",
        would_recommend=True,
        on_behalf=True,
    )

    saved = Review.objects.get(pk=result.review.pk)
    assert result.published
    assert not result.hold_messages
    assert saved.is_verified_experience
    assert saved.medicine == drug
    assert saved.kind == "medicine"
    assert saved.scores == {"effectiveness": 4, "ease_of_use": 4, "satisfaction": 4}
    assert saved.side_effects == ["dizziness", "nausea"]
    assert "<p>It took two weeks" in saved.body_html
    assert saved.on_behalf
    assert summary_for(drug).count == 1
    assert summary_for(drug, condition).count == 1


def test_a_review_without_written_experience_is_published_too():
    result = submit(UserFactory.create(), clinic())

    assert result.published
    assert result.review.body == ""
    assert result.review.body_html == ""


def test_a_physician_review_can_say_how_long_the_wait_was():
    result = submit(UserFactory.create(), physician(), waiting_minutes=45)

    assert result.review.waiting_minutes == 45


def test_a_second_review_of_the_same_entry_is_refused_with_the_first_one():
    member, drug = UserFactory.create(), medicine()
    first = submit(member, drug).review

    with pytest.raises(ReviewExists) as refused:
        submit(member, drug, value=1)

    assert refused.value.review == first
    assert refused.value.status == 409
    assert Review.objects.filter(author=member).count() == 1


def test_the_same_member_reviews_different_entries():
    member = UserFactory.create()

    submit(member, medicine())
    submit(member, medicine())

    assert Review.objects.filter(author=member).count() == 2


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"satisfaction": 0}, "satisfaction"),
        ({"effectiveness": 6}, "effectiveness"),
        ({"ease_of_use": "much"}, "ease_of_use"),
        ({"ease_of_use": True}, "ease_of_use"),
        ({"ease_of_use": 3.5}, "ease_of_use"),
        ({"satisfaction": None}, "satisfaction"),
    ],
)
def test_a_missing_or_out_of_range_score_is_refused_naming_the_dimension(overrides, missing):
    drug = medicine()
    scores = {**scores_for(drug), **overrides}

    with pytest.raises(InvalidScores) as refused:
        submit(UserFactory.create(), drug, scores=scores)

    assert refused.value.dimension == missing
    with translation.override("en"):
        assert "from 1 to 5" in str(refused.value)
    assert not Review.objects.exists()


def test_scores_sent_as_form_strings_are_taken():
    drug = medicine()

    result = submit(UserFactory.create(), drug, scores=dict.fromkeys(scores_for(drug), "5"))

    assert result.review.scores == {"effectiveness": 5, "ease_of_use": 5, "satisfaction": 5}


def test_a_score_for_a_dimension_the_kind_does_not_have_is_not_stored():
    drug = medicine()

    result = submit(UserFactory.create(), drug, scores={**scores_for(drug), "overall": 1})

    assert "overall" not in result.review.scores


@pytest.mark.parametrize(
    ("entry", "fields", "field"),
    [
        (medicine, {"still_taking": False}, "stop_reason"),
        (medicine, {"still_taking": False, "stop_reason": "bored"}, "stop_reason"),
        (medicine, {"side_effects": ["headache", "werewolf"]}, "side_effects"),
        (medicine, {"duration": "forever"}, "duration"),
        (medicine, {"side_effects_text": "x" * 501}, "side_effects_text"),
        (medicine, {"waiting_minutes": 10}, "waiting_minutes"),
        (physician, {"waiting_minutes": 1441}, "waiting_minutes"),
        (physician, {"waiting_minutes": -1}, "waiting_minutes"),
        (clinic, {"would_recommend": True}, "would_recommend"),
        (clinic, {"side_effects": ["headache"]}, "side_effects"),
        (physician, {"duration": "1_2y"}, "duration"),
    ],
)
def test_a_structured_answer_that_does_not_fit_is_refused_naming_the_field(entry, fields, field):
    with pytest.raises(InvalidReview) as refused:
        submit(UserFactory.create(), entry(), **fields)

    assert refused.value.field == field
    assert str(refused.value)
    assert not Review.objects.exists()


def test_a_stop_reason_given_while_still_taking_it_is_dropped():
    result = submit(UserFactory.create(), medicine(), still_taking=True, stop_reason="cost")

    assert result.review.stop_reason == ""


@pytest.mark.parametrize("conflict", ["works_for", "paid_by", "related"])
def test_a_declared_conflict_of_interest_is_refused(conflict):
    with pytest.raises(ConflictDeclared) as refused:
        submit(UserFactory.create(), clinic(), conflict=conflict)

    assert refused.value.status == 403
    assert not Review.objects.exists()


def test_an_unanswered_conflict_question_is_refused():
    with pytest.raises(InvalidReview) as refused:
        submit(UserFactory.create(), clinic(), conflict="")

    assert refused.value.field == "conflict"


def test_staff_of_the_medicines_maker_cannot_review_it():
    maker = OrganizationFactory.create()
    drug = medicine()
    drug.holder_organisations.add(maker)
    employee = UserFactory.create()
    from patientvoice.moderation.tests.factories import with_second_factor

    with_second_factor(employee)
    organization_actions.add_staff(actor=None, organization=maker, user=employee, role="moderator")
    employee.refresh_from_db()

    with pytest.raises(ConflictKnown):
        submit(employee, drug)

    assert submit(employee, medicine()).published  # another maker's medicine is fine


def test_a_banned_member_cannot_review():
    member = UserFactory.create()
    case = flagged(member)
    moderation_actions.decide(
        moderator=acting_staff(), case=case, action="ban", reason_code="terms_conduct",
        explanation="Repeated abuse.", site_wide=True,
    )  # fmt: skip

    with pytest.raises(MemberSanctioned):
        submit(member, clinic())


def test_more_reviews_in_a_day_than_the_limit_are_refused(settings):
    settings.PV_REVIEWS_PER_DAY = 2
    member = UserFactory.create()
    submit(member, clinic())
    submit(member, clinic())

    with pytest.raises(ReviewingTooFast) as refused:
        submit(member, clinic())

    assert refused.value.status == 429
    assert Review.objects.filter(author=member).count() == 2


def test_a_refused_review_does_not_use_up_the_daily_limit(settings):
    settings.PV_REVIEWS_PER_DAY = 1
    member, place = UserFactory.create(), clinic()
    with pytest.raises(InvalidScores):
        submit(member, place, scores={})

    assert submit(member, place).published


def test_a_written_experience_over_the_limit_is_refused():
    with pytest.raises(ContentTooLong):
        submit(UserFactory.create(), clinic(), body="x" * (Review.MAX_BODY_LENGTH + 1))


# --- editing --------------------------------------------------------------------------------


def test_editing_keeps_the_earlier_version_and_moves_the_summary():
    member, drug = UserFactory.create(), medicine()
    original = submit(member, drug, value=2, body=EXPERIENCE).review

    result = actions.edit_review(
        review=original,
        editor=member,
        scores=scores_for(drug, 5),
        conflict="none",
        body="Better after a month.",
        still_taking=True,
    )

    saved = Review.objects.get(pk=original.pk)
    assert result.published
    assert saved.scores["satisfaction"] == 5
    assert saved.still_taking is True
    assert saved.edited_at is not None
    assert "Better after a month." in saved.body_html
    revision = ReviewRevision.objects.get(review=saved)
    assert revision.body == EXPERIENCE
    assert revision.scores["satisfaction"] == 2
    assert revision.details["still_taking"] is None
    assert summary_for(drug).headline.mean == 5


def test_an_unchanged_edit_changes_nothing():
    member, drug = UserFactory.create(), medicine()
    original = submit(member, drug, body=EXPERIENCE).review

    actions.edit_review(
        review=original, editor=member, scores=scores_for(drug), conflict="none", body=EXPERIENCE
    )

    assert not ReviewRevision.objects.exists()
    assert Review.objects.get(pk=original.pk).edited_at is None


def test_only_the_author_edits_a_review():
    drug = medicine()
    theirs = review(drug)

    with pytest.raises(Http404):
        actions.edit_review(
            review=theirs, editor=UserFactory.create(), scores=scores_for(drug), conflict="none"
        )


def test_an_edit_that_adds_a_phone_number_is_held_and_leaves_the_summary():
    member, place = UserFactory.create(), clinic()
    original = submit(member, place).review

    result = actions.edit_review(
        review=original,
        editor=member,
        scores=scores_for(place),
        conflict="none",
        body="Call me on 070-123 45 67 about it.",
    )

    assert result.held
    assert "personal_data.phone" in result.review.hold_reasons
    assert summary_for(place).count == 0


def test_a_hidden_review_cannot_be_edited_back_into_view():
    member, place = UserFactory.create(), clinic()
    hidden = submit(member, place).review
    actions.set_review_status(hidden, ContentStatus.HIDDEN)

    with pytest.raises(ReviewNotEditable):
        actions.edit_review(
            review=hidden, editor=member, scores=scores_for(place, 1), conflict="none"
        )


def test_an_edit_with_a_declared_conflict_is_refused():
    member, place = UserFactory.create(), clinic()
    original = submit(member, place).review

    with pytest.raises(ConflictDeclared):
        actions.edit_review(
            review=original, editor=member, scores=scores_for(place), conflict="paid_by"
        )


# --- withdrawing ----------------------------------------------------------------------------


def test_an_author_withdraws_their_review_and_may_review_again():
    member, place = UserFactory.create(), clinic()
    first = submit(member, place, value=1).review

    actions.withdraw_review(review=first, actor=member)

    assert not Review.objects.filter(pk=first.pk).exists()
    assert summary_for(place).count == 0
    assert submit(member, place, value=5).published


def test_nobody_else_withdraws_a_review():
    theirs = review(clinic())

    with pytest.raises(Http404):
        actions.withdraw_review(review=theirs, actor=UserFactory.create())

    assert Review.objects.filter(pk=theirs.pk).exists()


def test_a_review_older_than_two_years_says_so():
    written = review(clinic())
    now = timezone.now()

    assert not written.is_older_than_two_years(now)
    assert written.is_older_than_two_years(now + timedelta(days=731))
