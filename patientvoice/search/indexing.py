"""Keeping the search index current. Everything here is idempotent.

* The publishing pipeline's after-publish hook (``search.index``) indexes content
  when it is published and takes it out when an edit is held.
* Actions that change what a piece of content is or who may read it call these
  functions after commit::

      transaction.on_commit(partial(indexing.remove, "communities.post", [post.pk]))
      transaction.on_commit(partial(indexing.schedule_reindex_thread, thread.pk))

  ``remove`` runs at once (deleted text must leave the index now); the reindexing of
  a thread or a community runs as a task.
* ``rebuild`` (``manage.py rebuild_search_index``) makes the index equal to the
  content, in batches.

Nobody has to call any of these for search to be safe: every result passes the
kind's visibility rule when the search runs. They keep results complete.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.tasks import task  # type: ignore[import-untyped,unused-ignore]

from patientvoice.core.models import Content, ContentStatus
from patientvoice.core.publishing import register_after_publish

from .backends import backend_for
from .models import SearchEntry
from .registry import Document, SearchKind, kind_for_model, kinds, scope_tokens

BATCH_SIZE = 500
POST_KIND = "communities.post"


def _kind(label: str) -> SearchKind:
    try:
        return kinds()[label]
    except KeyError:
        raise ValueError(f"No search kind {label!r} is registered.") from None


def _write(kind: SearchKind, documents: Sequence[Document]) -> int:
    """Insert or update the rows of ``documents``; returns how many."""
    if not documents:
        return 0
    existing = dict(
        SearchEntry.objects.filter(
            kind=kind.label, object_id__in=[d.object_id for d in documents]
        ).values_list("object_id", "pk")
    )
    entries = [
        SearchEntry(
            pk=existing.get(d.object_id),
            kind=kind.label,
            object_id=d.object_id,
            community_id=d.community_id,
            language=d.language,
            scope=scope_tokens(d, kind),
            published_at=d.published_at,
            author_id=d.author_id,
        )
        for d in documents
    ]
    new = [e for e in entries if e.pk is None]
    old = [e for e in entries if e.pk is not None]
    SearchEntry.objects.bulk_create(new)
    if old:
        SearchEntry.objects.bulk_update(
            old,
            ["community_id", "language", "scope", "published_at", "author_id"],
        )
    with connection.cursor() as cursor:
        backend_for(connection.vendor).write(
            cursor,
            [
                (e.pk, d.language, d.title, d.body, e.scope)
                for e, d in zip(entries, documents, strict=True)
            ],
        )
    return len(entries)


def _delete(kind: SearchKind, object_ids: Iterable[int]) -> int:
    ids = list(object_ids)
    removed = 0
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        qs = SearchEntry.objects.filter(kind=kind.label, object_id__in=chunk)
        pks = list(qs.values_list("pk", flat=True))
        if pks:
            with connection.cursor() as cursor:
                backend_for(connection.vendor).delete(cursor, pks)
            removed += SearchEntry.objects.filter(pk__in=pks).delete()[0]
    return removed


def index(label: str, object_ids: Iterable[int]) -> tuple[int, int]:
    """Make the index rows of these objects of kind ``label`` match the objects:
    indexable ones are written, the others (held, deleted, gone) removed. Returns
    (written, removed)."""
    kind = _kind(label)
    ids = list(dict.fromkeys(object_ids))
    written = removed = 0
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        for attempt in range(2):
            try:
                with transaction.atomic():
                    documents = list(kind.documents(kind.indexable().filter(pk__in=chunk)))
                    found = {d.object_id for d in documents}
                    written += _write(kind, documents)
                    removed += _delete(kind, [pk for pk in chunk if pk not in found])
                break
            except IntegrityError:
                # Another worker indexed one of these at the same moment: once more.
                if attempt:
                    raise
    return written, removed


def remove(label: str, object_ids: Iterable[int]) -> int:
    """Take these objects out of the index at once (a deleted post). Returns how many
    rows went."""
    with transaction.atomic():
        return _delete(_kind(label), object_ids)


def reindex_thread(thread_id: int) -> tuple[int, int]:
    """Reindex every post of a thread (moved to another community, title changed,
    published or unpublished)."""
    from patientvoice.communities.models import Post

    post_ids = set(Post.objects.filter(thread_id=thread_id).values_list("pk", flat=True))
    return index(POST_KIND, sorted(post_ids))


def reindex_community(community_id: int) -> tuple[int, int]:
    """Reindex every post in a community, and every row of any kind that says it is
    there (its visibility changed, so every audience does: posts, stories written for
    its members, notes on its posts; threads moved in or out)."""
    from patientvoice.communities.models import Post

    post_ids = set(Post.objects.filter(community_id=community_id).values_list("pk", flat=True))
    rows = SearchEntry.objects.filter(community_id=community_id).values_list("kind", "object_id")
    by_kind: dict[str, set[int]] = {POST_KIND: post_ids}
    for label, object_id in rows:
        by_kind.setdefault(label, set()).add(object_id)
    written = removed = 0
    registered = kinds()
    for label, ids in by_kind.items():
        if label not in registered:
            continue
        done = index(label, sorted(ids))
        written, removed = written + done[0], removed + done[1]
    return written, removed


@task(queue_name="default")
def reindex_thread_task(thread_id: int) -> None:
    reindex_thread(thread_id)


@task(queue_name="default")
def reindex_community_task(community_id: int) -> None:
    reindex_community(community_id)


def schedule_reindex_thread(thread_id: int) -> None:
    """For ``transaction.on_commit``: reindex a thread in the worker."""
    reindex_thread_task.enqueue(thread_id)


def schedule_reindex_community(community_id: int) -> None:
    """For ``transaction.on_commit``: reindex a community in the worker."""
    reindex_community_task.enqueue(community_id)


@register_after_publish("search.index")
def index_after_publish(content: Content) -> None:
    """Published content enters the index; an edit that was held leaves it."""
    kind = kind_for_model(type(content))
    if kind is None:
        return
    if content.status == ContentStatus.PUBLISHED:
        index(kind.label, [content.pk])
    else:
        remove(kind.label, [content.pk])


@dataclass
class RebuildCounts:
    kind: str
    indexed: int = 0
    removed: int = 0


def rebuild(
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[RebuildCounts], None] | None = None,
    labels: Iterable[str] | None = None,
) -> list[RebuildCounts]:
    """Make the whole index equal to the content, kind by kind (every kind, or those
    ``labels`` name), one batch per transaction, oldest first (FTS5 ranks the newest
    rows; they keep the highest ids). Rows of objects that are no longer indexable are
    removed. Search keeps working while it runs."""
    results = []
    chosen = kinds().values() if labels is None else [_kind(label) for label in labels]
    for kind in chosen:
        counts = RebuildCounts(kind=kind.label)
        last: tuple[Any, int] | None = None
        qs = kind.indexable().order_by("published_at", "pk")
        while True:
            page = qs
            if last is not None:
                page = qs.filter(published_at__gte=last[0]).exclude(
                    published_at=last[0], pk__lte=last[1]
                )
            batch = list(page.values_list("published_at", "pk")[:batch_size])
            if not batch:
                break
            last = batch[-1]
            with transaction.atomic():
                documents = list(
                    kind.documents(kind.indexable().filter(pk__in=[b[1] for b in batch]))
                )
                documents.sort(key=lambda d: (d.published_at, d.object_id))
                counts.indexed += _write(kind, documents)
            if progress:
                progress(counts)
        # Rows whose object is gone or no longer indexable.
        last_pk = 0
        while True:
            rows = list(
                SearchEntry.objects.filter(kind=kind.label, pk__gt=last_pk)
                .order_by("pk")
                .values_list("pk", "object_id")[:batch_size]
            )
            if not rows:
                break
            last_pk = rows[-1][0]
            object_ids = [r[1] for r in rows]
            keep = set(kind.indexable().filter(pk__in=object_ids).values_list("pk", flat=True))
            with transaction.atomic():
                counts.removed += _delete(kind, [o for o in object_ids if o not in keep])
        results.append(counts)
    return results
