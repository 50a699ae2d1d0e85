"""The read-replica router (core.dbrouters, decisions/0044) with a real second
connection to the test database as the replica.

These tests commit (a second connection cannot see a test's own transaction), so they
are transactional with serialized rollback, like the browser journeys, and live in a
file of their own: pytest-django runs such files after the others, and a file that
mixed them would leave an emptied database to the tests after it in the same process.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from patientvoice.communities.models import Community
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.core import dbrouters

REPLICA = "replica1"
ROUTER = "patientvoice.core.dbrouters.ReplicaRouter"


@pytest.fixture
def real_replica(
    transactional_db: None,
    django_db_serialized_rollback: None,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[None]:
    """replica1 is its own connection to the test database; the router is on. Made by
    hand, not from settings, as Django's test case would refuse a configured alias it
    did not know when the test began. The test commits, so the database is emptied
    after it and its starting rows put back (serialized rollback), like the browser
    journeys that may run next in the same process: without it, the flush would
    recreate content types that their own restore then inserts again."""
    primary = connections[DEFAULT_DB_ALIAS]
    replica = load_backend(primary.settings_dict["ENGINE"]).DatabaseWrapper(
        copy.deepcopy(primary.settings_dict), REPLICA
    )
    monkeypatch.setattr(dbrouters, "replica_aliases", lambda: [REPLICA])
    connections[REPLICA] = replica
    settings.DATABASE_ROUTERS = [ROUTER]
    yield
    dbrouters.finish_request()
    replica.close()
    del connections[REPLICA]


def get_request(**environ: str) -> None:
    dbrouters.start_request({"REQUEST_METHOD": "GET", **environ})


def test_a_page_request_reads_from_the_replica_connection(real_replica):
    community = CommunityFactory.create(name="Migrän")
    get_request()

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        read = Community.objects.get(pk=community.pk)

    assert read.name == "Migrän"
    assert read._state.db == REPLICA
    assert any("communities_community" in query["sql"] for query in on_replica)


def test_writes_go_to_the_primary(real_replica):
    get_request()

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        community = CommunityFactory.create()

    assert community._state.db == DEFAULT_DB_ALIAS
    assert router.db_for_write(Community) == DEFAULT_DB_ALIAS
    assert not [q for q in on_replica if not q["sql"].lstrip().upper().startswith("SELECT")]


def test_after_a_write_the_request_reads_its_own_writes_from_the_primary(real_replica):
    get_request()
    community = CommunityFactory.create()

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        read = Community.objects.get(pk=community.pk)

    assert read._state.db == DEFAULT_DB_ALIAS
    assert len(on_replica) == 0


def test_reads_inside_a_transaction_stay_on_the_primary(real_replica):
    community = CommunityFactory.create()
    get_request()

    with transaction.atomic(), CaptureQueriesContext(connections[REPLICA]) as on_replica:
        locked = Community.objects.select_for_update().get(pk=community.pk)
        beside = Community.objects.get(pk=community.pk)

    assert (locked._state.db, beside._state.db) == (DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS)
    assert len(on_replica) == 0


def test_a_form_post_reads_from_the_primary_before_it_writes(real_replica):
    community = CommunityFactory.create()
    dbrouters.start_request({"REQUEST_METHOD": "POST"})

    assert Community.objects.get(pk=community.pk)._state.db == DEFAULT_DB_ALIAS


def test_tasks_commands_and_the_shell_read_from_the_primary(real_replica):
    community = CommunityFactory.create()

    assert Community.objects.get(pk=community.pk)._state.db == DEFAULT_DB_ALIAS
