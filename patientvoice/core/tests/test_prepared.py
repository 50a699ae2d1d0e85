"""Hot queries compiled once per shape (core.prepared) give what the ORM gives."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection, connections
from django.db.models import Count, QuerySet
from django.test.utils import CaptureQueriesContext

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities.models import Thread
from patientvoice.communities.tests.factories import (
    CommunityFactory,
    PostFactory,
    ThreadFactory,
)
from patientvoice.core.prepared import PreparedObjects, PreparedValues

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


def _threads(shape: str, values: dict[str, Any]) -> QuerySet[Thread, Any]:
    threads = Thread.objects.select_related("community", "author").filter(
        community__slug=values["slug"]
    )
    if shape == "one":
        threads = threads.filter(public_id=values["thread"])
    return threads.annotate(replies=Count("posts")).order_by("pk")


def test_objects_are_those_the_orm_gives_with_related_objects_and_annotations() -> None:
    community = CommunityFactory.create()
    threads = [ThreadFactory.create(community=community) for _ in range(3)]
    PostFactory.create(thread=threads[1])
    prepared = PreparedObjects[Thread](_threads)

    for thread in threads:
        values = {"slug": community.slug, "thread": thread.public_id}
        (expected,) = list(_threads("one", values))
        (got,) = prepared.objects("one", values)
        assert got == expected
        assert getattr(got, "replies") == getattr(expected, "replies")  # noqa: B009
        # Converted as the ORM converts: datetimes, UUIDs; related rows built.
        assert got.created_at == expected.created_at
        assert isinstance(got.public_id, uuid.UUID)
        assert got.community.slug == community.slug
        assert got.author is not None
        assert thread.author is not None
        assert got.author.handle == thread.author.handle
    counts = [
        getattr(t, "replies")  # noqa: B009
        for t in prepared.objects("all", {"slug": community.slug, "thread": threads[0].public_id})
    ]
    assert counts[1] == counts[0] + 1


def test_objects_takes_a_uuid_given_as_text() -> None:
    thread = ThreadFactory.create()
    prepared = PreparedObjects[Thread](_threads)

    got = prepared.objects("one", {"slug": thread.community.slug, "thread": thread.public_id})
    again = prepared.objects(
        "one", {"slug": thread.community.slug, "thread": str(thread.public_id)}
    )

    assert got == again == [thread]


def test_no_object_for_values_that_match_nothing() -> None:
    thread = ThreadFactory.create()
    prepared = PreparedObjects[Thread](_threads)

    assert prepared.objects("one", {"slug": thread.community.slug, "thread": uuid.uuid4()}) == []
    assert prepared.objects("all", {"slug": "no-such-community", "thread": thread.public_id}) == []


def test_objects_refuses_a_query_of_rows() -> None:
    def rows(shape: str, values: dict[str, Any]) -> QuerySet[User, Any]:
        return User.objects.filter(pk=values["pk"]).values_list("pk")

    with pytest.raises(ValueError, match="PreparedValues"):
        PreparedObjects[User](rows).objects((), {"pk": 1})


def test_sqlite_runs_the_sql_on_the_driver_and_gives_the_same_rows(monkeypatch) -> None:
    people = [UserFactory.create() for _ in range(3)]
    prepared = PreparedValues(_people)
    values = {"low": people[0].pk, "high": people[-1].pk}
    expected = list(_people("range", values))
    with CaptureQueriesContext(connection) as logged:  # logged: through Django's cursor
        assert prepared.rows("range", values) == expected
    assert len(logged.captured_queries) == 1
    if connection.vendor != "sqlite":
        return

    def no_wrapper(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the cursor wrapper was used")

    monkeypatch.setattr(type(connections["default"]), "cursor", no_wrapper)
    assert prepared.rows("range", values) == expected
    assert prepared.rows("range", {"low": people[1].pk, "high": people[1].pk}) == expected[1:2]
