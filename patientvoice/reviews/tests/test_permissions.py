"""Who sees which review, who may review what (the visibility matrix), conflicts."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from patientvoice.core.models import ContentStatus
from patientvoice.moderation.tests.factories import organization_staff
from patientvoice.reviews import actions
from patientvoice.reviews.errors import ConflictKnown, ReviewExists
from patientvoice.reviews.models import Review
from patientvoice.reviews.permissions import (
    can_edit_review,
    can_review,
    check_can_review,
    known_conflict,
    visible_reviews,
)

from .factories import (
    OrganizationFactory,
    StaffFactory,
    UserFactory,
    acting_staff,
    clinic,
    medicine,
    physician,
    review,
)

pytestmark = pytest.mark.django_db

STATES = ["published", "held", "hidden", "removed"]


@pytest.fixture
def world() -> dict[str, Any]:
    author = UserFactory.create()
    reviews = {}
    for status in STATES:
        written = review(clinic(), author=author)
        actions.set_review_status(written, status)
        reviews[status] = written
    return {"author": author, "reviews": reviews}


# Which states each role sees: the author's own held and hidden ones, staff all.
MATRIX = {
    "visitor": {"published"},
    "member": {"published"},
    "author": {"published", "held", "hidden"},
    "staff": set(STATES),
    "staff without a second factor": {"published"},
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_each_role_sees_the_reviews_the_rule_allows(world, role):
    viewer = {
        "visitor": lambda: AnonymousUser(),
        "member": lambda: UserFactory.create(),
        "author": lambda: world["author"],
        "staff": acting_staff,
        "staff without a second factor": lambda: _suspended(StaffFactory.create()),
    }[role]()

    seen = visible_reviews(viewer, Review.objects.all())

    assert {r.status for r in seen} == MATRIX[role]


def _suspended(user: Any) -> Any:
    user.privileges_suspended = True
    return user


def test_a_visitor_may_not_review():
    with pytest.raises(PermissionDenied):
        check_can_review(AnonymousUser(), clinic())
    assert not can_review(AnonymousUser(), clinic())


def test_a_member_may_review_once_per_entry():
    member, place = UserFactory.create(), clinic()
    assert can_review(member, place)

    mine = review(place, author=member)

    with pytest.raises(ReviewExists) as refused:
        check_can_review(member, place)
    assert refused.value.review == mine
    assert not can_review(member, place)
    assert can_edit_review(member, mine)
    assert not can_edit_review(UserFactory.create(), mine)


def test_staff_of_a_medicines_holder_have_a_known_conflict_with_it_only():
    maker, other = OrganizationFactory.create(), OrganizationFactory.create()
    drug = medicine()
    drug.holder_organisations.add(maker)
    employee = organization_staff(maker)
    elsewhere = organization_staff(other)

    assert known_conflict(employee, drug)
    assert not known_conflict(elsewhere, drug)
    assert not known_conflict(employee, medicine())
    assert not known_conflict(employee, clinic())
    assert not known_conflict(employee, physician())
    with pytest.raises(ConflictKnown):
        check_can_review(employee, drug)


def test_a_member_without_an_organisation_role_is_asked_no_question(django_assert_num_queries):
    member, drug = UserFactory.create(), medicine()

    with django_assert_num_queries(0):
        assert not known_conflict(member, drug)


def test_a_withdrawn_hidden_review_disappears_for_its_author(world):
    hidden = world["reviews"]["hidden"]

    actions.withdraw_review(review=hidden, actor=world["author"])

    assert not visible_reviews(world["author"], Review.objects.filter(pk=hidden.pk)).exists()
    assert ContentStatus.HIDDEN not in {
        r.status for r in visible_reviews(world["author"], Review.objects.all())
    }
