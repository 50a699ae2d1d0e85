"""Designating and revoking trusted flaggers (DSA art. 22)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core import audit
from patientvoice.organizations.models import Organization

from ..models import TrustedFlagger
from ..permissions import check_manage_trusted_flaggers


@transaction.atomic
def designate_trusted_flagger(
    *, actor: User, organization: Organization, reason: str = ""
) -> TrustedFlagger:
    """Make ``organization`` a trusted flagger: reports by its staff go first in the
    queues from now on. Raises ``PermissionDenied`` unless ``actor`` is acting site
    staff. Designating an organisation that already is one returns its designation.
    Audited."""
    check_manage_trusted_flaggers(actor)
    active = TrustedFlagger.objects.filter(organization=organization, revoked_at__isnull=True)
    existing = active.first()
    if existing is not None:
        return existing
    designation = TrustedFlagger.objects.create(
        organization=organization, designated_by=actor, reason=reason.strip()
    )
    audit.record(
        actor=actor,
        action="moderation.trusted_flagger_designated",
        target=organization,
        reason=designation.reason,
    )
    return designation


@transaction.atomic
def revoke_trusted_flagger(*, actor: User, organization: Organization, reason: str = "") -> bool:
    """End ``organization``'s designation. Reports made before keep their place in the
    queue. Raises ``PermissionDenied`` unless ``actor`` is acting site staff. Returns
    whether there was a designation to end. Audited."""
    check_manage_trusted_flaggers(actor)
    now = timezone.now()
    ended = TrustedFlagger.objects.filter(
        organization=organization, revoked_at__isnull=True
    ).update(revoked_at=now, revoked_by=actor, updated_at=now)
    if ended:
        audit.record(
            actor=actor,
            action="moderation.trusted_flagger_revoked",
            target=organization,
            reason=reason.strip(),
        )
    return bool(ended)
