"""Searching, for the search page and the API. Every result passes the visibility
rule of its kind when the search runs (docs/decisions/0021):

1. the person's audience tokens (one query for a signed-in member);
2. the backend finds the newest ``SEARCH_WINDOW`` matches within those audiences
   and the filters, with a relevance score (one query);
3. one query keeps the candidates that pass each kind's ``searchable`` rule (its
   ``visible_*``): a stale index row (a thread moved, a community made private, a
   post deleted) drops out here, before anything is counted;
4. the page's results are loaded from the content itself, one query per kind, and
   their snippets are made from the content's current text.

Counts and "next page" come from step 3 only, so they never include what the
person may not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone
from django.utils.safestring import SafeString

from .backends import CandidateQuery, backend_for
from .models import SearchEntry
from .registry import Hit, SearchKind, audiences_of, kinds
from .snippets import highlight
from .stemming import query_terms, query_words

# How many of the newest matches are ranked (the candidate bound, decisions/0021).
WINDOW = 300

RELEVANCE = "relevance"
NEWEST = "newest"


@dataclass(frozen=True)
class SearchParams:
    q: str
    community_id: int | None = None
    kind: str | None = None
    since: date | None = None
    until: date | None = None
    order: str = RELEVANCE
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class Result:
    kind: SearchKind
    hit: Hit
    snippet: SafeString


@dataclass(frozen=True)
class SearchResults:
    results: list[Result]
    count: int  # matches the person may read, at most the window
    # True when the window was full: older matches exist that were not ranked.
    truncated: bool
    offset: int = 0
    limit: int = 20

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return -(-self.count // self.limit)

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < self.count

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


EMPTY = SearchResults(results=[], count=0, truncated=False)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _db_datetime(value: datetime | None) -> Any:
    if value is None:
        return None
    return connection.ops.adapt_datetimefield_value(value)


def _readable_entries(
    user: Any, chosen: list[SearchKind], ids: list[int]
) -> list[tuple[int, str, int, datetime]]:
    """The candidates ``user`` may read, as (entry id, kind, object id, published at).

    Each kind's rule is asked only about the kinds among the candidates (usually one or
    two of a dozen): building every kind's visibility subquery was most of a search's
    time, whatever it found."""
    rows = list(
        SearchEntry.objects.filter(pk__in=ids, kind__in=[k.label for k in chosen]).values_list(
            "pk", "kind", "object_id", "published_at"
        )
    )
    by_kind: dict[str, set[int]] = {}
    for _pk, label, object_id, _at in rows:
        by_kind.setdefault(label, set()).add(object_id)
    registered = kinds()
    readable: set[tuple[str, int]] = set()
    for label, object_ids in by_kind.items():
        kind = registered[label]
        objects = kind.model._default_manager.filter(pk__in=object_ids)
        readable.update(
            (label, pk) for pk in kind.searchable(user, objects).values_list("pk", flat=True)
        )
    return [row for row in rows if (row[1], row[2]) in readable]


def search(user: Any, params: SearchParams) -> SearchResults:
    terms, words = query_terms(params.q), query_words(params.q)
    registered = kinds()
    chosen = [registered[params.kind]] if params.kind else list(registered.values())
    if not terms or not chosen:
        return EMPTY
    window = WINDOW
    query = CandidateQuery(
        terms=terms,
        words=words,
        audiences=audiences_of(user),
        places=[params.community_id] if params.community_id else [],
        kinds=[k.token for k in chosen] if params.kind else [],
        since=_db_datetime(_day_start(params.since) if params.since else None),
        until=_db_datetime(_day_start(params.until + timedelta(days=1)) if params.until else None),
        window=window,
    )
    with connection.cursor() as cursor:
        candidates = backend_for(connection.vendor).candidates(cursor, query)
    if not candidates:
        return EMPTY
    scores = dict(candidates)
    verified = _readable_entries(user, chosen, list(scores))
    if params.order == NEWEST:
        verified.sort(key=lambda r: (r[3], r[0]), reverse=True)
    else:
        verified.sort(key=lambda r: (scores[r[0]], r[0]), reverse=True)
    count = len(verified)
    shown = verified[params.offset : params.offset + params.limit]
    hits: dict[tuple[str, int], Hit] = {}
    for label in dict.fromkeys(r[1] for r in shown):
        ids = [r[2] for r in shown if r[1] == label]
        hits.update({(label, pk): hit for pk, hit in registered[label].hits(user, ids).items()})
    results = [
        Result(
            kind=registered[label],
            hit=hit,
            snippet=highlight(hit.text, hit.language, terms),
        )
        for _pk, label, object_id, _at in shown
        if (hit := hits.get((label, object_id))) is not None
    ]
    return SearchResults(
        results=results,
        count=count,
        truncated=count >= window,
        offset=params.offset,
        limit=params.limit,
    )
