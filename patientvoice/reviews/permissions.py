"""Who sees reviews, who may review what (the visibility rule for reviews).

Reviews are site-wide: a published review is public. Its author also sees it while it
is held or hidden (with the reason); a removed review is seen by staff only. Site staff
(powers active) see everything. Summaries count published reviews only, so they are
public as they are.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from patientvoice.accounts.permissions import is_acting_staff
from patientvoice.core.models import ContentStatus
from patientvoice.directory.models import Clinic, Medicine, Physician
from patientvoice.moderation.permissions import check_may_post
from patientvoice.organizations.models import OrganizationStaff

from .dimensions import kind_for_entry
from .errors import ConflictKnown, ReviewExists, ReviewNotEditable
from .models import ClaimStatus, ProviderClaim, Review


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def visible_reviews(user: Any, qs: QuerySet[Review]) -> QuerySet[Review]:
    """``qs`` narrowed to the reviews ``user`` may see."""
    if is_acting_staff(user):
        return qs
    published = Q(status=ContentStatus.PUBLISHED)
    if not _signed_in(user):
        return qs.filter(published)
    own = Q(author_id=user.pk) & ~Q(status=ContentStatus.REMOVED)
    return qs.filter(published | own)


def access_review(user: Any, public_id: Any) -> Review:
    """The review with ``public_id`` if ``user`` may see it, else ``Http404``."""
    review = (
        visible_reviews(user, Review.objects.filter(public_id=public_id))
        .select_related("author", "medicine", "physician", "clinic", "condition")
        .first()
    )
    if review is None:
        raise Http404
    return review


def known_conflict(user: Any, entry: Any) -> bool:
    """Whether we know ``user`` has a conflict of interest with ``entry``.

    The one place the rules join:

    * staff of an organisation that makes or markets a medicine
      (``Medicine.holder_organisations``) may not rate it, whatever their role (no
      query for people without any organisation role);
    * a member with an approved provider claim (decisions/0032) may not rate the
      claimed physician or clinic, nor a claimed physician's workplaces, nor a
      claimed clinic's physicians (one query).
    """
    if not _signed_in(user):
        return False
    if isinstance(entry, Medicine):
        if not getattr(user, "holds_organization_role", False):
            return False
        return OrganizationStaff.objects.filter(
            user_id=user.pk, organization__medicines_held=entry
        ).exists()
    if isinstance(entry, Physician):
        ties = Q(physician=entry) | Q(clinic__physicians=entry)
    elif isinstance(entry, Clinic):
        ties = Q(clinic=entry) | Q(physician__workplaces=entry)
    else:
        return False
    return ProviderClaim.objects.filter(ties, user_id=user.pk, status=ClaimStatus.APPROVED).exists()


def own_review_of(user: Any, entry: Any) -> Review | None:
    """``user``'s review of ``entry`` in any state (one per member per entry)."""
    if not _signed_in(user):
        return None
    kind = kind_for_entry(entry)
    return Review.objects.filter(author_id=user.pk, **{kind.entry_field: entry}).first()


def check_can_review(user: Any, entry: Any) -> None:
    """Raises unless ``user`` may write a review of ``entry``: ``PermissionDenied`` for a
    visitor, ``MemberSanctioned`` for a suspended or banned member, ``ConflictKnown``,
    ``ReviewExists`` (with their review) when they reviewed it already."""
    if not _signed_in(user):
        raise PermissionDenied
    check_may_post(user, None)
    if known_conflict(user, entry):
        raise ConflictKnown.for_entry(entry)
    existing = own_review_of(user, entry)
    if existing is not None:
        raise ReviewExists(existing)


def can_review(user: Any, entry: Any) -> bool:
    try:
        check_can_review(user, entry)
    except (PermissionDenied, ConflictKnown, ReviewExists):
        return False
    return True


def can_edit_review(user: Any, review: Review) -> bool:
    """The author, while the review is published or held (not hidden or removed)."""
    return (
        _signed_in(user)
        and review.author_id == user.pk
        and review.status in (ContentStatus.PUBLISHED, ContentStatus.HELD)
    )


def check_edit_review(user: Any, review: Review) -> None:
    """``Http404`` for anyone but the author (or a removed review), ``ReviewNotEditable``
    for a hidden one."""
    if not _signed_in(user) or review.author_id != user.pk:
        raise Http404
    if review.status == ContentStatus.REMOVED:
        raise Http404
    if review.status == ContentStatus.HIDDEN:
        raise ReviewNotEditable


def check_withdraw_review(user: Any, review: Review) -> None:
    """Authors delete their own review in any state they can see (not removed)."""
    if not _signed_in(user) or review.author_id != user.pk:
        raise Http404
    if review.status == ContentStatus.REMOVED:
        raise Http404
