"""Where campaigns and their submissions can be seen, for the visibility test helper
(core/testing/visibility.py): a campaign's landing page and the API's detail; a
submission's page, the gallery and the API's list of a campaign's submissions."""

from __future__ import annotations

from patientvoice.core.testing.visibility import DetailSurface, ListSurface, public_id_and, register

from .models import Campaign, Submission

API = "/api/v1"

_MARKERS = public_id_and("title")

register(
    Campaign,
    DetailSurface("campaigns.landing", url=lambda c: f"/sv/campaigns/{c.slug}/", markers=_MARKERS),
    DetailSurface(
        "campaigns.api_detail", url=lambda c: f"{API}/campaigns/{c.slug}", markers=_MARKERS
    ),
    ListSurface("campaigns.list", url=lambda c: "/sv/campaigns/", markers=_MARKERS),
    ListSurface("campaigns.api_list", url=lambda c: f"{API}/campaigns?limit=100", markers=_MARKERS),
)

register(
    Submission,
    DetailSurface(
        "campaigns.submission_page",
        url=lambda s: f"/sv/campaigns/{s.campaign.slug}/s/{s.public_id}/",
    ),
    ListSurface(
        "campaigns.gallery",
        url=lambda s: f"/sv/campaigns/{s.campaign.slug}/gallery/",
        markers=_MARKERS,
        exhaustive=False,  # approved submissions only
    ),
    ListSurface(
        "campaigns.api_submissions",
        url=lambda s: f"{API}/campaigns/{s.campaign.slug}/submissions?limit=100",
        markers=_MARKERS,
        exhaustive=False,  # approved submissions only
    ),
)
