"""The clinic pages (a list searched and filtered by region and kind, and a clinic's
page) and a physician's page. Public reference data; inactive entries answer 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from patientvoice.reviews.views import best_clinics, entry_reviews

from .models import ClinicKind, Region
from .queries import (
    active_clinic,
    active_physician,
    clinic_physicians,
    physician_workplaces,
    search_clinics,
)

ENTRIES_PER_PAGE = 25


@require_safe
def clinic_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    region = request.GET.get("region", "")
    region = region if region in Region.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in ClinicKind.values else ""
    page = Paginator(search_clinics(q=q, region=region, kind=kind), ENTRIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    kept = {key: value for key, value in (("q", q), ("region", region), ("kind", kind)) if value}
    return render(
        request,
        "directory/clinic_list.html",
        {
            "q": q,
            "region": region,
            "region_label": Region(region).label if region else "",
            "kind": kind,
            "regions": Region.choices,
            "kinds": ClinicKind.choices,
            "page": page,
            "query_string": urlencode(kept),
            # "Best rated in <region>", by adjusted score (reviews.views.best_clinics).
            "best": best_clinics(region),
        },
    )


@require_safe
def clinic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    clinic = active_clinic(slug)
    if clinic is None:
        raise Http404
    return render(
        request,
        "directory/clinic_detail.html",
        {
            "clinic": clinic,
            "physicians": clinic_physicians(clinic),
            "reviews": entry_reviews(request, clinic),
        },
    )


@require_safe
def physician_detail(request: HttpRequest, slug: str) -> HttpResponse:
    physician = active_physician(slug)
    if physician is None:
        raise Http404
    return render(
        request,
        "directory/physician_detail.html",
        {
            "physician": physician,
            "workplaces": physician_workplaces(physician),
            "reviews": entry_reviews(request, physician),
        },
    )
