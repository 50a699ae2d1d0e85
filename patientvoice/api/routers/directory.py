"""The directory: conditions (public reference data; anyone may read them)."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.params.functions import Path
from pydantic import Field

from patientvoice.directory.models import Condition, ConditionCategory
from patientvoice.directory.queries import search_conditions

from ..auth import optional_auth
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import ErrorOut

router = Router(tags=["directory"])
SLUG = Path(..., pattern=r"^[-a-zA-Z0-9_]+$")


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
