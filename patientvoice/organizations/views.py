from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from patientvoice.communities.models import Community
from patientvoice.communities.permissions import visible_communities

from .models import Organization


@require_safe
def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    communities = visible_communities(
        request.user, Community.objects.filter(organization=organization)
    )
    return render(
        request,
        "organizations/organization_detail.html",
        {"organization": organization, "communities": communities},
    )
