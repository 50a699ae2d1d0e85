"""Automated help for new accounts and repeated texts (the moderation issue, item 6).
Both hold, never reject: a moderator looks, and the author is told why."""

from __future__ import annotations

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import pgettext_lazy

from .base import CheckContext, Finding, Outcome

# Texts shorter than this (once normalised) may repeat: "Tack!", "Samma här".
DUPLICATE_MIN_LENGTH = 40
DUPLICATE_WINDOW_SECONDS = 24 * 3600
DUPLICATE_REMEMBERED = 20


def check_first_posts(text: str, context: CheckContext) -> list[Finding]:
    """Hold the first ``PV_HOLD_FIRST_POSTS`` texts of an account (0: off)."""
    first = settings.PV_HOLD_FIRST_POSTS
    if (
        first <= 0
        or context.author_joined_at is None
        or context.author_is_trusted
        or context.author_published_count >= first
    ):
        return []
    message = pgettext_lazy(
        "text check", "A moderator reads the first posts of new accounts before others see them."
    )
    return [Finding(code="review.first_posts", message=message, outcome=Outcome.HOLD)]


def _words(text: str) -> list[str]:
    return re.sub(r"[\W_]+", " ", text.casefold()).split()


def fingerprint(text: str) -> str:
    """The same text whatever its case, spacing and punctuation."""
    return hashlib.blake2b(" ".join(_words(text)).encode(), digest_size=12).hexdigest()


def _recent_key(author_id: int) -> str:
    return f"pv:recent-texts:{author_id}"


def remember_text(author_id: int, text: str, content_key: str) -> None:
    """Note that ``author_id`` just sent ``text`` (as ``content_key``: label and pk)."""
    if len(re.sub(r"\W+", "", text)) < DUPLICATE_MIN_LENGTH:
        return
    now = time.time()
    recent = [
        entry
        for entry in cache.get(_recent_key(author_id), [])
        if now - entry[2] < DUPLICATE_WINDOW_SECONDS and entry[1] != content_key
    ]
    recent.append((fingerprint(text), content_key, now))
    cache.set(_recent_key(author_id), recent[-DUPLICATE_REMEMBERED:], DUPLICATE_WINDOW_SECONDS)


def check_duplicate(text: str, context: CheckContext) -> list[Finding]:
    """Hold a text its author already sent in the last day, as another piece of
    content (the classic spam and flooding pattern); an edit of the same content
    is not a repeat."""
    author_id = context.extra.get("author_id")
    if author_id is None or len(re.sub(r"\W+", "", text)) < DUPLICATE_MIN_LENGTH:
        return []
    this = context.extra.get("content_key")
    mark = fingerprint(text)
    now = time.time()
    for seen, key, at in cache.get(_recent_key(author_id), []):
        if seen == mark and key != this and now - at < DUPLICATE_WINDOW_SECONDS:
            message = pgettext_lazy(
                "text check",
                "You sent the same text a moment ago. A moderator will look at it before "
                "others see it.",
            )
            return [Finding(code="spam.duplicate", message=message, outcome=Outcome.HOLD)]
    return []


# --- near-duplicates across accounts ------------------------------------------------------
#
# check_duplicate catches one account repeating itself. A shared pool catches many
# accounts sending nearly the same text (bought or scripted reviews): each text is
# reduced to a MinHash signature of its three-word shingles (the same words as
# fingerprint() sees), cut into bands; texts that share a band are near-duplicates
# (Jaccard similarity above about 0.65 is caught with high probability, unrelated texts
# almost never). Only band hashes are stored, in the cache, never the text.

NEAR_HASHES = 50
NEAR_BANDS = 10
_ROWS = NEAR_HASHES // NEAR_BANDS
_PRIME = (1 << 61) - 1
_SEEDS = [
    (int.from_bytes(hashlib.blake2b(f"a{i}".encode(), digest_size=8).digest()) % _PRIME or 1,
     int.from_bytes(hashlib.blake2b(f"b{i}".encode(), digest_size=8).digest()) % _PRIME)
    for i in range(NEAR_HASHES)
]  # fmt: skip


def near_duplicate_bands(text: str) -> list[str]:
    """The band hashes of ``text``'s MinHash signature (empty for short texts)."""
    if len(re.sub(r"\W+", "", text)) < DUPLICATE_MIN_LENGTH:
        return []
    words = _words(text)
    shingles = {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}
    hashed = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest()) for s in shingles]
    signature = [min((a * h + b) % _PRIME for h in hashed) for a, b in _SEEDS]
    return [
        hashlib.blake2b(
            f"{band}:{signature[band * _ROWS : (band + 1) * _ROWS]}".encode(), digest_size=8
        ).hexdigest()
        for band in range(NEAR_BANDS)
    ]


class SharedTextPool:
    """Recent texts of one kind (``name``: "reviews") from every account, to find a
    text that nearly repeats another account's. Entries live ``window_seconds``."""

    PER_BAND = 20

    def __init__(self, name: str, window_seconds: int = 30 * 24 * 3600) -> None:
        self.name = name
        self.window_seconds = window_seconds

    def _key(self, band: str) -> str:
        return f"pv:near:{self.name}:{band}"

    def remember(self, author_id: int, text: str, content_key: str) -> None:
        now = time.time()
        for band in near_duplicate_bands(text):
            key = self._key(band)
            entries = [
                e
                for e in cache.get(key, [])
                if now - e[2] < self.window_seconds and e[1] != content_key
            ]
            entries.append((author_id, content_key, now))
            cache.set(key, entries[-self.PER_BAND :], self.window_seconds)

    def others_sent(self, author_id: int, text: str, content_key: str = "") -> bool:
        """Whether another account sent nearly ``text`` within the window (the same
        content, edited, is not a repeat of itself)."""
        bands = near_duplicate_bands(text)
        if not bands:
            return False
        now = time.time()
        found = cache.get_many([self._key(band) for band in bands])
        return any(
            who != author_id and key != content_key and now - at < self.window_seconds
            for entries in found.values()
            for who, key, at in entries
        )
