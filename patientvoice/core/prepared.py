"""Hot-page queries compiled once per shape and run again with new parameters.

Building a queryset and compiling it to SQL costs Django ~0.5–1 ms for the
visibility-rule queries of the thread page; running the SQL costs ~0.05 ms. A prepared
query builds the queryset once per *shape* (what changes the SQL: the reader's kind, the
thread's state) with stand-in values for the parameters, remembers the SQL and where each
stand-in sits among its parameters, and afterwards runs that SQL with the real values.
The queryset is still built by the same functions (the visibility rule, ``values_list``,
``select_related``), so the SQL is exactly what the ORM would send.

``PreparedValues`` gives rows as the database gives them, without the ORM's converters
(SQLite gives datetimes as text): use them for keys and numbers, not for display.
``PreparedObjects`` gives model instances, built the way the ORM's own iterable builds
them (converters, ``select_related`` objects, annotations), from what the compiler
worked out the first time.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from django.db.models import Model, QuerySet
from django.db.models.query import (  # type: ignore[attr-defined]  # the ORM's own builders
    ModelIterable,
    _get_from_db,
    get_related_populators,
)

# Builds the queryset for a shape, from the parameter values it is given (stand-ins).
Build = Callable[[Any, dict[str, Any]], QuerySet[Any, Any]]

_STAND_IN_UUID = 0x5F1E_D0C5 << 96


def _stand_in(index: int, value: Any) -> Any:
    """A value of the same type that no real parameter will equal."""
    if isinstance(value, bool):
        raise TypeError("booleans change a query's shape; put them in the shape key")
    if isinstance(value, int):
        # Positive and inside 32 bits: the ORM drops lookups it knows cannot match
        # (a negative value on a PositiveIntegerField) instead of sending them.
        return 2_000_000_000 + index
    if isinstance(value, str):
        return f"\x01pv-prepared-{index}\x01"
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=_STAND_IN_UUID + index)
    raise TypeError(f"cannot prepare a parameter of type {type(value).__name__}")


def _as_uuid_text(value: Any) -> str:
    return uuid.UUID(str(value)).hex


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _value(value: Any, stored: Callable[[Any], Any] | None) -> Any:
    return value if stored is None else stored(value)


# Where a parameter comes from: (value name, how the field stored the stand-in), or None
# for a constant of the SQL.
Slot = tuple[str, Callable[[Any], Any] | None] | None

_ALL: list[_Prepared] = []


def stand_in_reader(
    signed_in: bool, user_id: Any, *, staff: bool = False, suspended: bool = False
) -> Any:
    """A stand-in for the request's user that the visibility rules read the same way
    (signed in, id, staff, suspended powers), for building a prepared query once per
    kind of reader; the user's id is the prepared value ``user_id`` stands for."""
    from types import SimpleNamespace

    from django.contrib.auth.models import AnonymousUser

    if not signed_in:
        return AnonymousUser()
    return SimpleNamespace(
        pk=user_id,
        id=user_id,
        is_authenticated=True,
        is_staff=staff,
        is_superuser=False,
        privileges_suspended=suspended,
        holds_organization_role=True,
    )


def forget_all() -> None:
    """Drop every compiled query of this process (tests start from nothing compiled)."""
    for prepared in _ALL:
        with prepared._lock:
            prepared._shapes.clear()


@dataclass(frozen=True, slots=True)
class _Compiled:
    alias: str
    sql: str
    params: list[Any]
    slots: list[Slot]
    # PreparedObjects only: how to build instances from a row (_Layout).
    layout: Any = None
    # SQLite only: the SQL in the driver's own parameter style (see _execute).
    qmark_sql: str | None = None
    # The queryset's model, for the read-replica router (core.dbrouters).
    model: type[Model] | None = None


def _alias_now(compiled: _Compiled) -> str:
    """Where to run a compiled read now: with read replicas the router decides per call
    (after a write the request reads the primary); the SQL is the same on every alias,
    as replicas run the primary's database software."""
    if compiled.model is None or not router.routers:
        return compiled.alias
    return router.db_for_read(compiled.model)


@dataclass(frozen=True, slots=True)
class _Layout:
    """What ``ModelIterable`` works out from the compiler before its first row."""

    start: int
    end: int
    init_list: list[str]
    from_db: Callable[..., Any]
    populators: list[Any]
    converters: list[tuple[int, tuple[list[Callable[..., Any]], Any]]]
    annotations: dict[str, int]


