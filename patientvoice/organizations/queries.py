"""Reads for the organisations' pages that need more than their own models."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404

from patientvoice.communities.models import Community, CommunityGuidelines
from patientvoice.communities.permissions import visible_communities

from .permissions import can_edit_guidelines, check_edit_guidelines

GUIDELINES_VERSIONS_SHOWN = 50


@dataclass(frozen=True)
class GuidelinesForEditing:
    community: Community
    # Newest first, at most ``GUIDELINES_VERSIONS_SHOWN``.
    versions: list[CommunityGuidelines]

    @property
    def current(self) -> CommunityGuidelines | None:
        return self.versions[0] if self.versions else None


def access_guidelines_for_editing(
    user: Any, slug: str, *, limit: int = GUIDELINES_VERSIONS_SHOWN
) -> GuidelinesForEditing:
    """Fetch and authorise in one call: the community ``slug`` and its published
    guidelines, for someone who may edit them (``check_edit_guidelines``).

    The community goes through the visibility rule: someone who may not know it
    exists gets 404, whatever the slug (a private community's name is not confirmed
    by a 403). Its editors pass even when they may not read its content: the hosting
    organisation's staff know their communities (``can_edit_guidelines``)."""
    communities = Community.objects.select_related("organization").filter(slug=slug)
    community = visible_communities(user, communities).first()
    if community is None:
        community = communities.first()
        if community is None or not can_edit_guidelines(user, community):
            raise Http404
    check_edit_guidelines(user, community)
    versions = list(
        CommunityGuidelines.objects.filter(community=community)
        .select_related("published_by")
        .order_by("-version")[:limit]
    )
    return GuidelinesForEditing(community=community, versions=versions)
