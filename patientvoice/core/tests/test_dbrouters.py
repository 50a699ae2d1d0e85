"""The read-replica router (core.dbrouters, decisions/0044).

The replica here is a second alias for the test database, as ``TEST: {"MIRROR":
"default"}`` makes it in a suite run with ``DATABASE_REPLICA_URLS``: here the default
connection itself, as these tests run in a transaction that a second connection could
not see.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.tasks import task
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.communities.models import Community, Post, Thread
from patientvoice.communities.tests import test_reading, test_writing
from patientvoice.communities.tests.conftest import member, outsider  # noqa: F401 - fixtures
from patientvoice.communities.tests.factories import (
    CommunityFactory,
    PostFactory,
    ThreadFactory,
    UserFactory,
)
from patientvoice.communities.tests.test_reading import long_thread  # noqa: F401 - fixture
from patientvoice.core import dbrouters
from patientvoice.core.testing.sessions import log_in

REPLICA = "replica1"
ROUTER = "patientvoice.core.dbrouters.ReplicaRouter"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def shared_replica(db: None, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """replica1 is the default connection under another name, so reads routed to it see
    the test's own transaction; the router is on."""
    monkeypatch.setattr(dbrouters, "replica_aliases", lambda: [REPLICA])
    connections[REPLICA] = connections[DEFAULT_DB_ALIAS]
    settings.DATABASE_ROUTERS = [ROUTER]
    yield
    dbrouters.finish_request()
    del connections[REPLICA]


@pytest.fixture
def decisions(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """(model label, alias) of every read the router decides."""
    seen: list[tuple[str, str]] = []
    original = dbrouters.ReplicaRouter.db_for_read

    def spy(self: dbrouters.ReplicaRouter, model: Any, **hints: Any) -> str:
        alias = original(self, model, **hints)
        seen.append((model._meta.label, alias))
        return alias

    monkeypatch.setattr(dbrouters.ReplicaRouter, "db_for_read", spy)
    return seen


def get_request(**environ: str) -> None:
    dbrouters.start_request({"REQUEST_METHOD": "GET", **environ})


# --- where reads and writes go. Django runs a query on the connection of the alias
# it records in ``_state.db``: the alias is the router's decision. (A real second
# connection would need tests that commit, which cannot share a worker with the
# browser journeys' serialized rollback.)


def test_a_page_request_reads_from_the_replica_connection(shared_replica):
    community = CommunityFactory.create(name="Migrän")
    get_request()

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        read = Community.objects.get(pk=community.pk)

    assert read.name == "Migrän"
    assert read._state.db == REPLICA
    assert any("communities_community" in query["sql"] for query in on_replica)


def test_writes_go_to_the_primary(shared_replica):
    get_request()

    community = CommunityFactory.create()

    assert community._state.db == DEFAULT_DB_ALIAS
    assert router.db_for_write(Community) == DEFAULT_DB_ALIAS


def test_after_a_write_the_request_reads_its_own_writes_from_the_primary(shared_replica):
    get_request()
    community = CommunityFactory.create()

    read = Community.objects.get(pk=community.pk)

    assert read._state.db == DEFAULT_DB_ALIAS


def test_reads_inside_a_transaction_stay_on_the_primary(shared_replica):
    community = CommunityFactory.create()
    get_request()

    with transaction.atomic():
        locked = Community.objects.select_for_update().get(pk=community.pk)
        beside = Community.objects.get(pk=community.pk)

    assert (locked._state.db, beside._state.db) == (DEFAULT_DB_ALIAS, DEFAULT_DB_ALIAS)


def test_a_form_post_reads_from_the_primary_before_it_writes(shared_replica):
    community = CommunityFactory.create()
    dbrouters.start_request({"REQUEST_METHOD": "POST"})

    assert Community.objects.get(pk=community.pk)._state.db == DEFAULT_DB_ALIAS


def test_tasks_commands_and_the_shell_read_from_the_primary(shared_replica):
    community = CommunityFactory.create()

    assert Community.objects.get(pk=community.pk)._state.db == DEFAULT_DB_ALIAS


# --- what always stays on the primary


@pytest.mark.parametrize("model", [Session, User])
def test_sessions_and_accounts_are_always_read_from_the_primary(shared_replica, model):
    get_request()

    assert router.db_for_read(model) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Thread) == REPLICA


def test_every_primary_only_app_is_installed():
    from django.apps import apps

    labels = {config.label for config in apps.get_app_configs()}

    assert set(dbrouters.PRIMARY_ONLY) <= labels


def test_writing_a_session_does_not_send_the_pages_reads_to_the_primary(shared_replica):
    get_request()

    Session.objects.create(session_key="k" * 32, session_data="", expire_date="2099-01-01T00:00Z")

    assert router.db_for_read(Thread) == REPLICA


def test_a_task_reads_from_the_primary_and_the_request_then_reads_its_writes(shared_replica):
    TASK_READS.clear()
    get_request()

    where_a_task_reads.enqueue()  # the immediate backend runs it here, inside the request

    assert TASK_READS == [DEFAULT_DB_ALIAS]
    assert router.db_for_read(Community) == DEFAULT_DB_ALIAS