class _Prepared:
    """Per process, thread-safe; one instance per hot query."""

    def __init__(self, build: Build) -> None:
        _ALL.append(self)
        self.build = build
        self._shapes: dict[Hashable, _Compiled] = {}
        self._lock = threading.Lock()

    def _compiled(self, shape: Hashable, values: dict[str, Any]) -> _Compiled:
        compiled = self._shapes.get(shape)
        if compiled is None:
            compiled = self._prepare(shape, values)
            with self._lock:
                self._shapes[shape] = compiled
        return compiled

    def _execute(
        self, compiled: _Compiled, values: dict[str, Any], alias: str | None = None
    ) -> list[tuple[Any, ...]]:
        actual = [
            param if slot is None else _value(values[slot[0]], slot[1])
            for param, slot in zip(compiled.params, compiled.slots, strict=True)
        ]
        connection = connections[alias or _alias_now(compiled)]
        if (
            compiled.qmark_sql is not None
            and not connection.queries_logged
            and all(getattr(w, "reads_only_may_skip", False) for w in connection.execute_wrappers)
        ):
            # Straight to the driver: Django's cursor wrapper would rewrite the
            # parameter style of the same SQL with a regular expression on every run
            # (~60 µs of the ~80 µs a small query costs here). The same checks and
            # error translation as the wrapper; when queries are logged or wrapped
            # (tests counting queries, debugging tools) the wrapper runs as always.
            connection.ensure_connection()
            connection.validate_no_broken_transaction()
            with connection.wrap_database_errors:
                rows: list[tuple[Any, ...]] = connection.connection.execute(
                    compiled.qmark_sql, actual
                ).fetchall()
                return rows
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, actual)
            return list(cursor.fetchall())

    def _prepare(self, shape: Hashable, values: dict[str, Any]) -> _Compiled:
        stand_ins = {name: _stand_in(i, value) for i, (name, value) in enumerate(values.items())}
        queryset = self.build(shape, stand_ins)
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        by_value: dict[Any, Slot] = {}
        for name, stand_in in stand_ins.items():
            if isinstance(stand_in, uuid.UUID):
                # A UUID reaches the SQL as itself (PostgreSQL) or as hex text (SQLite).
                by_value[stand_in] = (name, _as_uuid)
                by_value[stand_in.hex] = (name, _as_uuid_text)
            else:
                by_value[stand_in] = (name, None)
        slots = [
            by_value.get(param) if isinstance(param, int | str | uuid.UUID) else None
            for param in params
        ]
        # A value the shape does not need (staff are not asked who they are) is simply
        # not in the SQL. Values pass unchanged through exact and range lookups on
        # integers, text and UUIDs, the only ones to prepare: a lookup that rewrote its
        # value (``contains`` adds %) would leave the stand-in in the SQL, so refuse that.
        for param in params:
            if isinstance(param, str) and "\x01pv-prepared-" in param and param not in by_value:
                raise ValueError(f"a prepared value was rewritten by its lookup: {param!r}")
        if getattr(queryset, "_prefetch_related_lookups", ()):
            raise ValueError("prefetch_related runs more queries; prepare those on their own")
        qmark_sql = None
        if connections[queryset.db].vendor == "sqlite":
            # What SQLiteCursorWrapper.convert_query makes of it, once.
            qmark_sql = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")
        return _Compiled(
            queryset.db,
            sql,
            list(params),
            slots,
            self._layout(queryset, compiler),
            qmark_sql,
            queryset.model,
        )

    def _layout(self, queryset: QuerySet[Any, Any], compiler: Any) -> Any:
        """What turns a row into a result, worked out once (rows need nothing)."""
        return None


class PreparedValues(_Prepared):
    """Rows of a ``values_list`` query, as the database gives them."""

    def rows(self, shape: Hashable, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        return self._execute(self._compiled(shape, values), values)


class PreparedObjects[M: Model](_Prepared):
    """Model instances of a query (with its ``select_related`` objects and annotations),
    built as ``ModelIterable`` builds them from the layout the compiler worked out once."""

    def _layout(self, queryset: QuerySet[Any, Any], compiler: Any) -> _Layout:
        if queryset._iterable_class is not ModelIterable:
            raise ValueError("PreparedObjects gives model instances; use PreparedValues for rows")
        db, fetch_mode = queryset.db, queryset._fetch_mode  # type: ignore[attr-defined]
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return _Layout(
            start=start,
            end=end,
            init_list=[column[0].target.attname for column in select[start:end]],
            from_db=_get_from_db(klass_info["model"], fetch_mode),
            populators=get_related_populators(klass_info, select, db, fetch_mode),
            converters=list(
                compiler.get_converters(
                    [column[0] for column in select[: compiler.col_count]]
                ).items()
            ),
            annotations=dict(compiler.annotation_col_map or {}),
        )

    def objects(self, shape: Hashable, values: dict[str, Any]) -> list[M]:
        compiled = self._compiled(shape, values)
        layout: _Layout = compiled.layout
        alias = _alias_now(compiled)
        connection = connections[alias]
        built: list[M] = []
        for raw in self._execute(compiled, values, alias):
            row = list(raw)
            for position, (functions, expression) in layout.converters:
                value = row[position]
                for convert in functions:
                    value = convert(value, expression, connection)
                row[position] = value
            obj: M = layout.from_db(alias, layout.init_list, row[layout.start : layout.end])
            for populator in layout.populators:
                populator.populate(row, obj)
            for name, position in layout.annotations.items():
                setattr(obj, name, row[position])
            built.append(obj)
        return built
