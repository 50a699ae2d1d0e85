"""Opening communities and naming their moderators."""

from __future__ import annotations

from django.db import transaction

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import check_mfa_for_privileged_role
from patientvoice.core import audit
from patientvoice.core.slugs import free_slug
from patientvoice.organizations import sponsor_fence
from patientvoice.organizations.models import Organization
from patientvoice.organizations.permissions import check_can_host

from ..models import (
    Community,
    Membership,
    MembershipRole,
    Visibility,
)
from .membership import join_community


@transaction.atomic
def create_community(
    *,
    actor: User | None,
    name: str,
    slug: str = "",
    visibility: str = Visibility.PUBLIC,
    description: str = "",
    teaser: str = "",
    language: str = "sv",
    organization: Organization | None = None,
    join_questions: str = "",
    accepts_requests: bool = True,
) -> Community:
    """Open a community. Effects: the community exists with no members; audited.
    Without ``slug`` one is made from ``name`` that no other community uses. Refuses a
    sponsor as host (``ValidationError``: sponsors fund, never run; decisions/0038)."""
    check_can_host(organization)
    community = Community.objects.create(
        name=name,
        slug=slug or free_slug(Community, name, fallback="community"),
        visibility=visibility,
        description=description,
        teaser=teaser,
        language=language,
        organization=organization,
        join_questions=join_questions,
        accepts_requests=accepts_requests,
    )
    audit.record(actor=actor, action="communities.created", target=community)
    return community


@transaction.atomic
def make_moderator(*, actor: User | None, community: Community, user: User) -> Membership:
    """Make ``user`` a moderator. Raises PermissionDenied without a second factor, and
    for someone who works for a sponsor (decisions/0038)."""
    check_mfa_for_privileged_role(user)
    sponsor_fence.check_may_hold_powers(user)
    membership = join_community(user=user, community=community)
    membership.role = MembershipRole.MODERATOR
    membership.save(update_fields=["role", "updated_at"])
    audit.record(
        actor=actor, action="communities.moderator_added", target=community,
        data={"user": str(user.public_id)},
    )  # fmt: skip
    return membership
