"""Reads about professionals that pages, the API, the badge and later parts share.

The two questions later parts ask (decisions/0033):

* ``credential_of(user)``: the person's current credential (active or expired), or
  ``None``. Cached per person (invalidated after commit by every action that changes
  it) and remembered on the user object for the request: no query when warm.
  ``credential.is_active()`` is computed when asked, so a cached credential never
  outlives its expiry.
* ``active_credentials(user_ids)``: ``{user_id: Credential}`` for the active ones among
  a page of authors, in one query on a partial index.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Now

from .models import Credential, ProfessionalNotice, RequestStatus, VerificationRequest
from .permissions import (
    VERIFIER_GROUP,
    active_q,
    visible_cards,
    visible_credentials,
    visible_requests,
)

CACHE_SECONDS = 600
_MEMO = "_pv_credential"
_NONE: dict[str, Any] = {}


def credential_cache_key(user_id: int) -> str:
    return f"pv:professionals:credential:{user_id}"


def forget_credential(user_id: int) -> None:
    """Drop the cached credential of a person (call after commit)."""
    cache.delete(credential_cache_key(user_id))


def _current(user_id: int) -> dict[str, Any]:
    values = (
        Credential.objects.filter(  # visibility: the person's own, for the badge rule
            user_id=user_id, revoked_at__isnull=True, superseded_at__isnull=True
        )
        .values()
        .first()
    )
    return dict(values) if values else _NONE


def credential_of(user: Any) -> Credential | None:
    """The current credential of ``user`` (active or expired), or ``None``."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return None
    if hasattr(user, _MEMO):
        memo: Credential | None = getattr(user, _MEMO)
        return memo
    key = credential_cache_key(user.pk)
    values = cache.get(key)
    if values is None:
        values = _current(user.pk)
        cache.set(key, values, CACHE_SECONDS)
    credential = Credential(**values) if values else None
    setattr(user, _MEMO, credential)
    return credential


def is_verified_professional(user: Any) -> bool:
    credential = credential_of(user)
    return credential is not None and credential.is_active()


def active_credentials(
    user_ids: Iterable[int | None], *, now: datetime | None = None
) -> dict[int, Credential]:
    """The active credentials among ``user_ids`` (``None`` ignored), by user id: one
    query, none for an empty list. Public data (the badge)."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return {}
    rows = Credential.objects.filter(active_q(now), user_id__in=ids).only(
        *BADGE_FIELDS
    )  # visibility: active only
    return {row.user_id: row for row in rows}


def latest_credential(user: Any) -> Credential | None:
    """The person's newest credential in any state (to say why they may not act)."""
    return (
        visible_credentials(user, Credential.objects.filter(user_id=user.pk))
        .order_by("-verified_at", "-id")
        .first()
    )


def own_requests(user: Any) -> QuerySet[VerificationRequest]:
    """The person's applications, newest first."""
    return visible_requests(
        user, VerificationRequest.objects.filter(applicant_id=user.pk)
    ).order_by("-created_at", "-id")


def applicant_requests(user: Any, applicant_id: int) -> QuerySet[VerificationRequest]:
    """An applicant's requests as ``user`` may see them (verifiers: all), newest first."""
    return visible_requests(
        user, VerificationRequest.objects.filter(applicant_id=applicant_id)
    ).order_by("-created_at", "-id")


def latest_request(user: Any) -> VerificationRequest | None:
    return own_requests(user).first()


def pending_request(user: Any) -> VerificationRequest | None:
    return own_requests(user).filter(status=RequestStatus.PENDING).first()


def verification_queue(
    user: Any, status: str = RequestStatus.PENDING
) -> QuerySet[VerificationRequest]:
    """For verifiers: requests in ``status``, the oldest waiting first (decided ones
    newest first), with their applicants."""
    qs = visible_requests(user, VerificationRequest.objects.filter(status=status))
    order = ["created_at", "id"] if status == RequestStatus.PENDING else ["-decided_at", "-id"]
    return qs.select_related("applicant").order_by(*order)


