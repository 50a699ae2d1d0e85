"""Invitations to members-only and private communities: made, used, revoked
(decisions/0026 for who may see a community; the model's docstring for the token)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core import audit

from ..models import Community, Invitation, Membership, Visibility
from .membership import join_community


class InvitationUnusable(Exception):
    """The invitation is revoked, expired, used up, or addressed to someone else. The
    pages answer 404, as for a token that never existed."""


def hash_token(token: str) -> str:
    """The stored form of an invitation token (``Invitation.hash_token``)."""
    return Invitation.hash_token(token)


def new_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def create_invitation(
    *,
    actor: User | None,
    community: Community,
    days: int = Invitation.DEFAULT_DAYS,
    max_uses: int = 1,
    invitee: User | None = None,
    token: str = "",
) -> tuple[Invitation, str]:
    """Make an invitation link to ``community``; returns it and its raw token, which
    is stored nowhere (show it once).

    Preconditions: the caller has checked that ``actor`` moderates the community
    (``permissions.can_moderate_community``; seed data passes ``actor=None``); the
    community is not public. Raises ``ValueError`` for ``days`` outside 1 to 90,
    ``max_uses`` outside 1 to 100, an ``invitee`` with more than one use, or an
    invitee who is a member already.

    Effects: the invitation, expiring after ``days``; audited. ``token`` is for seed
    data that must find its link again; leave it empty elsewhere."""
    if community.visibility == Visibility.PUBLIC:
        raise ValueError("A public community needs no invitation.")
    if not 1 <= days <= Invitation.MAX_DAYS:
        raise ValueError("An invitation lasts 1 to 90 days.")
    if not 1 <= max_uses <= Invitation.MAX_USES:
        raise ValueError("An invitation is used 1 to 100 times.")
    if invitee is not None:
        if max_uses != 1:
            raise ValueError("An invitation to one person is used once.")
        if Membership.objects.filter(community=community, user=invitee).exists():
            raise ValueError("They are a member already.")
    raw = token or new_token()
    invitation = Invitation.objects.create(
        community=community,
        created_by=actor if actor is not None and actor.pk else None,
        invitee=invitee,
        token_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=days),
        max_uses=max_uses,
    )
    data: dict[str, object] = {
        "invitation": str(invitation.public_id),
        "days": days,
        "max_uses": max_uses,
    }
    if invitee is not None:
        data["invitee"] = str(invitee.public_id)
    audit.record(actor=actor, action="communities.invitation_created", target=community, data=data)
    return invitation, raw


@transaction.atomic
def revoke_invitation(*, actor: User, invitation: Invitation) -> bool:
    """Stop an invitation from working. Preconditions: the caller has checked that
    ``actor`` moderates the community, or is the invitee declining it. Effects: the
    invitation is revoked (once; returns whether this call did it); audited."""
    now = timezone.now()
    revoked = Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
        revoked_at=now, updated_at=now
    )
    if revoked:
        invitation.revoked_at = now
        audit.record(
            actor=actor,
            action="communities.invitation_revoked",
            target=invitation.community,
            data={"invitation": str(invitation.public_id)},
        )
    return bool(revoked)


@transaction.atomic
def accept_invitation(*, user: User, invitation: Invitation) -> Membership:
    """``user`` joins the community through ``invitation``.

    Raises ``InvitationUnusable`` when the invitation is revoked, expired, used up, or
    addressed to someone else. A member already stays one and uses nothing.

    Effects: one use counted by a conditional UPDATE (``uses < max_uses``), so two
    people taking the last use at once cannot both get in; the person joins through
    ``join_community`` (they accept the guidelines before their first post, as
    everyone); audited."""
    if invitation.invitee_id is not None and invitation.invitee_id != user.pk:
        raise InvitationUnusable
    existing = Membership.objects.filter(community_id=invitation.community_id, user=user).first()
    if existing is not None:
        return existing
    now = timezone.now()
    counted = Invitation.objects.filter(
        pk=invitation.pk,
        revoked_at__isnull=True,
        expires_at__gt=now,
        uses__lt=F("max_uses"),
    ).update(uses=F("uses") + 1, updated_at=now)
    if not counted:
        raise InvitationUnusable
    membership = join_community(user=user, community=invitation.community)
    audit.record(
        actor=user,
        action="communities.invitation_used",
        target=invitation.community,
        data={"invitation": str(invitation.public_id)},
    )
    return membership
