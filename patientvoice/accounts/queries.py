"""Reads about accounts that pages, the API and exports share."""

from __future__ import annotations

import threading
import time
from datetime import datetime

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

    No query in the common case: it reads ``user.consented_policy_version`` (kept by the
    consent actions) and the version in force, which each process remembers briefly."""
    current = current_policy_version()
    if current is None:
        return False  # no policy in force: nothing to consent to
    given = user.consented_policy_version
    return given is None or given < current


# How long a process trusts the version in force it last read. New versions arrive by
# migration at a deploy (which restarts the processes) or with a future effective date
# (which the memo knows about), so this only bounds the odd row added by hand.
POLICY_MEMO_SECONDS = 60.0
_policy_memo: tuple[int | None, float] | None = None
_policy_memo_lock = threading.Lock()


def current_policy_version() -> int | None:
    """The version number of the privacy notice in force now, remembered per process
    until the next scheduled version takes effect or for POLICY_MEMO_SECONDS."""
    global _policy_memo
    memo = _policy_memo
    clock = time.time()
    if memo is not None and clock < memo[1]:
        return memo[0]
    now = timezone.now()
    # A handful of rows ever (one per revision of the notice): one query, sorted here.
    schedule = PolicyVersion.objects.filter(kind=PolicyKind.PRIVACY).values_list(
        "version", "effective_at"
    )
    in_force = [version for version, effective_at in schedule if effective_at <= now]
    current = max(in_force) if in_force else None
    later = [effective_at for _, effective_at in schedule if effective_at > now]
    upcoming: datetime | None = min(later) if later else None
    until = clock + POLICY_MEMO_SECONDS
    if upcoming is not None:
        until = min(until, upcoming.timestamp())
    with _policy_memo_lock:
        _policy_memo = (current, until)
    return current


def forget_policy_version() -> None:
    """Drop this process's memo (a policy version was just saved here)."""
    global _policy_memo
    with _policy_memo_lock:
        _policy_memo = None


def consented_policy_version(user: User) -> int | None:
    """Recompute, from the ledger, what ``User.consented_policy_version`` holds."""
    state = consent_state(user)
    versions = []
    for purpose in REQUIRED_PURPOSES:
        record = state.get(purpose)
        if record is None or not record.granted:
            return None
        versions.append(record.policy.version)
    return min(versions) if versions else None
