"""Hot-page queries compiled once per shape and run again with new parameters.

Building a queryset and compiling it to SQL costs Django ~0.5–1 ms for the
visibility-rule queries of the thread page; running the SQL costs ~0.05 ms. A
``PreparedValues`` builds the queryset once per *shape* (what changes the SQL: the
reader's kind, the thread's state) with stand-in values for the parameters, remembers
the SQL and where each stand-in sits among its parameters, and afterwards runs that SQL
with the real values. The queryset is still built by the same functions (the
visibility rule, ``values_list``), so the SQL is exactly what the ORM would send.

Rows come back as the database gives them, without the ORM's converters (SQLite gives
datetimes as text): use them for keys and numbers, not for display.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Builds the queryset for a shape, from the parameter values it is given (stand-ins).
Build = Callable[[Any, dict[str, Any]], QuerySet[Any, Any]]


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
    raise TypeError(f"cannot prepare a parameter of type {type(value).__name__}")


_ALL: list[PreparedValues] = []


def forget_all() -> None:
    """Drop every compiled query of this process (tests start from nothing compiled)."""
    for prepared in _ALL:
        with prepared._lock:
            prepared._shapes.clear()


class PreparedValues:
    """Per process, thread-safe; one instance per hot query."""

    def __init__(self, build: Build) -> None:
        _ALL.append(self)
        self.build = build
        self._shapes: dict[Hashable, tuple[str, str, list[Any], list[str | None]]] = {}
        self._lock = threading.Lock()

    def rows(self, shape: Hashable, values: dict[str, Any]) -> list[tuple[Any, ...]]:
        prepared = self._shapes.get(shape)
        if prepared is None:
            prepared = self._prepare(shape, values)
            with self._lock:
                self._shapes[shape] = prepared
        alias, sql, params, slots = prepared
        actual = [
            values[slot] if slot is not None else param
            for param, slot in zip(params, slots, strict=True)
        ]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, actual)
            return list(cursor.fetchall())

    def _prepare(
        self, shape: Hashable, values: dict[str, Any]
    ) -> tuple[str, str, list[Any], list[str | None]]:
        stand_ins = {name: _stand_in(i, value) for i, (name, value) in enumerate(values.items())}
        queryset = self.build(shape, stand_ins)
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
        by_value = {stand_in: name for name, stand_in in stand_ins.items()}
        slots = [by_value.get(param) if isinstance(param, int | str) else None for param in params]
        # A value the shape does not need (staff are not asked who they are) is simply
        # not in the SQL. Values pass unchanged through exact and range lookups on
        # integers and text, the only ones to prepare: a lookup that rewrote its value
        # (``contains`` adds %) would leave the stand-in in the SQL, so refuse that.
        for param in params:
            if isinstance(param, str) and "\x01pv-prepared-" in param and param not in by_value:
                raise ValueError(f"a prepared value was rewritten by its lookup: {param!r}")
        return queryset.db, sql, list(params), slots
