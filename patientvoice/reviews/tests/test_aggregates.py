"""Summaries kept on write equal summaries rebuilt from scratch, whatever happens to
the reviews."""

from __future__ import annotations

import random
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import User
from patientvoice.core.models import ContentStatus
from patientvoice.reviews import actions
from patientvoice.reviews.aggregates import rebuild_all
from patientvoice.reviews.dimensions import kind_for_entry
from patientvoice.reviews.models import RatingSummary, Review
from patientvoice.reviews.queries import summary_for

from .factories import (
    ConditionFactory,
    UserFactory,
    clinic,
    medicine,
    new_member,
    physician,
    review,
    scores_for,
    submit,
)

pytestmark = pytest.mark.django_db


def snapshot() -> set[tuple[Any, ...]]:
    return {
        (
            row.kind,
            row.medicine_id,
            row.physician_id,
            row.clinic_id,
            row.condition_id,
            row.count,
            row.verified_count,
            tuple(sorted(row.sums.items())),
            tuple(sorted(row.squares.items())),
            tuple(sorted((k, tuple(v)) for k, v in row.histograms.items())),
            row.recommend_yes,
            row.recommend_count,
            round(row.adjusted, 9),
        )
        for row in RatingSummary.objects.all()
    }


def erase(user: User, mode: str) -> None:
    User.objects.filter(pk=user.pk).update(erasure_mode=mode, erasure_requested_at=timezone.now())
    user.refresh_from_db()
    account_actions.erase_account(user=user)


def test_summaries_kept_on_write_equal_a_rebuild_after_random_changes(settings):
    settings.PV_REVIEWS_PER_DAY = 0  # no limit
    rng = random.Random(20261127)
    entries = [medicine(), medicine(), physician(), clinic()]
    conditions = [ConditionFactory.create(), ConditionFactory.create()]
    members = [UserFactory.create() for _ in range(6)] + [new_member() for _ in range(2)]
    statuses = [ContentStatus.PUBLISHED, ContentStatus.HIDDEN, ContentStatus.REMOVED]

    def answers(entry: Any) -> dict[str, Any]:
        scores = {key: rng.randint(1, 5) for key in scores_for(entry)}
        fields: dict[str, Any] = {"scores": scores, "conflict": "none"}
        if isinstance(entry, type(entries[0])):
            fields["condition"] = rng.choice([None, *conditions])
            fields["would_recommend"] = rng.choice([None, True, False])
        return fields

    for _ in range(150):
        step = rng.random()
        existing = list(Review.objects.exclude(author=None).select_related("author"))
        if step < 0.45 or not existing:
            member, entry = rng.choice(members), rng.choice(entries)
            field = kind_for_entry(entry).entry_field
            if not Review.objects.filter(author=member, **{field: entry}).exists():
                actions.submit_review(author=member, entry=entry, **answers(entry))
        elif step < 0.65:
            target = rng.choice(existing)
            assert target.author is not None
            if target.status in (ContentStatus.PUBLISHED, ContentStatus.HELD):
                actions.edit_review(
                    review=target, editor=target.author, body=f"edit {rng.random()}",
                    **answers(target.entry),
                )  # fmt: skip
        elif step < 0.75:
            target = rng.choice(existing)
            assert target.author is not None
            if target.status != ContentStatus.REMOVED:
                actions.withdraw_review(review=target, actor=target.author)
        elif step < 0.97:
            actions.set_review_status(rng.choice(existing), rng.choice(statuses), approve=True)
        else:
            person = rng.choice(members)
            members.remove(person)
            erase(person, rng.choice(["anonymise", "remove"]))
            members.append(UserFactory.create())

    incremental = snapshot()
    assert RatingSummary.objects.filter(count__gte=2).exists()
    assert RatingSummary.objects.exclude(condition=None).exists()

    rebuild_all()

    assert snapshot() == incremental


def test_a_summary_row_goes_when_its_last_review_does():
    place = clinic()
    only = review(place, 4)
    assert RatingSummary.objects.filter(clinic=place).exists()

    actions.withdraw_review(review=only, actor=only.author)  # type: ignore[arg-type]

    assert not RatingSummary.objects.filter(clinic=place).exists()


def test_a_medicine_reviewed_for_a_condition_has_an_overall_and_a_condition_summary():
    drug, condition = medicine(), ConditionFactory.create()
    review(drug, 5, condition=condition, would_recommend=True)
    review(drug, 1, would_recommend=False)

    overall, for_condition = summary_for(drug), summary_for(drug, condition)

    assert (overall.count, overall.headline.mean) == (2, 3)
    assert (for_condition.count, for_condition.headline.mean) == (1, 5)
    assert overall.recommend_share == 50.0
    assert overall.adjusted == pytest.approx((15 + 6) / 7)
    assert for_condition.adjusted == pytest.approx((15 + 5) / 6)


def test_a_held_review_counts_only_once_published():
    member, place = new_member(), clinic()

    held = submit(member, place).review

    assert held.status == ContentStatus.HELD
    assert not RatingSummary.objects.exists()
    actions.set_review_status(held, ContentStatus.PUBLISHED, approve=True)
    assert summary_for(place).verified_count == 1


def test_the_rebuild_command_repairs_a_broken_summary():
    place = clinic()
    review(place, 2)
    review(place, 4)
    RatingSummary.objects.update(count=99, sums={})
    out = StringIO()

    call_command("rebuild_review_summaries", stdout=out)

    assert "1 rating summaries rebuilt" in out.getvalue()
    summary = summary_for(place)
    assert summary.count == 2
    assert summary.headline.mean == 3
