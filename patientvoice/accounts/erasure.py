"""Erasure (GDPR art. 17): every app registers how it forgets a person.

An eraser is ``fn(user, mode)`` run inside the erasure transaction before the user
row is deleted. With ``mode="remove"`` it deletes the person's contributions; with
``mode="anonymise"`` it leaves them (the author link is set to NULL when the user row
goes, and pages show "former member"). Records the law requires us to keep
(moderation decisions, safety cases, the audit log) are pseudonymised, never deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Eraser = Callable[[Any, str], None]
_ERASERS: dict[str, Eraser] = {}


def register_eraser(key: str) -> Callable[[Eraser], Eraser]:
    def decorator(fn: Eraser) -> Eraser:
        _ERASERS[key] = fn
        return fn

    return decorator


def erasers() -> dict[str, Eraser]:
    return dict(_ERASERS)
