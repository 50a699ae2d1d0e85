"""``{% load expertnotes %}``: ``notes|carries_correction`` says whether a target's
notes (from ``queries.notes_for``) carry a published correction, for the label."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import template

from ..queries import carries_correction as _carries_correction

register = template.Library()


@register.filter
def carries_correction(notes: Sequence[Any] | None) -> bool:
    return _carries_correction(notes)
