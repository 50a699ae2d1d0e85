"""Rendered HTML fragments remembered per process, keyed by everything they show.

The thread page is the hot page (PERFORMANCE.md: templates, not the database, dominate
it). Most of its HTML is the same for every reader who sees the same post in the same
state: author, text, reaction counts, the reader's own controls. A fragment's key is a
tuple of every value its template reads, so a change of any of them is a new key and
nothing ever needs invalidating; the least recently used fragments fall out when the
memo is full. Per process, so no network hop and no shared state between workers.

Fragments must not contain anything per request: forms carry :data:`CSRF_SLOT` in
place of the CSRF token, and :func:`fill_csrf` puts the request's token in once per
page.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.http import HttpRequest
from django.middleware.csrf import get_token

# Random per process, so no text a person writes can name it. Letters and digits only:
# it passes through escaping unchanged.
CSRF_SLOT = f"pvcsrfslot{secrets.token_hex(12)}"


_ALL: list[FragmentMemo[Any]] = []


def forget_all() -> None:
    """Empty every memo of this process (tests start from nothing remembered)."""
    for memo in _ALL:
        memo.clear()


class FragmentMemo[V]:
    """A bounded, thread-safe least-recently-used map from key tuples to HTML (or to
    HTML already cut at its CSRF slots, :func:`csrf_pieces`)."""

    def __init__(self, name: str, size: int) -> None:
        _ALL.append(self)
        self.name = name
        self.size = size
        self._fragments: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_render(self, key: Hashable, render: Callable[[], V]) -> V:
        html = self.get(key)
        if html is None:
            html = render()  # outside the lock: rendering is the slow part
            self.put(key, html)
        return html

    def get(self, key: Hashable) -> V | None:
        """The remembered fragment, or None (counted as a miss)."""
        with self._lock:
            html = self._fragments.get(key)
            if html is None:
                self.misses += 1
                return None
            self._fragments.move_to_end(key)
            self.hits += 1
            return html

    def put(self, key: Hashable, html: V) -> None:
        with self._lock:
            self._fragments[key] = html
            self._fragments.move_to_end(key)
            while len(self._fragments) > self.size:
                self._fragments.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._fragments.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._fragments)


def fill_csrf(request: HttpRequest, html: str) -> str:
    """Put the request's CSRF token where the fragments left :data:`CSRF_SLOT`."""
    if CSRF_SLOT not in html:
        return html
    return html.replace(CSRF_SLOT, get_token(request))


def csrf_pieces(html: str) -> tuple[str, ...]:
    """``html`` cut at its CSRF slots: a page assembled from remembered pieces puts
    the request's token between them while joining them (:func:`join_pieces`), in one
    pass over the text instead of a search and a replace over the whole page."""
    return tuple(html.split(CSRF_SLOT))


def join_pieces(request: HttpRequest, parts: list[tuple[str, ...]]) -> str:
    """The text of ``parts`` (each from :func:`csrf_pieces`) with the request's CSRF
    token between the pieces of each part: one join."""
    token = ""
    out: list[str] = []
    for pieces in parts:
        out.append(pieces[0])
        if len(pieces) > 1:
            token = token or get_token(request)
            for piece in pieces[1:]:
                out.append(token)
                out.append(piece)
    return "".join(out)
