"""Counting attempts per person or address in a window, in the cache (Redis in
production, so every worker counts together)."""

from __future__ import annotations

from django.core.cache import cache


def allow(scope: str, ident: str | int, limit: int, window_seconds: int = 3600) -> bool:
    """Count one attempt of ``ident`` in ``scope``; False once more than ``limit``
    attempts fell in the current window. A limit of 0 or less means no limit."""
    if limit <= 0:
        return True
    key = f"pv:rate:{scope}:{ident}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit
