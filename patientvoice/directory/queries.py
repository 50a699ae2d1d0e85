"""Reads of the directory that pages and the API share.

Conditions are public reference data: anyone may list them. What is *tagged* with a
condition is not, and is read through the communities' visibility rule
(``communities.queries.tagged_communities``/``tagged_threads``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import Condition, ConditionCategory

# Swedish sorts å, ä, ö after z (in that order); code points put ä before å.
_SWEDISH_LAST = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


def name_sort_key(name: str) -> str:
    return name.casefold().translate(_SWEDISH_LAST)


@dataclass(frozen=True)
class CategoryGroup:
    category: str
    label: str
    conditions: list[Condition]


def search_conditions(*, q: str = "", category: str = "") -> QuerySet[Condition]:
    """Conditions whose names or synonyms, in Swedish or English, contain ``q``
    (case-insensitively, "Å" as "å"), in ``category`` when given."""
    qs = Condition.objects.all()
    if q.strip():
        qs = qs.filter(search_text__contains=q.strip().casefold())
    if category:
        qs = qs.filter(category=category)
    return qs


def conditions_by_category(language: str) -> list[CategoryGroup]:
    """Every condition, grouped by category (in the categories' order) and sorted by
    name in ``language``. One query."""
    by_category: dict[str, list[Condition]] = {value: [] for value in ConditionCategory.values}
    for condition in Condition.objects.all():
        by_category.setdefault(condition.category, []).append(condition)
    return [
        CategoryGroup(
            category=category.value,
            label=str(category.label),
            conditions=sorted(
                by_category[category.value], key=lambda c: name_sort_key(c.name(language))
            ),
        )
        for category in ConditionCategory
        if by_category[category.value]
    ]
