"""The fence between working for a sponsor and holding powers (decisions/0038).

A sponsor funds without control (2001/83/EC art. 88): its staff never moderate,
curate, rank, pin or hide anything. ``OrganizationStaff.objects.with_powers()`` leaves
a sponsor's own roles out; this module closes the side doors, where one person would
hold both: a sponsor's employee made a community moderator or staff of an advocacy
organisation, or a moderator taken on as a sponsor's staff. Each refusal says why and
what to do; the actions that grant roles call these checks first.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import pgettext

from .models import OrganizationStaff


def works_for_a_sponsor(user: Any) -> bool:
    """From the database, not the labels' cache: a grant must see a role given a
    moment ago."""
    return OrganizationStaff.objects.of_sponsors().filter(user_id=user.pk).exists()


def holds_powers(user: Any) -> bool:
    """Whether ``user`` moderates a community, holds a role with powers in an
    organisation that is not a sponsor, or sits on the jury of a campaign whose results
    are not published yet (a juror ranks submissions)."""
    from patientvoice.campaigns.models import CampaignStatus, JuryMember
    from patientvoice.communities.models import Membership, MembershipRole

    if OrganizationStaff.objects.with_powers().filter(user_id=user.pk).exists():
        return True
    if Membership.objects.filter(user_id=user.pk, role=MembershipRole.MODERATOR).exists():
        return True
    return (
        JuryMember.objects.filter(user_id=user.pk)
        .exclude(campaign__status=CampaignStatus.PUBLISHED)
        .exists()
    )


def check_may_hold_powers(user: Any) -> None:
    """Before a role with powers (moderator, an advocacy organisation's staff, a
    campaign's jury)."""
    if works_for_a_sponsor(user):
        raise PermissionDenied(
            pgettext(
                "sponsor fence",
                "People who work for a sponsor cannot moderate or hold a role with powers "
                "over communities: a sponsor funds without control. End their sponsor role "
                "first.",
            )
        )


def check_may_join_sponsor(user: Any) -> None:
    """Before a role in a sponsor's staff."""
    if holds_powers(user):
        raise PermissionDenied(
            pgettext(
                "sponsor fence",
                "This person moderates or holds a role with powers over communities, so they "
                "cannot also work for a sponsor here. End those roles first.",
            )
        )