TASK_READS: list[str] = []


@task()
def where_a_task_reads() -> None:
    TASK_READS.append(router.db_for_read(Community))


def test_migrations_run_only_on_the_primary(shared_replica):
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "communities", model_name="post") is True
    assert router.allow_migrate(REPLICA, "communities", model_name="post") is False
    assert router.allow_migrate(REPLICA, "sessions") is False


def test_objects_read_from_a_replica_may_be_related_to_objects_on_the_primary(shared_replica):
    thread = ThreadFactory.create()
    get_request()
    community = Community.objects.get(pk=thread.community_id)  # from the replica
    dbrouters.finish_request()

    thread.community = community  # would raise if the router refused the relation

    assert community._state.db == REPLICA
    assert router.allow_relation(thread, community) is True


# --- a browser that has just written


def test_the_page_after_a_post_reads_from_the_primary_for_that_browser_only(shared_replica):
    dbrouters.start_request({"REQUEST_METHOD": "POST", "HTTP_COOKIE": "sessionid=abc"})
    CommunityFactory.create()
    dbrouters.finish_request()

    get_request(HTTP_COOKIE="sessionid=abc")
    same_browser = router.db_for_read(Thread)
    get_request(HTTP_COOKIE="sessionid=someone-else")
    other_browser = router.db_for_read(Thread)

    assert (same_browser, other_browser) == (DEFAULT_DB_ALIAS, REPLICA)


def test_a_member_reading_a_thread_reads_content_from_the_replica(shared_replica, decisions):
    reader = UserFactory.create()
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[reader]))
    PostFactory.create(thread=thread, body="Från repliken")
    client = Client()
    log_in(client, reader)

    response = client.get(thread.get_absolute_url())

    assert response.status_code == 200
    assert "Från repliken" in response.text
    where = dict(decisions)
    assert where["communities.Post"] == REPLICA
    assert where["accounts.User"] == DEFAULT_DB_ALIAS


def test_a_reply_then_its_thread_page_show_the_reply_from_the_primary(shared_replica, decisions):
    writer = UserFactory.create()
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[writer]))
    client = Client()
    log_in(client, writer)

    url = reverse("communities:reply", args=[thread.community.slug, thread.public_id])
    client.post(url, {"body": "Nyss skrivet svar"})
    decisions.clear()
    response = client.get(thread.get_absolute_url(), {"page": "last"})

    assert "Nyss skrivet svar" in response.text
    assert {alias for _, alias in decisions} == {DEFAULT_DB_ALIAS}
    assert Post.objects.filter(body="Nyss skrivet svar").exists()


# --- settings: replicas only when configured


def _settings_in_subprocess(**env: str) -> dict[str, Any]:
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'databases': {a: s.get('TEST', {}) for a, s in"
        " settings.DATABASES.items()}, 'routers': settings.DATABASE_ROUTERS}))"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_REPLICA_URLS", "PYTEST_XDIST_WORKER"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="patientvoice.settings", PV_TESTING="1", **env)
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_without_replica_urls_there_is_no_replica_and_no_router():
    loaded = _settings_in_subprocess()

    assert list(loaded["databases"]) == ["default"]
    assert loaded["routers"] == []


def test_replica_urls_add_mirrored_replicas_and_the_router():
    loaded = _settings_in_subprocess(
        DATABASE_REPLICA_URLS="postgres://r1.internal/pv,postgres://r2.internal/pv"
    )

    assert list(loaded["databases"]) == ["default", "replica1", "replica2"]
    assert loaded["databases"]["replica2"]["MIRROR"] == "default"
    assert loaded["routers"] == [ROUTER]


# --- existing page tests, run again with a replica configured


@pytest.mark.usefixtures("shared_replica")
class TestPagesWithAReplica:
    """A handful of reading and writing tests, unchanged, with reads on the replica."""

    test_home_page = staticmethod(
        test_reading.test_home_page_for_a_member_shows_their_communities_and_unread
    )
    test_no_private_threads = staticmethod(
        test_reading.test_home_page_never_lists_members_only_threads_of_others
    )
    test_pages_of_fifty = staticmethod(test_reading.test_thread_pages_hold_fifty_positions_each)
    test_read_state = staticmethod(
        test_reading.test_reading_a_page_records_how_far_and_reading_it_again_writes_nothing
    )
    test_read_state_forward = staticmethod(test_reading.test_the_read_state_never_goes_back)
    test_htmx_reply = staticmethod(
        test_reading.test_a_reply_through_htmx_answers_the_last_page_with_the_new_post
    )
    test_open_thread = staticmethod(test_writing.test_member_opens_a_thread_and_lands_on_it)
    test_non_member = staticmethod(
        test_writing.test_non_member_who_opens_a_thread_is_asked_to_join_first
    )
    test_reply_lands = staticmethod(
        test_writing.test_reply_lands_on_the_last_page_where_the_new_reply_is
    )
