"""Forgetting a person: their words leave the index with their posts."""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.erasure import register_eraser

from .models import SearchEntry


@register_eraser("search")
def erase_search_entries(user: Any, mode: str) -> None:
    """In "remove" mode the person's posts are deleted, so their rows go (the FTS5
    text with them, by trigger). In "anonymise" mode published posts stay readable
    and findable; the rows only lose the link to the person."""
    rows = SearchEntry.objects.filter(author_id=user.pk)
    if mode == "remove":
        rows.delete()
    else:
        rows.update(author_id=None)
