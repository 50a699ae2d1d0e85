"""Where organisations show community content: surfaces for
:mod:`patientvoice.core.testing.visibility`. Imported by that helper in tests only."""

from __future__ import annotations

from django.urls import reverse

from patientvoice.communities.models import Community
from patientvoice.core.testing.visibility import ListSurface, register


def _organization_page(community: Community) -> str:
    assert community.organization is not None
    return reverse("organizations:detail", kwargs={"slug": community.organization.slug})


def _api_organization(community: Community) -> str:
    assert community.organization is not None
    return reverse("api:get_organization", kwargs={"slug": community.organization.slug})


register(
    Community,
    ListSurface(
        "organizations.organization_page",
        url=_organization_page,
        markers=lambda c: [c.get_absolute_url()],
        applies=lambda c: c.organization_id is not None,
    ),
    # The API's organisation lists the communities it hosts, by slug.
    ListSurface(
        "api.organisation",
        url=_api_organization,
        markers=lambda c: [f'"{c.slug}"'],
        applies=lambda c: c.organization_id is not None,
    ),
)
