"""Read replicas: page reads from a replica, everything that must be current from the
primary (decisions/0044).

Installed only when ``DATABASE_REPLICA_URLS`` names at least one replica (settings);
without it Django asks no router at all.

Who reads where:

* A safe request (GET, HEAD, OPTIONS) reads from a replica, chosen at random per query,
  until it writes. From its first write on, it reads from the primary ("read your
  writes"), and so do the same browser's safe requests for
  ``PV_REPLICA_STICKY_SECONDS`` afterwards, so the page a form redirects to shows what
  was just posted although the replica may lag a little.
* An unsafe request (POST, PUT, PATCH, DELETE) reads from the primary throughout: what it
  reads decides what it may write (memberships, limits, states), and a replica may be
  behind.
* Reads inside ``transaction.atomic`` on the primary stay on it, so locked rows
  (``select_for_update``, which Django routes as a write) and the rows read next to
  them come from the same snapshot.
* Tasks, management commands, cron and the shell read from the primary. A task is
  queued when the row it works on is committed and a worker may start it within
  milliseconds, before a replica has that row; the brief state of a request that runs
  a task inline (tests' immediate backend) is restored after it.
* Some models are always read from the primary, whoever asks: ``PRIMARY_ONLY``.
"""

from __future__ import annotations

import hashlib
import random
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model
from django.http.cookie import parse_cookie
from django.tasks.signals import task_finished, task_started

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# App labels whose rows are always read from the primary, and why. Lists of these rows
# (a member directory) pay for it too; that is the price of one simple rule.
PRIMARY_ONLY: dict[str, str] = {
    # Logging in on one app server and reading the next page from another must find
    # the new session; a lagging replica would log the person out again.
    "sessions": "sessions are read on the request after the one that wrote them",
    # Workers claim tasks with row locks and read their status right after writing it.
    "django_tasks_database": "the task queue is claimed with locks and read right after writes",
    # The user row carries consent (decisions/0025: a withdrawal stops processing at the
    # next request), a pending erasure, is_active and staff flags; consent records and
    # policy versions decide whether a page may be shown at all.
    "accounts": "consent, erasure and account state authorise every request",
    # allauth's e-mail addresses: whether an address is verified decides a login.
    "account": "e-mail verification decides whether a login succeeds",
    # Second factors decide whether privileged powers apply (decisions/0015).
    "mfa": "second factors decide privileged powers",
    # Groups (verifiers) and permissions decide what a person may do.
    "auth": "groups and permissions authorise actions",
    # A revoked personal access token must stop working at once.
    "api": "API tokens authorise writes and must stop at revocation",
}
# Writes to these do not make the request's other reads stale: they are read from the
# primary anyway, and nearly every request writes its session.
_WRITES_THAT_DO_NOT_PIN = frozenset({"sessions", "django_tasks_database"})


@dataclass
class _Reads:
    """How one request reads; shared by every context copied from the request's own."""

    replicas: bool
    clients: list[str] = field(default_factory=list)
    wrote: bool = False


# None outside requests (tasks, commands, shell): the primary.
_current: ContextVar[_Reads | None] = ContextVar("pv_db_reads", default=None)
# The request a task interrupted (immediate backend), restored when the task ends.
_outer: ContextVar[tuple[_Reads | None, ...]] = ContextVar("pv_db_reads_outer", default=())


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias != DEFAULT_DB_ALIAS]


def _primary_in_transaction() -> bool:
    primary = connections[DEFAULT_DB_ALIAS]
    if not primary.in_atomic_block:
        return False
    blocks = primary.atomic_blocks
    # A test case's wrapping transaction is not the application's: Django ignores it
    # for durable blocks the same way. Without this, tests could never see a replica.
    return not blocks or any(not getattr(block, "_from_testcase", False) for block in blocks)


