"""Reads about accounts that pages, the API and exports share."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .models import (
    REQUIRED_PURPOSES,
    ConsentPurpose,
    ConsentRecord,
    PolicyKind,
    PolicyVersion,
    User,
)


def person_by_handle(handle: str) -> User | None:
    """The person whose handle is ``handle`` or a look-alike of it. A handle with a NUL
    character cannot exist (and PostgreSQL refuses to compare with one)."""
    if "\x00" in handle:
        return None
    from .handles import canonical_handle

    return User.objects.filter(handle_canonical=canonical_handle(handle)).first()


def current_policy(kind: str = PolicyKind.PRIVACY) -> PolicyVersion | None:
    """The version in force now; one published ahead of its date waits for it."""
    return (
        PolicyVersion.objects.filter(kind=kind, effective_at__lte=timezone.now())
        .order_by("-version")
        .first()
    )


def consent_state(user: User) -> dict[str, ConsentRecord | None]:
    """The latest record per purpose (granted or withdrawn), or None if never asked."""
    latest = ConsentRecord.objects.filter(user=user, purpose=OuterRef("purpose")).order_by(
        "-at", "-id"
    )
    records = ConsentRecord.objects.filter(
        user=user, pk=Subquery(latest.values("pk")[:1])
    ).select_related("policy")
    state: dict[str, ConsentRecord | None] = {p.value: None for p in ConsentPurpose}
    for record in records:
        state[record.purpose] = record
    return state


def has_consent(user: User, purpose: str) -> bool:
    record = consent_state(user).get(purpose)
    return bool(record and record.granted)


def needs_consent(user: User) -> bool:
    """True when a required consent is missing, withdrawn, or given to an older policy.

    One query per required purpose (one today): it runs on every signed-in request."""
    current_version = (
        PolicyVersion.objects.filter(kind=PolicyKind.PRIVACY, effective_at__lte=timezone.now())
        .order_by("-version")
        .values("version")[:1]
    )
    for purpose in REQUIRED_PURPOSES:
        latest = (
            ConsentRecord.objects.filter(user_id=user.pk, purpose=purpose)
            .order_by("-at", "-id")
            .annotate(current_version=Subquery(current_version))
            .values("granted", "policy__version", "current_version")
            .first()
        )
        if latest is None:
            return current_policy() is not None
        if latest["current_version"] is None:
            continue  # no policy in force: nothing to consent to
        if not latest["granted"] or latest["policy__version"] < latest["current_version"]:
            return True
    return False
