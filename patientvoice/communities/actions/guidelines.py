"""Publishing a community's guidelines and accepting them."""

from __future__ import annotations

from django.db import transaction

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.core.markup import render_markdown

from ..models import (
    Community,
    CommunityGuidelines,
    GuidelinesAcceptance,
)


@transaction.atomic
def publish_guidelines(
    *, actor: User | None, community: Community, body: str
) -> CommunityGuidelines:
    """Publish ``body`` (Markdown) as the next version of the community's guidelines.
    Preconditions: the caller has checked that ``actor`` may manage the community (site
    staff in the admin, seed data with ``actor=None``); ``body`` is not blank.

    Effects: a new version numbered one above the latest, rendered by core.markup, and
    an audit entry; from then on everyone who posts there accepts it first. A body equal
    to the current version's publishes nothing and returns the current version, so
    nobody is asked to accept the same text twice."""
    body = body.strip()
    if not body:
        raise ValueError("Guidelines need a text.")
    # Lock the community row so two people publishing at once get consecutive versions
    # rather than one of them failing on the unique constraint.
    Community.objects.select_for_update().filter(pk=community.pk).values_list("pk").first()
    latest = CommunityGuidelines.objects.filter(community=community).order_by("-version").first()
    if latest is not None and latest.body == body:
        return latest
    guidelines = CommunityGuidelines.objects.create(
        community=community,
        version=(latest.version if latest is not None else 0) + 1,
        body=body,
        body_html=render_markdown(body),
        published_by=actor if actor is not None and actor.pk else None,
    )
    audit.record(
        actor=actor,
        action="communities.guidelines_published",
        target=community,
        data={"version": guidelines.version},
    )
    return guidelines


@transaction.atomic
def accept_guidelines(*, user: User, guidelines: CommunityGuidelines) -> GuidelinesAcceptance:
    """Record that ``user`` accepted this version of a community's guidelines.
    Idempotent: accepting the same version again keeps the first acceptance (and its
    time)."""
    acceptance, _created = GuidelinesAcceptance.objects.get_or_create(
        user=user, guidelines=guidelines
    )
    return acceptance
