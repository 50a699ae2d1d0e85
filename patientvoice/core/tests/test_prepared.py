"""Hot queries compiled once per shape (core.prepared) give what the ORM gives."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import QuerySet

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.prepared import PreparedValues

pytestmark = pytest.mark.django_db


def _people(shape: str, values: dict[str, Any]) -> QuerySet[User, Any]:
    people = User.objects.filter(pk__gte=values["low"], pk__lte=values["high"])
    if shape == "by handle":
        people = people.filter(handle=values["handle"])
    return people.order_by("pk").values_list("pk", "handle")


def test_rows_are_those_the_orm_gives_for_each_set_of_values() -> None:
    people = [UserFactory.create() for _ in range(5)]
    prepared = PreparedValues(_people)

    for low, high in ((people[0].pk, people[2].pk), (people[3].pk, people[4].pk)):
        values = {"low": low, "high": high}
        expected = list(_people("range", values))
        assert prepared.rows("range", values) == expected
        assert len(expected) >= 2


def test_each_shape_is_compiled_on_its_own() -> None:
    people = [UserFactory.create() for _ in range(3)]
    prepared = PreparedValues(_people)
    everyone = {"low": people[0].pk, "high": people[-1].pk}
    prepared.rows("range", everyone)

    one = prepared.rows("by handle", {**everyone, "handle": people[1].handle})

    assert one == [(people[1].pk, people[1].handle)]


def test_a_value_the_shape_does_not_use_is_allowed() -> None:
    person = UserFactory.create()
    prepared = PreparedValues(_people)

    rows = prepared.rows("range", {"low": person.pk, "high": person.pk, "handle": "unused"})

    assert rows == [(person.pk, person.handle)]


def test_a_lookup_that_rewrites_its_value_is_refused() -> None:
    def contains(shape: str, values: dict[str, Any]) -> QuerySet[User, Any]:
        return User.objects.filter(handle__contains=values["part"]).values_list("pk")

    with pytest.raises(ValueError, match="rewritten"):
        PreparedValues(contains).rows("contains", {"part": "an"})


def test_booleans_belong_in_the_shape_not_the_values() -> None:
    with pytest.raises(TypeError, match="shape"):
        PreparedValues(_people).rows("range", {"low": 1, "high": 2, "flag": True})
