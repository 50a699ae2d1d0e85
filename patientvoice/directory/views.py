from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from patientvoice.communities.queries import tagged_communities, tagged_threads
from patientvoice.reviews.views import condition_ranking

from .models import Condition
from .queries import conditions_by_category

THREADS_PER_PAGE = 25


@require_safe
def condition_list(request: HttpRequest) -> HttpResponse:
    groups = conditions_by_category(get_language() or "sv")
    return render(request, "directory/condition_list.html", {"groups": groups})


@require_safe
def condition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Conditions are public reference data; what is tagged with one passes through the
    # visibility rule in tagged_communities/tagged_threads.
    condition = get_object_or_404(Condition, slug=slug)
    page = Paginator(tagged_threads(request.user, condition), THREADS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "directory/condition_detail.html",
        {
            "condition": condition,
            "synonyms": condition.synonyms(get_language()),
            "communities": tagged_communities(request.user, condition),
            "page": page,
            # "Medicines people used for <condition>", by adjusted score.
            "ranking": condition_ranking(condition),
        },
    )
