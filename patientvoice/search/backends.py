"""The two full-text backends, chosen by the database vendor (docs/decisions/0021).

Both answer one question: the ids (and relevance scores) of the most recent
``window`` index rows that match the words and the scope filter. Ranking every
match of a frequent word costs 2–4 µs a row (120–310 ms for 100 k matches on
FTS5); walking the newest matches costs next to nothing, so only a bounded window
of the newest matches is ranked (docs/PERFORMANCE.md, the "candidate bound").

Callers pass a DB-API cursor from Django (``%s`` placeholders) and datetimes already
adapted for the database.
"""

# SQL here is put together from our own table names, constants and placeholders only;
# every value from a person is a query parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured

from .schema import FTS_TABLE, POSTGRES_DOCUMENT, RECENCY_BUCKETS, TABLE, recency_tokens

# PostgreSQL looks for a window of matches among the newest recency buckets first,
# then in more (see PostgresBackend.candidates): (bucket prefix, how many buckets);
# None means every row. schema.RECENCY_BUCKETS gives the rows per bucket.
SPANS: tuple[tuple[str, int] | None, ...] = (("rb", 2), ("rc", 2), ("rc", 8), None)

# Ranking weights: a word in a thread's title counts three times one in a body.
TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0


@dataclass(frozen=True)
class CandidateQuery:
    terms: Sequence[tuple[str, ...]]  # each word's stems (SQLite)
    words: Sequence[str]  # each word as typed, case-folded (PostgreSQL stems it)
    audiences: frozenset[str] | None  # None: no audience filter (acting staff)
    places: Sequence[int] = ()
    kinds: Sequence[str] = ()  # kind tokens
    since: Any = None
    until: Any = None
    window: int = 300
    scope_filters: list[list[str]] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        # Each inner list is one OR group of scope tokens; the groups are ANDed.
        groups = []
        if self.audiences is not None:
            groups.append(sorted(f"au{a}" for a in self.audiences))
        if self.places:
            groups.append([f"pl{p}" for p in self.places])
        if self.kinds:
            groups.append(list(self.kinds))
        object.__setattr__(self, "scope_filters", groups)


class Backend(Protocol):
    def write(self, cursor: Any, rows: Sequence[tuple[int, str, str, str, str]]) -> None:
        """Store (id, language, title, body, scope) for the full-text structures."""

    def delete(self, cursor: Any, ids: Sequence[int]) -> None: ...

    def candidates(self, cursor: Any, query: CandidateQuery) -> list[tuple[int, float]]:
        """(entry id, score) of the newest ``window`` matches, newest first. A
        higher score is more relevant."""


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class SqliteBackend:
    """SQLite FTS5: words are stemmed in Python (stemming.py) before they reach it."""

    def write(self, cursor: Any, rows: Sequence[tuple[int, str, str, str, str]]) -> None:
        from .stemming import stemmed_text

        if not rows:
            return
        self.delete(cursor, [r[0] for r in rows])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body, scope) VALUES (%s, %s, %s, %s)",
            [
                (pk, stemmed_text(title, lang), stemmed_text(body, lang), scope)
                for pk, lang, title, body, scope in rows
            ],
        )

    def delete(self, cursor: Any, ids: Sequence[int]) -> None:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", list(chunk))

    @staticmethod
    def match_expression(query: CandidateQuery) -> str:
        """An FTS5 query built only from our own quoted tokens: nothing a person types
        reaches FTS5's syntax (quotes, NEAR, column filters, a stray "*")."""
        parts = [SqliteBackend.text_expression(query)]
        parts += [
            "scope : (" + " OR ".join(_quote(t) for t in group) + ")"
            for group in query.scope_filters
        ]
        return " AND ".join(parts)

    @staticmethod
    def text_expression(query: CandidateQuery) -> str:
        return " AND ".join(
            "{title body} : (" + " OR ".join(_quote(s) for s in term) + ")" for term in query.terms
        )

    def candidates(self, cursor: Any, query: CandidateQuery) -> list[tuple[int, float]]:
        if not query.terms:
            return []
        # Two steps in one statement. First the newest ``window`` rows matching the
        # words and the scope, without ranking: FTS5 walks its doclists newest first
        # and stops (well under a millisecond). Then bm25 for those rows only, with
        # the words alone: bm25 counts the documents holding each phrase, and a scope
        # token such as "aupublic" is in most of them (25 ms a query at 1 M rows).
        # The unary + keeps SQLite from looking up each candidate through FTS5.
        dates, params = "", [self.match_expression(query)]
        if query.since is not None or query.until is not None:
            conditions = []
            if query.since is not None:
                conditions.append("e.published_at >= %s")
                params.append(query.since)
            if query.until is not None:
                conditions.append("e.published_at < %s")
                params.append(query.until)
            dates = (
                f" AND EXISTS (SELECT 1 FROM {TABLE} e"
                f" WHERE e.id = {FTS_TABLE}.rowid AND " + " AND ".join(conditions) + ")"
            )
        sql = (
            f"WITH c AS MATERIALIZED (SELECT {FTS_TABLE}.rowid AS id FROM {FTS_TABLE}"
            f" WHERE {FTS_TABLE} MATCH %s{dates} ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s)"
            f" SELECT {FTS_TABLE}.rowid, bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0.0)"
            f" FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
            f" AND {FTS_TABLE}.rowid >= (SELECT min(id) FROM c)"
            f" AND +{FTS_TABLE}.rowid IN (SELECT id FROM c)"
        )
        cursor.execute(sql, [*params, query.window, self.text_expression(query)])
        # bm25 is lower for better matches.
        return [(int(pk), -float(score)) for pk, score in cursor.fetchall()]


