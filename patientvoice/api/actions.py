from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.core import audit

from .models import PersonalAccessToken

TOKEN_PREFIX = "pv_"  # noqa: S105 - a public prefix, not a secret


def hash_token(raw: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough (no dictionary to attack).
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_token(
    *, user: User, name: str, scope: str, lifetime_days: int = 90
) -> tuple[PersonalAccessToken, str]:
    """Create a token; returns it with the raw secret, which is shown once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name.strip()[:80],
        prefix=raw[:10],
        token_hash=hash_token(raw),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=max(1, min(lifetime_days, 365))),
    )
    audit.record(actor=user, action="api.token_created", target=token, data={"scope": scope})
    return token, raw


@transaction.atomic
def revoke_token(*, user: User, token: PersonalAccessToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit.record(actor=user, action="api.token_revoked", target=token)


def authenticate_token(raw: str) -> PersonalAccessToken | None:
    now = timezone.now()
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(
            token_hash=hash_token(raw),
            revoked_at__isnull=True,
            user__is_active=True,
            # Asking for erasure stops the account being used, by session or by token.
            user__erasure_requested_at__isnull=True,
        )
        .first()
    )
    if token is None or (token.expires_at and token.expires_at <= now):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke_all_tokens(*, user: User, reason: str) -> int:
    """Revoke every live token of ``user`` (after a password or second-factor change:
    a token must not outlive the credentials that created it)."""
    live = PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True)
    count = live.update(revoked_at=timezone.now())
    if count:
        audit.record(actor=user, action="api.tokens_revoked", target=user, reason=reason)
    return count


def revoke_tokens_on_credential_change(
    sender: object, request: object, user: User, **kwargs: object
) -> None:
    """Receiver for allauth's password_changed, password_reset and authenticator_removed."""
    revoke_all_tokens(user=user, reason="credentials changed")
