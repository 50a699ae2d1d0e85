"""Who may do what with organisations.

Organisation pages are public. Managing an organisation's staff is for its
administrators (with their powers active: a session that passed two-step
verification) and for site staff.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import pgettext

from patientvoice.accounts.permissions import is_acting_staff, privileges_active

from .models import Organization, OrganizationStaff, StaffRole


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
