"""Every write in the directory."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from .importing import ConditionRow
from .models import Condition


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def import_conditions(*, rows: Iterable[ConditionRow]) -> ImportResult:
    """Create or update one condition per row, keyed by slug (idempotent: importing
    the same rows again changes nothing). Preconditions: the rows passed
    ``importing.parse_conditions``. Conditions missing from ``rows`` are left alone:
    communities and threads may be tagged with them."""
    created = updated = unchanged = 0
    existing = {c.slug: c for c in Condition.objects.all()}
    for row in rows:
        condition = existing.get(row.slug)
        if condition is None:
            condition = Condition(slug=row.slug, **row.fields())
            condition.search_text = condition.build_search_text()
            condition.save()
            existing[row.slug] = condition
            created += 1
            continue
        wanted = {**row.fields()}
        changed = [name for name, value in wanted.items() if getattr(condition, name) != value]
        if not changed:
            unchanged += 1
            continue
        for name in changed:
            setattr(condition, name, wanted[name])
        condition.search_text = condition.build_search_text()
        condition.save(update_fields=[*changed, "search_text", "updated_at"])
        updated += 1
    return ImportResult(created=created, updated=updated, unchanged=unchanged)
