"""Reads of the directory that pages and the API share.

Conditions are public reference data: anyone may list them. What is *tagged* with a
condition is not, and is read through the communities' visibility rule
(``communities.queries.tagged_communities``/``tagged_threads``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import Clinic, Condition, ConditionCategory, Medicine, Physician

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


def _contains(qs: QuerySet[Any], q: str) -> QuerySet[Any]:
    """Narrow ``qs`` to entries whose ``search_text`` contains ``q`` case-folded."""
    needle = q.strip().casefold()
    return qs.filter(search_text__contains=needle) if needle else qs


def search_medicines(*, q: str = "") -> QuerySet[Medicine]:
    """Active medicines whose substance, Swedish name, brands or synonyms contain ``q``
    (case-insensitively, "Å" as "å"), by slug."""
    return _contains(Medicine.objects.filter(is_active=True), q)


def active_medicine(slug: str) -> Medicine | None:
    """The active medicine with ``slug``; None for an unknown or inactive one."""
    return Medicine.objects.filter(slug=slug, is_active=True).first()


def medicine_name(medicine: Medicine, language: str | None) -> str:
    """The name a reader of ``language`` knows: the Swedish name on Swedish pages, the
    English INN on English ones (each falling back to the other)."""
    if (language or "").lower().startswith("en"):
        return medicine.inn_en or medicine.name_sv
    return medicine.name_sv or medicine.inn_en


def search_clinics(*, q: str = "", region: str = "", kind: str = "") -> QuerySet[Clinic]:
    """Active clinics whose name, municipality or HSA-id contain ``q``, in ``region``
    and of ``kind`` when given, by slug."""
    qs = _contains(Clinic.objects.filter(is_active=True), q)
    if region:
        qs = qs.filter(region=region)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def active_clinic(slug: str) -> Clinic | None:
    return Clinic.objects.filter(slug=slug, is_active=True).first()


def clinic_physicians(clinic: Clinic) -> list[Physician]:
    """The active physicians who work at ``clinic``, by name. One query."""
    return list(clinic.physicians.filter(is_active=True).order_by("name", "slug"))


def search_physicians(*, q: str = "", profession: str = "") -> QuerySet[Physician]:
    """Active physicians (and other professionals) whose name or specialty contain
    ``q``, of ``profession`` when given, by slug."""
    qs = _contains(Physician.objects.filter(is_active=True), q)
    if profession:
        qs = qs.filter(profession=profession)
    return qs


def active_physician(slug: str) -> Physician | None:
    return Physician.objects.filter(slug=slug, is_active=True).first()


def physician_workplaces(physician: Physician) -> list[Clinic]:
    """The active clinics where ``physician`` works, by name. One query."""
    return list(physician.workplaces.filter(is_active=True).order_by("name", "slug"))
