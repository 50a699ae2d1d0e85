"""The full-text structures beside ``search_searchentry``, one per database.

Used by migration 0002 and by ``bench/search.py``, so the benchmark measures the
tables production has. The ORM does not know them: :mod:`patientvoice.search.backends`
writes them.
"""

# SQL here is put together from our own table names, constants and placeholders only;
# every value from a person is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "search_searchentry"
FTS_TABLE = "search_entry_fts"

# title and body hold the words already stemmed in Python (snowballstemmer, in the
# content's language: FTS5 has no Swedish stemmer); scope holds the audience, place
# and kind tokens. Diacritics stay: "är" and "ar" are different Swedish words.
SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "title, body, scope, tokenize = 'unicode61 remove_diacritics 0')",
    # Rows deleted through the ORM (erasure, a queryset delete) leave no text behind.
    f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN "
    f"DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END",
]
SQLITE_REVERSE = [f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete", f"DROP TABLE IF EXISTS {FTS_TABLE}"]

# Rows per recency bucket, small and large: "rb<id / 4096>" and "rc<id / 32768>" are
# tokens of every document, so the GIN index itself can keep a search to the newest
# rows (backends.PostgresBackend).
RECENCY_BUCKETS = {"rb": 4096, "rc": 32768}


def recency_tokens(pk: int) -> str:
    return " ".join(f"{prefix}{pk // size}" for prefix, size in RECENCY_BUCKETS.items())


# title (weight A) and body (B) with the swedish or english configuration by the row's
# language; scope and recency tokens (D) with the simple one.
POSTGRES_DOCUMENT = (
    "setweight(to_tsvector(%s::regconfig, %s), 'A')"
    " || setweight(to_tsvector(%s::regconfig, %s), 'B')"
    " || setweight(to_tsvector('simple'::regconfig, %s), 'D')"
)
POSTGRES_FORWARD = [
    f"ALTER TABLE {TABLE} ADD COLUMN document tsvector",
    f"CREATE INDEX search_entry_document ON {TABLE} USING gin (document)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_document",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS document",
]


class RunSQLOn(migrations.RunSQL):
    """RunSQL that runs on one database vendor only ("sqlite", "postgresql")."""

    def __init__(self, vendor: str, sql: Any, reverse_sql: Any) -> None:
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__qualname__,
            [],
            {"vendor": self.vendor, "sql": self.sql, "reverse_sql": self.reverse_sql},
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_fulltext(schema_editor: Any) -> None:
    """Create the full-text structures on an existing entry table (the benchmark)."""
    sql = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}[
        schema_editor.connection.vendor
    ]
    for statement in sql:
        schema_editor.execute(statement)
