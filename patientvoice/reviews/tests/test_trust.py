"""Holds: new and unverified accounts, near-duplicate texts across accounts, and the
moderation queue they reach."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from patientvoice.core.models import ContentStatus
from patientvoice.core.textchecks import reason_label
from patientvoice.moderation import queries as moderation_queries
from patientvoice.moderation.models import Case, CaseSource
from patientvoice.reviews.kinds import review_url
from patientvoice.reviews.queries import summary_for

from .factories import (
    UserFactory,
    acting_staff,
    clinic,
    medicine,
    new_member,
    submit,
    unverified_member,
)

pytestmark = pytest.mark.django_db

SCRIPTED = (
    "Best medicine I have ever taken, worked from the first day and no side effects at all. "
    "Highly recommended to anyone with this problem"
)
SCRIPTED_AGAIN = (
    "Best medicine I have ever taken, worked from the very first day and no side effects at "
    "all. Highly recommended to anyone with this problem!"
)


@pytest.fixture
def commit(django_capture_on_commit_callbacks: Any) -> Any:
    def run(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.mark.parametrize(
    ("make", "code"),
    [(new_member, "review.new_account"), (unverified_member, "review.unverified_email")],
)
def test_a_review_from_a_new_or_unverified_account_is_held_with_the_reason(make, code, commit):
    place = clinic()

    result = commit(submit, make(), place)

    assert result.held
    assert result.review.hold_reasons == [code]
    assert str(result.hold_messages[0]) == str(reason_label(code))
    assert "moderator" in str(result.hold_messages[0])
    assert not result.review.is_verified_experience
    assert summary_for(place).count == 0


def test_a_held_review_reaches_the_site_wide_moderation_queue(commit):
    held = commit(submit, new_member(), clinic()).review

    case = Case.objects.get(kind="review", object_id=held.pk)
    assert case.source == CaseSource.PIPELINE
    assert case.community is None
    assert case.reasons == ["review.new_account"]
    assert case.url.endswith(review_url(held))
    assert [c.pk for c in moderation_queries.queue(acting_staff(), site_only=True)] == [case.pk]


def test_the_hold_period_is_a_setting(settings, commit):
    settings.PV_REVIEW_HOLD_NEW_ACCOUNT_DAYS = 0

    assert commit(submit, new_member(), clinic()).published


def test_a_text_nearly_the_same_as_another_accounts_review_is_held(commit):
    drug = medicine()
    first = commit(submit, UserFactory.create(), drug, body=SCRIPTED)

    second = commit(submit, UserFactory.create(), medicine(), body=SCRIPTED_AGAIN)

    assert first.published
    assert second.held
    assert second.review.hold_reasons == ["spam.near_duplicate"]
    with translation.override("en"):
        assert "another account" in str(second.hold_messages[0])


def test_different_texts_from_different_accounts_are_published(commit):
    commit(submit, UserFactory.create(), medicine(), body=SCRIPTED)

    other = commit(
        submit,
        UserFactory.create(),
        medicine(),
        body="It made me tired for weeks and I gave up after two months; the nurse was kind.",
    )

    assert other.published


def test_editing_ones_own_review_is_not_a_near_duplicate_of_itself(commit):
    from patientvoice.reviews import actions

    from .factories import scores_for

    member, drug = UserFactory.create(), medicine()
    original = commit(submit, member, drug, body=SCRIPTED).review

    result = commit(
        actions.edit_review,
        review=original,
        editor=member,
        scores=scores_for(drug, 5),
        conflict="none",
        body=SCRIPTED_AGAIN,
    )

    assert result.published
    assert result.review.status == ContentStatus.PUBLISHED