class ReplicaRouter:
    """Django database router; see the module docstring for the rules."""

    def __init__(self) -> None:
        self.replicas = replica_aliases()

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        reads = _current.get()
        if (
            reads is None
            or not reads.replicas
            or not self.replicas
            or model._meta.app_label in PRIMARY_ONLY
            or _primary_in_transaction()
        ):
            return DEFAULT_DB_ALIAS
        return random.choice(self.replicas)  # noqa: S311 - spreading load, not a secret

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        reads = _current.get()
        if reads is not None and model._meta.app_label not in _WRITES_THAT_DO_NOT_PIN:
            reads.replicas = False
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # Replicas hold the same rows as the primary: an object read from one may be
        # related to one read from the other.
        known = {DEFAULT_DB_ALIAS, *self.replicas}
        if obj1._state.db in known and obj2._state.db in known:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool:
        # Replicas receive the schema through replication, never by migrate.
        return db == DEFAULT_DB_ALIAS


def _client_keys(environ: dict[str, Any]) -> list[str]:
    """Keys for the browser behind a request: its session and CSRF cookies, hashed (the
    cache must not hold a value that would let someone use the session)."""
    header = environ.get("HTTP_COOKIE", "")
    if not header:
        return []
    cookies = parse_cookie(header)
    keys = []
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
        value = cookies.get(name)
        if value:
            digest = hashlib.sha256(value.encode()).hexdigest()[:32]
            keys.append(f"pv:db:wrote:{digest}")
    return keys


def _recently_wrote(keys: list[str]) -> bool:
    from django.core.cache import cache

    return bool(keys) and bool(cache.get_many(keys))


def _sticky_seconds() -> int:
    return int(getattr(settings, "PV_REPLICA_STICKY_SECONDS", 5))


def start_request(environ: dict[str, Any]) -> None:
    """Decide how a request reads (request_started); replaces any earlier request's
    state left in this thread's context."""
    clients = _client_keys(environ)
    safe = environ.get("REQUEST_METHOD", "GET") in SAFE_METHODS
    _outer.set(())
    _current.set(_Reads(replicas=safe and not _recently_wrote(clients), clients=clients))


def finish_request() -> None:
    """Remember that this browser wrote, so its next pages read from the primary for a
    while (request_finished); then forget the request."""
    reads = _current.get()
    if reads is not None and reads.wrote and reads.clients:
        from django.core.cache import cache

        cache.set_many(dict.fromkeys(reads.clients, 1), timeout=_sticky_seconds())
    _current.set(None)


def read_from_primary() -> None:
    """This request reads the primary from now on: what it renders may be kept for
    others (core.pagecache), and a replica may not have the latest write yet."""
    reads = _current.get()
    if reads is not None:
        reads.replicas = False


def _on_request_started(sender: Any, environ: dict[str, Any] | None = None, **kwargs: Any) -> None:
    if settings.DATABASE_ROUTERS:
        start_request(environ or {})


def _on_request_finished(sender: Any, **kwargs: Any) -> None:
    if settings.DATABASE_ROUTERS:
        finish_request()


def _on_task_started(sender: Any, **kwargs: Any) -> None:
    _outer.set((*_outer.get(), _current.get()))
    _current.set(None)


def _on_task_finished(sender: Any, **kwargs: Any) -> None:
    stack = _outer.get()
    if not stack:
        return
    outer = stack[-1]
    _outer.set(stack[:-1])
    if outer is not None:
        # The task may have written what the rest of the request reads.
        outer.replicas = False
    _current.set(outer)


# Connected when Django first loads the router (the first query of the process, after
# whose request every request is routed); no app config needs to know about replicas.
request_started.connect(_on_request_started, dispatch_uid="pv_dbrouters_started")
request_finished.connect(_on_request_finished, dispatch_uid="pv_dbrouters_finished")
task_started.connect(_on_task_started, dispatch_uid="pv_dbrouters_task_started")
task_finished.connect(_on_task_finished, dispatch_uid="pv_dbrouters_task_finished")
