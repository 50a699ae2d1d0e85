"""The directory: conditions, medicines, clinics and physicians (public reference data;
anyone may read them), each entry with the summary of its published reviews, and
medicines ranked for a condition by the adjusted score. Inactive entries answer 404,
as their pages do."""

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from patientvoice.directory.models import (
    ClinicKind,
    Condition,
    ConditionCategory,
    Medicine,
    Profession,
    Region,
)
from patientvoice.directory.queries import (
    active_clinic,
    active_medicine,
    active_physician,
    clinic_physicians,
    physician_workplaces,
    search_clinics,
    search_conditions,
    search_medicines,
    search_physicians,
)
from patientvoice.reviews.queries import (
    count_ranked_medicines_for_condition,
    ranked_medicines_for_condition,
    summary_for,
)
from patientvoice.reviews.statistics import SummaryView

from ..auth import optional_auth
from ..pagination import MAX_OFFSET, BoundedLimitOffsetPagination
from ..schemas import SLUG, ErrorOut

router = Router(tags=["directory"])


class ConditionOut(Schema):
    slug: str
    name_sv: str
    name_en: str
    synonyms_sv: list[str]
    synonyms_en: list[str]
    icd10: str
    category: str


class ConditionFilters(Schema):
    q: str = Field("", max_length=100, description="Part of a name or synonym, sv or en.")
    category: ConditionCategory | None = None


