"""Every write about advisers (issue 6, item 7; decisions/0037).

An organisation's administrators (powers active) invite a verified professional as
adviser to one or more communities the organisation hosts; the professional accepts
(acting as a professional: an active credential and a second factor) or declines; the
administrators end a role or take back an invitation. Each step is audited
(``professionals.adviser_*``); the professional is told of an invitation in the app and
by e-mail. An active adviser's queue shows the questions of the communities they
advise first. Advising gives no access: a members-only or private community's
questions reach an adviser only once they are a member.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.communities.models import Community
from patientvoice.core import audit
from patientvoice.organizations.models import Organization

from .actions import _notify
from .errors import (
    AdviserNotAProfessional,
    AdviserRoleClosed,
    AlreadyAdviser,
    CommunityNotHosted,
    NoCommunityChosen,
    ReasonRequired,
)
from .models import AdviserRole, AdviserStatus, NoticeKind
from .permissions import check_manage_advisers, check_professional
from .queries import credential_of


def _data(role: AdviserRole) -> dict[str, str]:
    organization = role.community.organization
    return {
        "community": role.community.slug,
        "organization": organization.slug if organization is not None else "",
    }


@transaction.atomic
def invite_adviser(
    *,
    admin: User,
    organization: Organization,
    professional: User,
    communities: Iterable[Community],
) -> list[AdviserRole]:
    """``admin`` invites ``professional`` to advise ``communities`` (all hosted by
    ``organization``). Communities where they are already invited or an adviser are
    left as they are.

    Refuses: ``PermissionDenied`` unless ``admin`` manages the organisation's advisers
    (``permissions.check_manage_advisers``), :class:`NoCommunityChosen`,
    :class:`CommunityNotHosted`, :class:`AdviserNotAProfessional` (no active
    credential now), :class:`AlreadyAdviser` (nothing new to invite to). Effects: one
    invitation per community, audited (``professionals.adviser_invited``); the
    professional told once, in the app and by e-mail."""
    check_manage_advisers(admin, organization)
    chosen = list(communities)
    if not chosen:
        raise NoCommunityChosen
    if any(community.organization_id != organization.pk for community in chosen):
        raise CommunityNotHosted
    credential = credential_of(professional)
    if not professional.is_active or credential is None or not credential.is_active():
        raise AdviserNotAProfessional
    made: list[AdviserRole] = []
    for community in sorted(chosen, key=lambda c: c.name):
        try:
            with transaction.atomic():
                role = AdviserRole.objects.create(
                    community=community, professional=professional, invited_by=admin
                )
        except IntegrityError:  # already invited or an adviser there (adviser_role_one_open)
            continue
        audit.record(
            actor=admin, action="professionals.adviser_invited", target=role, data=_data(role)
        )
        made.append(role)
    if not made:
        raise AlreadyAdviser
    names = ", ".join(role.community.name for role in made)
    _notify(professional, NoticeKind.ADVISER_INVITED, text=f"{organization.name}: {names}")
    return made


def _locked(role: AdviserRole, *statuses: str) -> AdviserRole:
    current = (
        AdviserRole.objects.select_for_update(of=("self",))
        .select_related("community", "community__organization")
        .get(pk=role.pk)
    )
    if current.status not in statuses:
        raise AdviserRoleClosed
    return current


def _answer(role: AdviserRole, professional: User, status: str) -> AdviserRole:
    if role.professional_id != professional.pk:
        raise AdviserRoleClosed
    current = _locked(role, AdviserStatus.INVITED)
    current.status = status
    current.responded_at = timezone.now()
    current.save(update_fields=["status", "responded_at", "updated_at"])
    verb = "accepted" if status == AdviserStatus.ACTIVE else "declined"
    audit.record(
        actor=professional,
        action=f"professionals.adviser_{verb}",
        target=current,
        data=_data(current),
    )
    return current


@transaction.atomic
def accept_adviser_role(*, professional: User, role: AdviserRole) -> AdviserRole:
    """The invited professional accepts. Refuses: ``NotAProfessional`` (a
    ``PermissionDenied``: no active credential, or no second factor in this session),
    :class:`AdviserRoleClosed` (answered, taken back, or not theirs). Audited."""
    check_professional(professional)
    return _answer(role, professional, AdviserStatus.ACTIVE)


@transaction.atomic
def decline_adviser_role(*, professional: User, role: AdviserRole) -> AdviserRole:
    """The invited professional declines (always allowed while it waits). Audited."""
    return _answer(role, professional, AdviserStatus.DECLINED)


@transaction.atomic
def end_adviser_role(*, admin: User, role: AdviserRole, reason: str = "") -> AdviserRole:
    """An administrator of the hosting organisation ends an adviser role, or takes back
    an invitation not answered yet, with an optional ``reason`` (kept, audited).

    Refuses: ``PermissionDenied`` unless ``admin`` manages the advisers of the
    organisation hosting the community, :class:`ReasonRequired` for a reason that is
    too long, :class:`AdviserRoleClosed`."""
    organization = role.community.organization
    if organization is None:
        raise AdviserRoleClosed
    check_manage_advisers(admin, organization)
    reason = reason.strip()
    if len(reason) > AdviserRole.MAX_REASON:
        raise ReasonRequired(limit=AdviserRole.MAX_REASON)
    current = _locked(role, AdviserStatus.INVITED, AdviserStatus.ACTIVE)
    was = current.status
    current.status = AdviserStatus.ENDED
    current.ended_at = timezone.now()
    current.ended_by = admin
    current.ended_reason = reason
    current.save(update_fields=["status", "ended_at", "ended_by", "ended_reason", "updated_at"])
    audit.record(
        actor=admin,
        action="professionals.adviser_ended",
        target=current,
        reason=reason,
        data={**_data(current), "was": was},
    )
    return current


def erase_adviser_roles(user: User) -> None:
    """At erasure (both modes): the person's adviser roles and invitations go (their
    audit entries stay, labelled by public id only)."""
    AdviserRole.objects.filter(professional=user).delete()
