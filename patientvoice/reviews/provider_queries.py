"""Reads of the provider's voice shared by pages, the API and the header: claims for
staff (pending, approved, decided), who speaks for an entry, and a member's review
notices and their unread count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from .models import ClaimStatus, ProviderClaim, ReviewNotice
from .provider_permissions import entry_filter, visible_claims

CACHE_SECONDS = 15 * 60


# The staff's claims page and API list, by what they show: waiting for a decision,
# approved (and revocable), or decided otherwise (rejected or revoked: the record).
CLAIM_FILTERS: dict[str, tuple[str, ...]] = {
    "pending": (ClaimStatus.PENDING,),
    "approved": (ClaimStatus.APPROVED,),
    "decided": (ClaimStatus.REJECTED, ClaimStatus.REVOKED),
}
DEFAULT_CLAIM_FILTER = "pending"


def claims_for_staff(user: Any, show: str = DEFAULT_CLAIM_FILTER) -> QuerySet[ProviderClaim]:
    """The claims ``user`` may see in one of ``CLAIM_FILTERS`` (an unknown filter is the
    default): the pending ones oldest first (the queue), the others by their latest
    decision; with the claimant, the entry and who decided (one query)."""
    statuses = CLAIM_FILTERS.get(show, CLAIM_FILTERS[DEFAULT_CLAIM_FILTER])
    order = ("created_at", "id") if statuses == CLAIM_FILTERS["pending"] else ("-decided_at", "-id")
    return visible_claims(
        user,
        ProviderClaim.objects.filter(status__in=statuses)
        .select_related("user", "physician", "clinic", "decided_by")
        .order_by(*order),
    )


def pending_claims(user: Any) -> QuerySet[ProviderClaim]:
    """The claims waiting for staff, oldest first, with what the list shows (one query)."""
    return claims_for_staff(user, "pending")


@dataclass(frozen=True)
class EntryVoice:
    """What an entry's page says about who speaks for it: the approved claims (their
    roles), and the reader's own pending or approved claim."""

    approved: list[ProviderClaim]
    own: ProviderClaim | None

    @property
    def claimed(self) -> bool:
        return bool(self.approved)

    @property
    def own_pending(self) -> bool:
        return self.own is not None and self.own.status == ClaimStatus.PENDING

    @property
    def own_approved(self) -> bool:
        return self.own is not None and self.own.status == ClaimStatus.APPROVED


def entry_voice(user: Any, entry: Any) -> EntryVoice:
    """One query: the entry's approved claims and the reader's own live claim."""
    where = entry_filter(entry)
    mine = Q(pk__in=[])
    if getattr(user, "is_authenticated", False):
        mine = Q(user_id=user.pk, status=ClaimStatus.PENDING)
    rows = list(
        ProviderClaim.objects.filter(**where)
        .filter(Q(status=ClaimStatus.APPROVED) | mine)
        .order_by("created_at", "id")
    )
    approved = [row for row in rows if row.status == ClaimStatus.APPROVED]
    user_id = getattr(user, "pk", None)
    own = next((row for row in approved if row.user_id == user_id), None) or next(
        (row for row in rows if row.status == ClaimStatus.PENDING), None
    )
    return EntryVoice(approved=approved, own=own)


def review_notices(user: Any) -> QuerySet[ReviewNotice]:
    """The person's own notices, newest first, with the review, its entry, the claim's
    entry and the dispute (one query)."""
    if not getattr(user, "is_authenticated", False):
        return ReviewNotice.objects.none()
    return (
        ReviewNotice.objects.filter(recipient_id=user.pk)
        .select_related(
            "review__medicine",
            "review__physician",
            "review__clinic",
            "claim__physician",
            "claim__clinic",
            "dispute",
        )
        .order_by("-created_at", "-id")
    )
