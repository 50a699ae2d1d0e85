"""The search index: one row per searchable piece of content, of any kind.

The row holds what the search needs besides the words (language, the audience and
place tokens that pre-filter candidates, the publication time) and nothing a page
shows: results are loaded from the content itself, through its visibility rule
(docs/decisions/0021). The words live in full-text structures beside this table, on
one database only: an FTS5 virtual table on SQLite, a ``tsvector`` column with a GIN
index on PostgreSQL (migration 0002), both written by ``search.backends``. The text
itself is not kept here: a narrow row keeps the newest part of the table in memory.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from patientvoice.core.models import TimeStampedModel


class SearchEntry(TimeStampedModel):
    # The content kind's label, e.g. "communities.post" (search.registry).
    kind = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    # Where the content lives, for the community filter (None for kinds with no
    # community).
    community_id = models.BigIntegerField(null=True, blank=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="sv")
    # Space-separated tokens: who may read it ("aupublic", "auc12"), its place
    # ("pl12") and kind ("kdcommunitiespost"). A fast pre-filter only; results pass
    # the kind's visibility rule before anyone sees them.
    scope = models.TextField(blank=True)
    published_at = models.DateTimeField(db_index=True)
    # A plain number, not a foreign key: erasure finds a person's rows by it
    # (search.erasure), and an index row must never keep a user row alive.
    author_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
        ]
        indexes = [models.Index(fields=["community_id"], name="search_entry_community")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
