"""Bulk writes for generated data: plain ``executemany`` INSERTs of prepared tuples,
explicit ids, and the SQLite settings of a load (docs/decisions/0043).

Values are adapted here once per column type (datetimes, UUIDs, JSON), the way the
ORM's fields would store them, so the rows read back through the ORM as if
``bulk_create`` had written them, at a fraction of the cost per row.
"""

# SQL here is put together from our own model metadata only; every value is a
# query parameter.
# ruff: noqa: S608

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction

Adapter = Callable[[Any], Any]


def _adapter(field: models.Field[Any, Any]) -> Adapter | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):

        def adapt_datetime(value: datetime | None) -> Any:
            return None if value is None else ops.adapt_datetimefield_value(value)

        return adapt_datetime
    if isinstance(field, models.UUIDField):
        if connection.features.has_native_uuid_field:
            return None

        def adapt_uuid(value: uuid.UUID) -> str:
            return value.hex

        return adapt_uuid
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


class Table:
    """INSERTs into one model's table: ``add(row)`` queues a tuple in the order of
    ``columns`` (attribute names), ``flush()`` writes the queue."""

    def __init__(self, model: type[models.Model], columns: Sequence[str], batch: int = 5000):
        self.model = model
        fields: list[Any] = [model._meta.get_field(c) for c in columns]
        # Columns not given take their field's default, as bulk_create would store it.
        named = {f.attname for f in fields}
        rest = [
            f for f in model._meta.concrete_fields
            if f.attname not in named and not f.primary_key
        ]  # fmt: skip
        self.constants = [f.get_db_prep_save(f.get_default(), connection) for f in rest]
        names = ", ".join(connection.ops.quote_name(f.column) for f in [*fields, *rest])
        marks = ", ".join(["%s"] * (len(fields) + len(rest)))
        self.sql = f"INSERT INTO {model._meta.db_table} ({names}) VALUES ({marks})"
        adapters = [_adapter(f) for f in fields]
        self.adapted = [(i, a) for i, a in enumerate(adapters) if a is not None]
        self.batch = batch
        self.rows: list[list[Any] | tuple[Any, ...]] = []
        self.written = 0

    def add(self, row: Sequence[Any]) -> None:
        if self.adapted:
            values = list(row)
            for i, adapt in self.adapted:
                values[i] = adapt(values[i])
            values.extend(self.constants)
            self.rows.append(values)
        else:
            self.rows.append((*row, *self.constants))
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, self.rows)
        self.written += len(self.rows)
        self.rows = []


def next_id(model: type[models.Model]) -> int:
    """The first free primary key of ``model``'s table (ids are given explicitly so
    the rows that refer to each other can be written without reading back)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({model._meta.pk.column}) FROM {model._meta.db_table}")
        found = cursor.fetchone()[0]
    return int(found or 0) + 1


def reset_sequences(models_: Sequence[type[models.Model]]) -> None:
    """PostgreSQL: move the id sequences past the ids given explicitly, so the next
    row an action writes does not collide (SQLite's AUTOINCREMENT follows by itself)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def update_many(sql: str, rows: Sequence[Sequence[Any]]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


@contextmanager
def loading() -> Iterator[None]:
    """The database settings of a load: on SQLite no fsync and a large page cache
    (a crash during the load loses the load, never data written before it; the
    command refuses to run again on half-generated data), restored afterwards."""
    # Inside a transaction (a test) SQLite refuses to change the safety level.
    sqlite = connection.vendor == "sqlite" and not connection.in_atomic_block
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_size = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-400000")
    try:
        yield
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.execute(f"PRAGMA cache_size={int(cache_size)}")


@contextmanager
def chunk() -> Iterator[None]:
    """One transaction per chunk of a phase: the WAL stays small on SQLite."""
    with transaction.atomic():
        yield
