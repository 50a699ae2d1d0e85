"""Reads about advisers (decisions/0037): an organisation's advisers for its
administrators, a professional's own roles and invitations, and the communities a
public card names ("Adviser to …"), through the communities' visibility rule."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from patientvoice.communities.models import Community
from patientvoice.communities.permissions import visible_communities
from patientvoice.organizations.models import Organization

from .models import OPEN_ADVISER_STATUSES, AdviserRole, AdviserStatus, Credential


def organisation_advisers(organization: Organization) -> QuerySet[AdviserRole]:
    """For the organisation's administrators (the page checks): the adviser roles of
    the communities it hosts, open ones (active, then invited) first, newest first."""
    order = Case(
        When(status=AdviserStatus.ACTIVE, then=Value(0)),
        When(status=AdviserStatus.INVITED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        AdviserRole.objects.filter(  # visibility: the caller manages this organisation
            community__organization=organization
        )
        .select_related("community", "professional", "invited_by", "ended_by")
        .annotate(open_order=order)
        .order_by("open_order", "-created_at", "-id")
    )


def hosted_communities(user: Any, organization: Organization) -> QuerySet[Community]:
    """The communities ``organization`` hosts, as ``user`` (its administrator) may know
    them, by name: where they may invite advisers."""
    return visible_communities(user, Community.objects.filter(organization=organization)).order_by(
        "name"
    )


def own_adviser_roles(user: Any) -> QuerySet[AdviserRole]:
    """``user``'s open invitations and roles (invited first), with the community and
    the organisation hosting it."""
    if not getattr(user, "is_authenticated", False):
        return AdviserRole.objects.none()
    return (
        AdviserRole.objects.filter(professional_id=user.pk, status__in=OPEN_ADVISER_STATUSES)
        .select_related("community", "community__organization")
        .order_by("-status", "community__name", "id")
    )


def card_adviser_communities(viewer: Any, credential: Credential) -> list[Community]:
    """The communities the card's holder advises, those ``viewer`` may know exist
    (a private community stays unnamed to outsiders). One query."""
    advised = AdviserRole.objects.filter(
        professional_id=credential.user_id, status=AdviserStatus.ACTIVE
    ).values("community_id")
    return list(
        visible_communities(viewer, Community.objects.filter(pk__in=advised))
        .only("name", "slug", "language")
        .order_by("name")
    )
