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


def fingerprint(text: str) -> str:
    """The same text whatever its case, spacing and punctuation."""
    words = re.sub(r"[\W_]+", " ", text.casefold()).split()
    return hashlib.blake2b(" ".join(words).encode(), digest_size=12).hexdigest()


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