CONFIGURATIONS = {"sv": "swedish", "en": "english"}


class PostgresBackend:
    """PostgreSQL full text: ``document`` holds the words stemmed with the ``swedish``
    or ``english`` configuration by the row's language, the scope tokens and the
    row's recency bucket."""

    def write(self, cursor: Any, rows: Sequence[tuple[int, str, str, str, str]]) -> None:
        if not rows:
            return
        cursor.executemany(
            f"UPDATE {TABLE} SET document = {POSTGRES_DOCUMENT} WHERE id = %s",
            [
                (
                    CONFIGURATIONS.get(lang, "swedish"), title,
                    CONFIGURATIONS.get(lang, "swedish"), body,
                    f"{scope} {recency_tokens(pk)}", pk,
                )
                for pk, lang, title, body, scope in rows
            ],
        )  # fmt: skip

    def delete(self, cursor: Any, ids: Sequence[int]) -> None:
        return None  # deleting the row deletes its document

    @staticmethod
    def text_query(query: CandidateQuery) -> tuple[str, list[str]]:
        # plainto_tsquery reads any text as plain words: no syntax to break.
        word = (
            "(plainto_tsquery('swedish'::regconfig, %s)"
            " || plainto_tsquery('english'::regconfig, %s))"
        )
        sql = " && ".join(word for _ in query.words)
        return sql, [w for word in query.words for w in (word, word)]

    def candidates(self, cursor: Any, query: CandidateQuery) -> list[tuple[int, float]]:
        if not query.words:
            return []
        text_sql, text_params = self.text_query(query)
        # The GIN index narrows by the words and by the place filter (a community's
        # token is in few documents). The audience ("aupublic" is in most documents:
        # reading its posting list cost more than the rest of a query) and the kind
        # are checked on the rows the index gives, from the scope column.
        match_sql, match_params = f"({text_sql})", list(text_params)
        if query.places:
            places = " | ".join(f"pl{int(p)}:D" for p in query.places)
            match_sql += " && to_tsquery('simple'::regconfig, %s)"
            match_params.append(places)
        where: list[str] = []
        params: list[Any] = []
        if query.audiences is not None:
            where.append("string_to_array(scope, ' ') && %s::text[]")
            params.append(sorted(f"au{a}" for a in query.audiences))
        if query.kinds:
            where.append("string_to_array(scope, ' ') && %s::text[]")
            params.append(list(query.kinds))
        if query.since is not None:
            where.append("published_at >= %s")
            params.append(query.since)
        if query.until is not None:
            where.append("published_at < %s")
            params.append(query.until)
        # A GIN index cannot give the newest matches first: it finds them all, and
        # fetching every match of a frequent word from the table is what costs. So
        # look in the newest recency buckets first (their tokens are part of each
        # document, so the GIN index narrows to them itself) and widen the span
        # (8 k, 32–64 k, 229–262 k rows, then all) until it holds a window of
        # matches: one statement, and Append stops at the first span that is enough.
        branches, all_params = [], []
        for step, span in enumerate(SPANS):
            match = match_sql
            if span is not None:
                prefix, count = span
                newest = f"(SELECT coalesce(max(id), 0) FROM {TABLE}) / {RECENCY_BUCKETS[prefix]}"
                buckets = (
                    f"(SELECT string_agg('{prefix}' || b || ':D', ' | ') FROM generate_series("
                    f"{newest} - {int(count) - 1}, {newest}) b)"
                )
                match = f"{match_sql} && to_tsquery('simple'::regconfig, {buckets})"
            conditions = [f"document @@ ({match})", *where]
            # OFFSET 0 keeps the planner from walking the primary key backwards and
            # testing every row: the matches come from the GIN index, and only they
            # are read from the table.
            branches.append(
                f"SELECT {step} AS step, array_agg(t.id) AS ids,"
                # Scope tokens (weight D) do not count towards relevance; ranked for
                # the window only.
                f" array_agg(ts_rank('{{0, 0, 0.4, 1}}'::float4[], t.document, {text_sql}))"
                " AS scores, count(*) AS found FROM (SELECT m.id, m.document FROM ("
                f"SELECT id, document FROM {TABLE} WHERE "
                + " AND ".join(conditions)
                + " OFFSET 0) m ORDER BY m.id DESC LIMIT %s) t"
            )
            all_params += [*text_params, *match_params, *params, query.window]
        last = len(SPANS) - 1
        sql = (
            "SELECT ids, scores FROM (" + " UNION ALL ".join(f"({b})" for b in branches) + ") s"
            f" WHERE found >= %s OR step = {last} LIMIT 1"
        )
        cursor.execute(sql, [*all_params, query.window])
        row = cursor.fetchone()
        if row is None or row[0] is None:
            return []
        return [(int(pk), float(score)) for pk, score in zip(row[0], row[1], strict=True)]


def backend_for(vendor: str) -> Backend:
    if vendor == "sqlite":
        return SqliteBackend()
    if vendor == "postgresql":
        return PostgresBackend()
    raise ImproperlyConfigured(f"Search supports SQLite and PostgreSQL, not {vendor}.")