def credentials_for_staff(user: Any) -> QuerySet[Credential]:
    """For verifiers and staff: the current credentials, soonest to expire first."""
    return (
        visible_credentials(
            user, Credential.objects.filter(revoked_at__isnull=True, superseded_at__isnull=True)
        )
        .select_related("user")
        .order_by("expires_at", "id")
    )


def notices_for(user: Any) -> QuerySet[ProfessionalNotice]:
    if not getattr(user, "is_authenticated", False):
        return ProfessionalNotice.objects.none()
    return ProfessionalNotice.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")


def credential_by_handle(viewer: Any, handle: str) -> Credential | None:
    """The active credential of the person with ``handle``, if ``viewer`` may see
    their profile; ``None`` otherwise."""
    from patientvoice.accounts.permissions import can_view_profile
    from patientvoice.accounts.queries import person_by_handle

    person = person_by_handle(handle)
    if person is None or not can_view_profile(viewer, person):
        return None
    credential = credential_of(person)
    if credential is None or not credential.is_active():
        return None
    credential.user = person
    return credential


def successor_card(public_id: UUID | str) -> Credential | None:
    """The holder's active card when ``public_id`` names a credential that a
    re-confirmation replaced (links in older pages keep working); ``None`` otherwise.
    One query."""
    replaced = Credential.objects.filter(  # visibility: only its holder's id is read
        public_id=public_id, superseded_at__isnull=False
    ).values("user_id")
    return visible_cards(Credential.objects.filter(user_id__in=Subquery(replaced))).first()


@dataclass(frozen=True)
class AccountLinks:
    """What the account page links to: the person's verification page ("Your
    verification" once they have applied or hold a credential, "Become a verified
    professional" before) and, for holders of the verifier role, the queue."""

    has_applied: bool = False
    is_verifier: bool = False


def account_links(user: Any) -> AccountLinks:
    """:class:`AccountLinks` for ``user`` in one query. The verifier link follows the
    role, not its powers: the queue itself says when a two-step login is needed."""
    if not getattr(user, "is_authenticated", False) or user.pk is None:
        return AccountLinks()
    own_requests = VerificationRequest.objects.filter(  # visibility: the person's own, yes/no
        applicant_id=OuterRef("pk")
    )
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(
            applied=Exists(own_requests),
            credentialed=Exists(Credential.objects.filter(user_id=OuterRef("pk"))),
            verifier=Exists(Group.objects.filter(user=OuterRef("pk"), name=VERIFIER_GROUP)),
        )
        .first()
    )
    if row is None:
        return AccountLinks()
    return AccountLinks(
        has_applied=bool(row["applied"] or row["credentialed"]),
        is_verifier=bool(getattr(user, "is_staff", False) or row["verifier"]),
    )


def active_credential_id(user_ref: Any) -> Subquery:
    """An SQL expression: the id of the active credential of the user ``user_ref``
    names (an ``OuterRef``), or NULL. For hot pages that read it with their own rows
    (``communities.rendering``): "now" is the database's clock, so the query stays
    the same whatever the time. A credential's badge never changes (a renewal is a new
    credential), so the id is all a remembered fragment needs in its key."""
    current = Credential.objects.filter(  # visibility: active only (public badge data)
        user_id=user_ref,
        revoked_at__isnull=True,
        superseded_at__isnull=True,
        expires_at__gt=Now(),
    )
    return Subquery(current.values("pk")[:1])


def credentials_by_id(ids: Iterable[int]) -> dict[int, Credential]:
    """The credentials with ``ids`` (found active by ``active_credential_id`` in the
    same request), by user id, as ``active_credentials`` gives them: one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = Credential.objects.filter(pk__in=wanted).only(  # visibility: ids found active
        *BADGE_FIELDS
    )
    return {row.user_id: row for row in rows}


# What the badge shows (templatetags.professionals.badge_html) and is_active reads.
BADGE_FIELDS = (
    "public_id", "user_id", "profession", "country", "profession_text", "specialty",
    "real_name", "shows_real_name", "verified_at", "expires_at", "revoked_at", "superseded_at",
)  # fmt: skip
