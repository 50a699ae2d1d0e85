"""Who may claim, reply to and dispute reviews (decisions/0032), and what each person
sees of claims, replies and disputes (the visibility rule for the provider's voice).

* A **reply** is public once published; its author also sees it while held or hidden;
  a removed reply is seen by staff only. It is shown under its review, so a reader
  must be able to see the review too.
* A **claim** is seen by the member who made it and by site staff.
* A **dispute** is seen by the provider who made it, the reviewer whose review it is
  about (the question asked of them), and site staff.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import pgettext

from patientvoice.accounts.permissions import is_acting_staff, privileges_active
from patientvoice.core.models import ContentStatus

from .errors import NotAProvider, NotTheReviewer, ReplyNotEditable
from .models import (
    ClaimStatus,
    Kind,
    ProviderClaim,
    Review,
    ReviewDispute,
    ReviewReply,
)
from .permissions import visible_reviews


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- claims -------------------------------------------------------------------------------


def visible_claims(user: Any, qs: QuerySet[ProviderClaim]) -> QuerySet[ProviderClaim]:
    if is_acting_staff(user):
        return qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(user_id=user.pk)


def check_decide_claims(user: Any) -> None:
    """Site staff with their powers active (a second factor, and a session that used it)."""
    if not (is_acting_staff(user) and privileges_active(user)):
        raise PermissionDenied(
            pgettext(
                "claim error",
                "Only site staff, logged in with two-step verification, decide claims.",
            )
        )


def entry_filter(entry: Any) -> dict[str, Any]:
    """``{"physician": entry}`` or ``{"clinic": entry}``; ``Http404`` for a medicine
    (medicines are not claimed: their makers have no voice on reviews)."""
    from patientvoice.directory.models import Clinic, Physician

    if isinstance(entry, Physician):
        return {"physician": entry}
    if isinstance(entry, Clinic):
        return {"clinic": entry}
    raise Http404


def approved_claim_for(user: Any, review_or_kind: Any, entry_id: int | None = None) -> Any:
    """``user``'s approved claim on the entry of ``review`` (or of kind and entry id),
    or ``None``. One query, none for visitors or medicines."""
    if isinstance(review_or_kind, Review):
        kind, entry_id = review_or_kind.kind, review_or_kind.entry_id
    else:
        kind = review_or_kind
    if not _signed_in(user) or kind == Kind.MEDICINE or entry_id is None:
        return None
    return ProviderClaim.objects.filter(
        user_id=user.pk, status=ClaimStatus.APPROVED, **{f"{kind}_id": entry_id}
    ).first()


# --- replies ------------------------------------------------------------------------------


def visible_replies(user: Any, qs: QuerySet[ReviewReply]) -> QuerySet[ReviewReply]:
    """``qs`` narrowed to the replies ``user`` may see: published ones under reviews
    they may see, and their own held or hidden ones; staff everything."""
    if is_acting_staff(user):
        return qs
    reviews = visible_reviews(user, Review.objects.all())
    qs = qs.filter(review__in=reviews)
    published = Q(status=ContentStatus.PUBLISHED)
    if not _signed_in(user):
        return qs.filter(published)
    own = Q(author_id=user.pk) & ~Q(status=ContentStatus.REMOVED)
    return qs.filter(published | own)


def reply_is_shown_to(user: Any, reply: ReviewReply) -> bool:
    """The same rule for one reply already in hand (the review card; no query)."""
    if reply.status == ContentStatus.PUBLISHED:
        return True
    if is_acting_staff(user):
        return True
    return _signed_in(user) and reply.author_id == user.pk and reply.status != ContentStatus.REMOVED


def check_reply(user: Any, review: Review) -> Any:
    """Raises unless ``user`` may reply to ``review``: ``PermissionDenied`` for a
    visitor, ``Http404`` for a review they cannot see or that is not published,
    ``NotAProvider`` without an approved claim on the reviewed entry. Returns the
    claim."""
    if not _signed_in(user):
        raise PermissionDenied
    if review.status != ContentStatus.PUBLISHED:
        raise Http404
    claim = approved_claim_for(user, review)
    if claim is None:
        raise NotAProvider
    return claim


def check_edit_reply(user: Any, reply: ReviewReply) -> Any:
    """The reply's author, still holding an approved claim on the entry, while the
    reply is not hidden or removed. Returns the claim."""
    if not _signed_in(user) or reply.author_id != user.pk:
        raise Http404
    if reply.status == ContentStatus.REMOVED:
        raise Http404
    if reply.status == ContentStatus.HIDDEN:
        raise ReplyNotEditable
    claim = approved_claim_for(user, reply.review)
    if claim is None:
        raise NotAProvider
    return claim


def check_reviewer(user: Any, reply: ReviewReply) -> None:
    """Only the review's author answers "this reply helped" and "a change was made",
    and only about a published reply."""
    if not _signed_in(user) or reply.status != ContentStatus.PUBLISHED:
        raise Http404
    if reply.review.author_id != user.pk:
        raise NotTheReviewer


# --- disputes -----------------------------------------------------------------------------


def visible_disputes(user: Any, qs: QuerySet[ReviewDispute]) -> QuerySet[ReviewDispute]:
    if is_acting_staff(user):
        return qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(Q(provider_id=user.pk) | Q(review__author_id=user.pk))


def check_dispute(user: Any, review: Review) -> Any:
    """The same rule as replying: a published review, an approved claim."""
    return check_reply(user, review)
