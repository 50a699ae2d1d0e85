"""Every write in the directory."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from patientvoice.core import audit, ratelimit
from patientvoice.core.slugs import free_slug

from . import permissions
from .errors import InvalidSuggestion, SuggestionAlreadyDecided, SuggestionLimit
from .importing import ConditionRow
from .importing_medicines import MedicineRow
from .importing_providers import ClinicRow, PhysicianRow
from .models import (
    Clinic,
    Condition,
    EntrySuggestion,
    Medicine,
    Physician,
    SuggestionKind,
    SuggestionStatus,
)
from .search import index_entries_on_commit

# Rows written per transaction by the medicine, clinic and physician imports: a long
# import holds no lock for long, and a stopped one resumes by running it again.
BATCH_SIZE = 1000
SUGGESTIONS_PER_DAY = 10

Progress = Callable[[int, int], None]
"""Called after each batch with (rows done, rows in all)."""


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int

    def __add__(self, other: ImportResult) -> ImportResult:
        return ImportResult(
            created=self.created + other.created,
            updated=self.updated + other.updated,
            unchanged=self.unchanged + other.unchanged,
        )


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


Entry = TypeVar("Entry", Medicine, Clinic, Physician)


def _upsert_batch[Entry: (Medicine, Clinic, Physician)](
    model: type[Entry],
    rows: Sequence[MedicineRow | ClinicRow | PhysicianRow],
    *,
    touched: frozenset[str] = frozenset(),
) -> ImportResult:
    """Create or update one entry per row by slug, in two bulk writes. ``touched``
    names existing entries whose other data (workplaces) changed: they count as
    updated even when their own fields did not."""
    existing = model._default_manager.in_bulk([row.slug for row in rows], field_name="slug")
    now = timezone.now()
    to_create: list[Entry] = []
    to_update: list[Entry] = []
    fields: set[str] = set()
    for row in rows:
        wanted = row.fields()
        entry = existing.get(row.slug)
        if entry is None:
            entry = model(slug=row.slug, **wanted)
            entry.search_text = entry.build_search_text()
            to_create.append(entry)
            continue
        changed = [name for name, value in wanted.items() if getattr(entry, name) != value]
        if not changed and row.slug not in touched:
            continue
        for name in changed:
            setattr(entry, name, wanted[name])
        entry.search_text = entry.build_search_text()
        entry.updated_at = now  # bulk_update does not apply auto_now
        to_update.append(entry)
        fields.update(changed)
    model._default_manager.bulk_create(to_create)
    if to_update:
        model._default_manager.bulk_update(
            to_update, [*sorted(fields), "search_text", "updated_at"]
        )
    # bulk_create sets the new rows' ids (RETURNING, on SQLite and PostgreSQL).
    index_entries_on_commit(model, [entry.pk for entry in [*to_create, *to_update]])
    return ImportResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(rows) - len(to_create) - len(to_update),
    )


def _in_batches(
    rows: Iterable[Any], write: Callable[[list[Any]], ImportResult], progress: Progress | None
) -> ImportResult:
    rows = list(rows)
    result = ImportResult(0, 0, 0)
    for start in range(0, len(rows), BATCH_SIZE):
        with transaction.atomic():
            result += write(rows[start : start + BATCH_SIZE])
        if progress is not None:
            progress(min(start + BATCH_SIZE, len(rows)), len(rows))
    return result


def import_medicines(
    *, rows: Iterable[MedicineRow], progress: Progress | None = None
) -> ImportResult:
    """Create or update one medicine per row, keyed by slug, in transactions of
    ``BATCH_SIZE`` rows (idempotent: the same rows again change nothing). Preconditions:
    the rows passed ``importing_medicines.parse_medicines``. Medicines missing from
    ``rows`` are left alone (threads and reviews may name them); ``is_active`` is not
    touched. Called by ``manage.py import_medicines``; not audited (an operator's
    command, like ``import_conditions``)."""
    return _in_batches(rows, lambda batch: _upsert_batch(Medicine, batch), progress)


def import_clinics(*, rows: Iterable[ClinicRow], progress: Progress | None = None) -> ImportResult:
    """Like :func:`import_medicines`, for clinics
    (``importing_providers.parse_clinics``)."""
    return _in_batches(rows, lambda batch: _upsert_batch(Clinic, batch), progress)


def _import_physician_batch(rows: list[PhysicianRow]) -> ImportResult:
    through = Physician.workplaces.through
    slugs = [row.slug for row in rows]
    current: dict[str, set[str]] = {slug: set() for slug in slugs}
    for physician_slug, clinic_slug in through.objects.filter(
        physician__slug__in=slugs
    ).values_list("physician__slug", "clinic__slug"):
        current[physician_slug].add(clinic_slug)
    moved = frozenset(row.slug for row in rows if set(row.workplaces) != current[row.slug])
    result = _upsert_batch(Physician, rows, touched=moved)
    if moved:
        wanted = {row.slug: row.workplaces for row in rows if row.slug in moved}
        physician_ids = dict(Physician.objects.filter(slug__in=moved).values_list("slug", "pk"))
        clinic_ids = dict(
            Clinic.objects.filter(
                slug__in={c for clinics in wanted.values() for c in clinics}
            ).values_list("slug", "pk")
        )
        through.objects.filter(physician_id__in=physician_ids.values()).delete()
        through.objects.bulk_create(
            through(physician_id=physician_ids[slug], clinic_id=clinic_ids[clinic])
            for slug, clinics in wanted.items()
            for clinic in clinics
        )
    return result


def import_physicians(
    *, rows: Iterable[PhysicianRow], progress: Progress | None = None
) -> ImportResult:
    """Like :func:`import_medicines`, for physicians; each row's workplaces replace the
    physician's. Preconditions: the rows passed ``importing_providers.parse_physicians``
    and ``reject_unknown_workplaces`` (every workplace slug is a clinic)."""
    return _in_batches(rows, _import_physician_batch, progress)


def suggest_entry(*, user: Any, kind: str, name: str, details: str = "") -> EntrySuggestion:
    """A member suggests a medicine, physician or clinic missing from the directory.

    Permission: a signed-in, active account (``PermissionDenied`` otherwise).
    Refuses with ``InvalidSuggestion`` (unknown kind, empty or long name or details) and
    ``SuggestionLimit`` past ``SUGGESTIONS_PER_DAY`` suggestions in a day (a refused
    one does not count). Effects: one pending suggestion. Returns it."""
    permissions.check_suggest_entry(user)
    name, details = name.strip(), details.strip()
    if kind not in SuggestionKind.values or not name or len(name) > 200 or len(details) > 2000:
        raise InvalidSuggestion
    if not ratelimit.allow("directory-suggestion", user.pk, SUGGESTIONS_PER_DAY, 24 * 3600):
        raise SuggestionLimit
    return EntrySuggestion.objects.create(kind=kind, name=name, details=details, suggested_by=user)


def _pending(suggestion: EntrySuggestion) -> EntrySuggestion:
    locked = EntrySuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != SuggestionStatus.PENDING:
        raise SuggestionAlreadyDecided
    return locked


def _create_entry(kind: str, name: str) -> Medicine | Clinic | Physician:
    """The entry with the fields a suggestion gives (its name); staff complete the rest
    in the admin. A medicine is prescription-only and a clinic without a region until
    then; a physician is a physician."""
    entry: Medicine | Clinic | Physician
    if kind == SuggestionKind.MEDICINE:
        slug = free_slug(Medicine, name, fallback="medicine")
        entry = Medicine(slug=slug, inn_en=name, name_sv=name)
    elif kind == SuggestionKind.CLINIC:
        entry = Clinic(slug=free_slug(Clinic, name, fallback="clinic"), name=name)
    else:
        entry = Physician(slug=free_slug(Physician, name, fallback="physician"), name=name)
    entry.search_text = entry.build_search_text()
    entry.save()
    index_entries_on_commit(type(entry), [entry.pk])
    return entry


@transaction.atomic
def approve_suggestion(
    *, actor: Any, suggestion: EntrySuggestion, reason: str = ""
) -> Medicine | Clinic | Physician:
    """Staff approve a pending suggestion: the entry is created from its name.

    Permission: acting site staff (``PermissionDenied`` otherwise). Refuses with
    ``SuggestionAlreadyDecided`` when it was decided before. Effects: the new entry, the
    suggestion approved (by, at, reason, the entry's slug), an audit entry
    ``directory.suggestion_approved``. Returns the entry."""
    permissions.check_decide_suggestion(actor)
    locked = _pending(suggestion)
    entry = _create_entry(locked.kind, locked.name)
    _decide(locked, actor=actor, status=SuggestionStatus.APPROVED, reason=reason)
    locked.entry_slug = entry.slug
    locked.save(update_fields=["entry_slug"])
    audit.record(
        actor=actor,
        action="directory.suggestion_approved",
        target=locked,
        reason=reason,
        data={"kind": locked.kind, "entry": entry.slug},
    )
    suggestion.refresh_from_db()
    return entry


@transaction.atomic
def decline_suggestion(*, actor: Any, suggestion: EntrySuggestion, reason: str = "") -> None:
    """Staff decline a pending suggestion. Permission and refusals as
    :func:`approve_suggestion`. Effects: the suggestion declined (by, at, reason), an
    audit entry ``directory.suggestion_declined``."""
    permissions.check_decide_suggestion(actor)
    locked = _pending(suggestion)
    _decide(locked, actor=actor, status=SuggestionStatus.DECLINED, reason=reason)
    audit.record(
        actor=actor,
        action="directory.suggestion_declined",
        target=locked,
        reason=reason,
        data={"kind": locked.kind},
    )
    suggestion.refresh_from_db()


def _decide(suggestion: EntrySuggestion, *, actor: Any, status: str, reason: str) -> None:
    suggestion.status = status
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.reason = reason.strip()
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
