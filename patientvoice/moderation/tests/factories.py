"""Moderators, organisation staff and cases, made through the real actions."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator

from patientvoice.accounts.models import User
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Community
from patientvoice.communities.tests.factories import (
    PHONE_BODY,
    CommunityFactory,
    OrganizationFactory,
    PostFactory,
    StaffFactory,
    ThreadFactory,
    UserFactory,
)
from patientvoice.moderation import actions
from patientvoice.moderation.models import Case, Report
from patientvoice.organizations import actions as organization_actions
from patientvoice.organizations.models import Organization, StaffRole

__all__ = [
    "PHONE_BODY",
    "CommunityFactory",
    "OrganizationFactory",
    "PostFactory",
    "StaffFactory",
    "ThreadFactory",
    "UserFactory",
    "community_moderator",
    "flagged",
    "organization_staff",
    "with_second_factor",
]


def with_second_factor(user: User) -> User:
    """Give ``user`` a TOTP authenticator: privileged roles and powers need one."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )
    return user


def community_moderator(community: Community, **kwargs: Any) -> User:
    person = with_second_factor(UserFactory.create(**kwargs))
    community_actions.make_moderator(actor=None, community=community, user=person)
    return person


def organization_staff(
    organization: Organization, role: str = StaffRole.MODERATOR, **kwargs: Any
) -> User:
    person = with_second_factor(UserFactory.create(**kwargs))
    organization_actions.add_staff(actor=None, organization=organization, user=person, role=role)
    person.refresh_from_db()
    return person


def flagged(obj: Any, *, by: User | None = None, reason: str = "spam", **kwargs: Any) -> Case:
    """A case about ``obj`` (a post or a profile), opened by a flag from ``by`` (a new
    member of the post's community when not given)."""
    kind = "profile" if isinstance(obj, User) else "post"
    if by is None:
        by = UserFactory.create()
        if kind == "post":
            community_actions.join_community(user=by, community=obj.community)
    report: Report = actions.flag(reporter=by, kind=kind, obj=obj, reason=reason, **kwargs)
    return report.case
