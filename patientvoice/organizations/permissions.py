"""Who may do what with organisations.

Organisation pages are public. Editing an organisation's page and managing its staff
are for its administrators (with their powers active: a session that passed two-step
verification) and for site staff. Creating and verifying organisations is for site
staff alone, with their powers active, as in the Django admin. The hosting
organisation's administrators and moderators edit the guidelines of its communities.

A sponsor funds without control (2001/83/EC art. 88, decisions/0038): it hosts no
community, and its staff get no power over communities or content from working for it
(``OrganizationStaff.objects.with_powers()`` leaves them out everywhere a role grants
one). Sponsorships are recorded by site staff alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.accounts.permissions import is_acting_staff, privileges_active

from .models import Organization, OrganizationKind, OrganizationStaff, StaffRole

if TYPE_CHECKING:
    from patientvoice.communities.models import Community


def is_organization_admin(user: Any, organization: Organization) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return OrganizationStaff.objects.filter(
        organization=organization, user_id=user.pk, role=StaffRole.ADMIN
    ).exists()


def can_manage_staff(user: Any, organization: Organization) -> bool:
    if is_acting_staff(user):
        return True
    return is_organization_admin(user, organization) and privileges_active(user)


def check_manage_staff(user: Any, organization: Organization) -> None:
    if not can_manage_staff(user, organization):
        raise PermissionDenied(
            pgettext(
                "organisation",
                "Only the organisation's administrators can manage its staff, after logging "
                "in with two-step verification.",
            )
        )


def can_edit_organization(user: Any, organization: Organization) -> bool:
    """The page's text and logo: the same people who manage its staff."""
    return can_manage_staff(user, organization)


def check_edit_organization(user: Any, organization: Organization) -> None:
    if not can_edit_organization(user, organization):
        raise PermissionDenied(
            pgettext(
                "organisation",
                "Only the organisation's administrators can edit its page, after logging "
                "in with two-step verification.",
            )
        )


def can_administer_organizations(user: Any) -> bool:
    """Create and verify organisations: site staff whose session passed two-step
    verification and whose account has a second factor (as the Django admin asks)."""
    return is_acting_staff(user) and privileges_active(user)


def check_administer_organizations(user: Any) -> None:
    if not can_administer_organizations(user):
        raise PermissionDenied(
            pgettext(
                "organisation",
                "Only site staff, logged in with two-step verification, can do this.",
            )
        )


def is_organization_staff(user: Any, organization_id: int | None) -> bool:
    """Administrator or moderator of the organisation (whatever their session), with
    the powers such a role brings: never a sponsor's staff."""
    if organization_id is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        OrganizationStaff.objects.with_powers()
        .filter(organization_id=organization_id, user_id=user.pk)
        .exists()
    )


def can_host_communities(organization: Organization | None) -> bool:
    """Whether ``organization`` may host communities: any kind but a sponsor (a
    sponsor funds a community; it never runs one)."""
    return organization is None or organization.kind != OrganizationKind.SPONSOR


def check_can_host(organization: Organization | None) -> None:
    """``ValidationError`` (for forms, the admin and ``create_community``) when
    ``organization`` is a sponsor."""
    if not can_host_communities(organization):
        raise ValidationError(
            pgettext_lazy(
                "organisation",
                "A sponsor cannot host a community: it may fund one, but never run or "
                "moderate it. Record the funding on the funding page instead.",
            ),
            code="sponsor_cannot_host",
        )


def can_edit_guidelines(user: Any, community: Community) -> bool:
    """A community's guidelines: the hosting organisation's administrators and
    moderators with their powers active, and acting site staff. (The community's own
    moderators moderate posts; the rules are the organisation's.)"""
    if is_acting_staff(user):
        return True
    return is_organization_staff(user, community.organization_id) and privileges_active(user)


def check_edit_guidelines(user: Any, community: Community) -> None:
    """404 for those who may not know a private community exists (the community
    visibility rule); 403 for the rest who may not edit. The hosting organisation's
    staff know their communities."""
    from patientvoice.communities.permissions import check_community_exists_for

    if can_edit_guidelines(user, community):
        return
    check_community_exists_for(user, community)
    raise PermissionDenied(
        pgettext(
            "guidelines form",
            "Only the hosting organisation's administrators and moderators can change "
            "the guidelines, after logging in with two-step verification.",
        )
    )


def can_record_sponsorships(user: Any) -> bool:
    """Recording, ending and approving what sponsors fund and write: site staff with
    their powers active, never a sponsor."""
    return can_administer_organizations(user)
