"""The search index of generated content, built in the same run.

Each document is computed the way the kind's ``documents()`` computes it (the
thread's title on its first post, the text as read from ``body_html``, the same
scope tokens), collected in a staging table while the content is written, and moved
into the index in one ``INSERT … SELECT`` per structure at the end, oldest first, as
``search.indexing.rebuild`` orders it (FTS5 ranks the newest rows: they keep the
highest ids). SQLite's FTS5 gets the words stemmed in Python (``search.stemming``);
PostgreSQL computes the ``tsvector`` as ``search.backends.PostgresBackend.write``
does, with the recency tokens of each row's id (as ``bench/search.py``).
"""

# SQL here is put together from our own table names and constants only; every value
# is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone

from patientvoice.search.registry import Document, kinds, scope_tokens
from patientvoice.search.schema import FTS_TABLE, RECENCY_BUCKETS, TABLE
from patientvoice.search.stemming import stemmed_text

from .bulk import chunk

STAGING = "loadgen_search_staging"


class Staging:
    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self.kinds = kinds()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            cursor.execute(
                f"CREATE TABLE {STAGING} (kind varchar(64), object_id bigint, language"
                " varchar(8), title text, body text, scope text, community_id bigint,"
                " published_at varchar(40), author_id bigint)"
            )
        self.sql = f"INSERT INTO {STAGING} VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        self.rows: list[tuple[Any, ...]] = []
        self.adapt = connection.ops.adapt_datetimefield_value
        self.count = 0

    def add(self, label: str, document: Document) -> None:
        kind = self.kinds[label]
        title, body, language = document.title, document.body, document.language
        if self.sqlite:
            title, body = stemmed_text(title, language), stemmed_text(body, language)
        at = document.published_at
        self.rows.append(
            (label, document.object_id, language, title, body, scope_tokens(document, kind),
             document.community_id, at.isoformat() if not self.sqlite else self.adapt(at),
             document.author_id)
        )  # fmt: skip
        if len(self.rows) >= 5000:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows = []

    def finish(self, first_id: int) -> int:
        """Move the staged documents into the index; returns how many."""
        self.flush()
        now = self.adapt(timezone.now()) if self.sqlite else timezone.now()
        order = "ORDER BY published_at, kind, object_id"
        columns = (
            "id, created_at, updated_at, kind, object_id, community_id, language, scope,"
            " published_at, author_id"
        )
        with chunk(), connection.cursor() as cursor:
            if self.sqlite:
                cursor.execute(
                    f"INSERT INTO {TABLE} ({columns}) SELECT %s + ROW_NUMBER() OVER ({order}) - 1,"
                    f" %s, %s, kind, object_id, community_id, language, scope, published_at,"
                    f" author_id FROM {STAGING} {order}",
                    [first_id, now, now],
                )
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} (rowid, title, body, scope) SELECT e.id, s.title,"
                    f" s.body, e.scope FROM {STAGING} s JOIN {TABLE} e ON e.kind = s.kind"
                    " AND e.object_id = s.object_id ORDER BY e.id"
                )
            else:
                config = "(CASE s.language WHEN 'en' THEN 'english' ELSE 'swedish' END)::regconfig"
                recency = "".join(
                    f" || ' {prefix}' || ((s.id) / {size})::text"
                    for prefix, size in RECENCY_BUCKETS.items()
                )
                cursor.execute(
                    f"INSERT INTO {TABLE} ({columns}, document) SELECT s.id, %s, %s, s.kind,"
                    " s.object_id, s.community_id, s.language, s.scope,"
                    " s.published_at::timestamptz, s.author_id,"
                    f" setweight(to_tsvector({config}, s.title), 'A')"
                    f" || setweight(to_tsvector({config}, s.body), 'B')"
                    f" || setweight(to_tsvector('simple'::regconfig, s.scope{recency}), 'D')"
                    f" FROM (SELECT %s + ROW_NUMBER() OVER ({order}) - 1 AS id, * FROM {STAGING})"
                    " s ORDER BY s.id",
                    [now, now, first_id],
                )
            cursor.execute(f"DROP TABLE {STAGING}")
        return self.count
