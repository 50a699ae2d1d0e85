"""Medicines, clinics and physicians as kinds of the one search index
(:mod:`patientvoice.search.registry`; registered from ``DirectoryConfig.ready()``).

Entries are public reference data: every active entry is indexed for everyone and
found by anyone; an inactive one is not (its page answers 404). The index is kept
current after commit by the actions that write entries (the imports and an approved
suggestion call :func:`index_entries_on_commit`); ``rebuild_search_index`` indexes
them all. An entry has no publication time: its ``created_at`` stands in for it.

A document's words are every name the entry goes by (in Swedish and English), so
"paracetamol", "Alvedon" and "vårdcentral" find what people mean. It is indexed as
Swedish; a query word is stemmed in both languages, so English names match too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F, Model, QuerySet
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy

from patientvoice.search import indexing
from patientvoice.search.registry import (
    PUBLIC,
    Document,
    Hit,
    SearchKind,
    document_text,
    in_both_languages,
    register_kind,
)

from .models import Clinic, ClinicKind, Medicine, Physician, Profession, Region
from .queries import medicine_name

MEDICINE_KIND = "directory.medicine"
CLINIC_KIND = "directory.clinic"
PHYSICIAN_KIND = "directory.physician"
# The index holds names in both languages; the row's language only picks the stemmer.
INDEX_LANGUAGE = "sv"


def _active(model: type[Model]) -> QuerySet[Any]:
    # ``published_at`` is what the index orders and filters by (rebuild walks it).
    entries: QuerySet[Any] = model._default_manager.filter(is_active=True)
    annotated: QuerySet[Any] = entries.annotate(published_at=F("created_at"))
    return annotated


def _searchable[M: Model](user: Any, qs: QuerySet[M]) -> QuerySet[M]:
    """Public reference data: anyone finds an active entry."""
    return qs.filter(is_active=True)


def _document(entry: Any, title: str, body: str) -> Document:
    return Document(
        object_id=entry.pk,
        title=title,
        body=body,
        language=INDEX_LANGUAGE,
        published_at=entry.created_at,
        community_id=None,
        audiences=(PUBLIC,),
        author_id=None,
    )


def _entry_url(url_name: str, entry: Any) -> str:
    return reverse(url_name, kwargs={"slug": entry.slug})


# --- medicines


def _medicine_body(medicine: Medicine) -> str:
    return document_text(
        [
            medicine.inn_en,
            *(medicine.brands_sv or []),
            *(medicine.synonyms_sv or []),
            *(medicine.synonyms_en or []),
            medicine.atc_code,
        ]
    )


def medicine_documents(qs: QuerySet[Medicine]) -> Iterator[Document]:
    for medicine in qs:
        yield _document(medicine, medicine.name_sv or medicine.inn_en, _medicine_body(medicine))


def medicine_hits(user: Any, ids: list[int]) -> dict[int, Hit]:
    language = get_language() or "sv"
    place = str(pgettext_lazy("search kind", "Medicines"))
    place_url = reverse("directory:medicine_list")
    hits = {}
    for medicine in _searchable(user, Medicine.objects.filter(pk__in=ids)):
        name = medicine_name(medicine, language)
        hits[medicine.pk] = Hit(
            title=name,
            url=_entry_url("directory:medicine_detail", medicine),
            text=document_text([medicine.name_sv, _medicine_body(medicine)]).replace("\n", " · "),
            language=INDEX_LANGUAGE,
            published_at=None,
            place=place,
            place_url=place_url,
        )
    return hits


# --- clinics


def _clinic_body(clinic: Clinic) -> str:
    region = Region(clinic.region).label if clinic.region in Region.values else ""
    return document_text(
        [
            *in_both_languages(ClinicKind(clinic.kind).label),
            clinic.municipality,
            *(in_both_languages(region) if region else []),
            clinic.address,
            clinic.hsa_id,
        ]
    )


def clinic_documents(qs: QuerySet[Clinic]) -> Iterator[Document]:
    for clinic in qs:
        yield _document(clinic, clinic.name, _clinic_body(clinic))


def clinic_hits(user: Any, ids: list[int]) -> dict[int, Hit]:
    place = str(pgettext_lazy("search kind", "Clinics"))
    place_url = reverse("directory:clinic_list")
    hits = {}
    for clinic in _searchable(user, Clinic.objects.filter(pk__in=ids)):
        region = Region(clinic.region).label if clinic.region in Region.values else ""
        text = [str(ClinicKind(clinic.kind).label), clinic.municipality, str(region)]
        hits[clinic.pk] = Hit(
            title=clinic.name,
            url=_entry_url("directory:clinic_detail", clinic),
            text=document_text(text).replace("\n", " · "),
            language=get_language() or "sv",
            published_at=None,
            place=place,
            place_url=place_url,
        )
    return hits


# --- physicians


def _physician_body(physician: Physician, workplaces: Iterable[str]) -> str:
    return document_text(
        [
            *in_both_languages(Profession(physician.profession).label),
            physician.specialty,
            *workplaces,
        ]
    )


def physician_documents(qs: QuerySet[Physician]) -> Iterator[Document]:
    for physician in qs.prefetch_related("workplaces"):
        workplaces = [c.name for c in physician.workplaces.all() if c.is_active]
        yield _document(physician, physician.name, _physician_body(physician, workplaces))


def physician_hits(user: Any, ids: list[int]) -> dict[int, Hit]:
    hits = {}
    physicians = _searchable(user, Physician.objects.filter(pk__in=ids))
    for physician in physicians.prefetch_related("workplaces"):
        workplaces = [c.name for c in physician.workplaces.all() if c.is_active]
        profession = str(Profession(physician.profession).label)
        hits[physician.pk] = Hit(
            title=physician.name,
            url=_entry_url("directory:physician_detail", physician),
            text=document_text([profession, physician.specialty, *workplaces]).replace("\n", " · "),
            language=get_language() or "sv",
            published_at=None,
            # Physicians have no list page of their own: the result names the
            # profession, without a link.
            place=profession,
            place_url="",
        )
    return hits


KINDS = (
    SearchKind(
        label=MEDICINE_KIND,
        name=pgettext_lazy("search kind", "Medicines"),
        model=Medicine,
        indexable=partial(_active, Medicine),
        documents=medicine_documents,
        searchable=_searchable,
        hits=medicine_hits,
    ),
    SearchKind(
        label=CLINIC_KIND,
        name=pgettext_lazy("search kind", "Clinics"),
        model=Clinic,
        indexable=partial(_active, Clinic),
        documents=clinic_documents,
        searchable=_searchable,
        hits=clinic_hits,
    ),
    SearchKind(
        label=PHYSICIAN_KIND,
        name=pgettext_lazy("search kind", "Physicians and other professionals"),
        model=Physician,
        indexable=partial(_active, Physician),
        documents=physician_documents,
        searchable=_searchable,
        hits=physician_hits,
    ),
)

LABELS: dict[type[Model], str] = {kind.model: kind.label for kind in KINDS}


def register_directory_kinds() -> None:
    for kind in KINDS:
        register_kind(kind)


def index_entries(model: type[Model], ids: Iterable[int]) -> None:
    """Bring the index rows of these entries up to date (written, or removed when the
    entry is inactive or gone)."""
    indexing.index(LABELS[model], list(ids))


def index_entries_on_commit(model: type[Model], ids: Iterable[int]) -> None:
    """For the actions that write entries: index them once the transaction commits."""
    pks = [pk for pk in ids if pk is not None]
    if pks:
        transaction.on_commit(partial(index_entries, model, pks))
