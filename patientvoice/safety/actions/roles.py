"""Giving and taking the safety officer role (decisions/0036). The role is the Django
group "safety officers"; staff can also change group membership in the Django admin,
whose user form refuses any group for someone without a second factor."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from patientvoice.accounts.models import User
from patientvoice.accounts.permissions import check_mfa_for_privileged_role
from patientvoice.core import audit

from ..permissions import SAFETY_OFFICER_GROUP, check_manage_safety_officers, forget_role


@transaction.atomic
def grant_safety_officer(*, actor: User, user: User) -> bool:
    """Make ``user`` a safety officer. Preconditions: ``actor`` is site staff with
    powers active; ``user`` has a second factor (the role needs it). Returns whether
    anything changed. Audited."""
    check_manage_safety_officers(actor)
    check_mfa_for_privileged_role(user)
    group, _ = Group.objects.get_or_create(name=SAFETY_OFFICER_GROUP)
    if user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.add(group)
    forget_role(user)
    audit.record(actor=actor, action="safety.officer_granted", target=user)
    return True


@transaction.atomic
def revoke_safety_officer(*, actor: User, user: User) -> bool:
    """Take the role away. Returns whether anything changed. Audited."""
    check_manage_safety_officers(actor)
    group = Group.objects.filter(name=SAFETY_OFFICER_GROUP).first()
    if group is None or not user.groups.filter(pk=group.pk).exists():
        return False
    user.groups.remove(group)
    forget_role(user)
    audit.record(actor=actor, action="safety.officer_revoked", target=user)
    return True