@router.get("/conditions", response=list[ConditionOut], auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_conditions(request: HttpRequest, filters: Query[ConditionFilters]) -> Any:
    category = filters.category.value if filters.category else ""
    return search_conditions(q=filters.q, category=category)


@router.get("/conditions/{slug}", response={200: ConditionOut, 404: ErrorOut}, auth=optional_auth)
def get_condition(request: HttpRequest, slug: str = SLUG) -> Any:
    return get_object_or_404(Condition, slug=slug)


# --- rating summaries


class DimensionOut(Schema):
    key: str
    label: str
    n: int = Field(description="How many reviews rated this dimension.")
    mean: float | None
    low: float | None = Field(description="The 95 % interval of the mean, low end.")
    high: float | None
    histogram: list[int] | None = Field(description="Reviews giving 1, 2, 3, 4 and 5 stars.")


class SummaryOut(Schema):
    count: int = Field(description="Published reviews.")
    enough: bool = Field(
        description="Five reviews or more. Below that the numbers are null, as the pages "
        "say: too few ratings to summarise."
    )
    headline: str = Field(description="The dimension the adjusted score is of.")
    adjusted: float | None = Field(
        description="Bayesian-adjusted mean of the headline dimension, as if every entry "
        "had five extra ratings of 3: what rankings order by."
    )
    verified_share: float | None = Field(description="Percent from verified experiences.")
    recommend_share: float | None = Field(description="Percent who would recommend it (medicines).")
    dimensions: list[DimensionOut]


def summary_out(summary: SummaryView) -> dict[str, Any]:
    """A summary as the API gives it: the numbers only when there are enough reviews
    (the pages' rule), the adjusted score whenever there are any."""
    enough = summary.enough
    return {
        "count": summary.count,
        "enough": enough,
        "headline": summary.kind.headline,
        "adjusted": summary.adjusted,
        "verified_share": summary.verified_share if enough else None,
        "recommend_share": summary.recommend_share if enough else None,
        "dimensions": [
            {
                "key": d.key,
                "label": str(d.label),
                "n": d.n,
                "mean": d.mean if enough else None,
                "low": d.low if enough else None,
                "high": d.high if enough else None,
                "histogram": list(d.counts) if enough else None,
            }
            for d in summary.dimensions
        ],
    }


def _fields(schema: type[Schema], entry: Any) -> dict[str, Any]:
    """An entry's own fields as ``schema`` gives them (a detail adds to them)."""
    return schema.model_validate(entry).model_dump()


# --- medicines


class MedicineFields(Schema):
    slug: str
    name_sv: str
    inn_en: str
    brands_sv: list[str]
    synonyms_sv: list[str]
    synonyms_en: list[str]
    atc_code: str
    prescription: str
    forms: list[str]
    strength: str
    fass_url: str = Field(description="The medicine's FASS page, or FASS's search for it.")
    leaflet_url: str


class MedicineOut(MedicineFields):
    @staticmethod
    def resolve_fass_url(obj: Medicine) -> str:
        return obj.fass_link()


class MedicineDetailOut(MedicineFields):
    summary: SummaryOut


class EntryFilters(Schema):
    q: str = Field("", max_length=100, description="Part of a name, sv or en.")


@router.get("/medicines", response=list[MedicineOut], auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_medicines(request: HttpRequest, filters: Query[EntryFilters]) -> Any:
    """Active medicines whose substance, Swedish name, brands or synonyms contain
    ``q``, by slug."""
    return search_medicines(q=filters.q)


def _medicine(slug: str) -> Medicine:
    medicine = active_medicine(slug)
    if medicine is None:
        raise Http404
    return medicine


@router.get(
    "/medicines/{slug}", response={200: MedicineDetailOut, 404: ErrorOut}, auth=optional_auth
)
def get_medicine(request: HttpRequest, slug: str = SLUG) -> Any:
    medicine = _medicine(slug)
    return {**_fields(MedicineOut, medicine), "summary": summary_out(summary_for(medicine))}


class RankedMedicineOut(Schema):
    medicine: MedicineOut
    summary: SummaryOut


class RankedMedicinesOut(Schema):
    items: list[RankedMedicineOut]
    count: int


class RankingPage(Schema):
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/conditions/{slug}/medicines",
    response={200: RankedMedicinesOut, 404: ErrorOut},
    auth=optional_auth,
)
def rank_medicines(request: HttpRequest, page: Query[RankingPage], slug: str = SLUG) -> Any:
    """Medicines people used for the condition, best first by the Bayesian-adjusted
    score of the reviews that name it (see the pages' "How reviews work")."""
    condition = get_object_or_404(Condition, slug=slug)
    ranked = ranked_medicines_for_condition(condition, limit=page.limit, offset=page.offset)
    return {
        "items": [
            {"medicine": line.entry, "summary": summary_out(line.summary)} for line in ranked
        ],
        "count": count_ranked_medicines_for_condition(condition),
    }


# --- clinics


class ClinicOut(Schema):
    slug: str
    name: str
    kind: str
    region: str
    municipality: str
    address: str
    postcode: str
    website: str
    hsa_id: str


class ClinicDetailOut(ClinicOut):
    physicians: list[str] = Field(description="Slugs of the active physicians working here.")
    summary: SummaryOut


class ClinicFilters(EntryFilters):
    region: Region | None = None
    kind: ClinicKind | None = None


@router.get("/clinics", response=list[ClinicOut], auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_clinics(request: HttpRequest, filters: Query[ClinicFilters]) -> Any:
    """Active clinics whose name, municipality or HSA-id contain ``q``, in ``region``
    and of ``kind`` when given, by slug."""
    return search_clinics(
        q=filters.q,
        region=filters.region.value if filters.region else "",
        kind=filters.kind.value if filters.kind else "",
    )


@router.get("/clinics/{slug}", response={200: ClinicDetailOut, 404: ErrorOut}, auth=optional_auth)
def get_clinic(request: HttpRequest, slug: str = SLUG) -> Any:
    clinic = active_clinic(slug)
    if clinic is None:
        raise Http404
    return {
        **_fields(ClinicOut, clinic),
        "physicians": [p.slug for p in clinic_physicians(clinic)],
        "summary": summary_out(summary_for(clinic)),
    }


# --- physicians


class PhysicianOut(Schema):
    slug: str
    name: str
    profession: str
    specialty: str
    licence_id: str


class PhysicianDetailOut(PhysicianOut):
    workplaces: list[str] = Field(description="Slugs of the active clinics they work at.")
    summary: SummaryOut


class PhysicianFilters(EntryFilters):
    profession: Profession | None = None


@router.get("/physicians", response=list[PhysicianOut], auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_physicians(request: HttpRequest, filters: Query[PhysicianFilters]) -> Any:
    """Active physicians and other professionals whose name or specialty contain
    ``q``, of ``profession`` when given, by slug."""
    return search_physicians(
        q=filters.q, profession=filters.profession.value if filters.profession else ""
    )


@router.get(
    "/physicians/{slug}", response={200: PhysicianDetailOut, 404: ErrorOut}, auth=optional_auth
)
def get_physician(request: HttpRequest, slug: str = SLUG) -> Any:
    physician = active_physician(slug)
    if physician is None:
        raise Http404
    return {
        **_fields(PhysicianOut, physician),
        "workplaces": [c.slug for c in physician_workplaces(physician)],
        "summary": summary_out(summary_for(physician)),
    }
