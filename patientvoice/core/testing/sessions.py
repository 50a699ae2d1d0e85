"""Logging a test client in the way a person would be after allauth's login."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def _record_login(client: Any, user: Any, methods: list[dict[str, Any]]) -> None:
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )

    client.force_login(user)
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = methods
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def log_in_with_password(client: Any, user: Any) -> None:
    """Log in and confirm the password just now, as allauth records it, so pages and
    endpoints that need a recent password (API tokens, e-mail change) are allowed."""
    now = timezone.now().timestamp()
    _record_login(
        client,
        user,
        [
            {"method": "password", "at": now, "email": user.email},
            {"method": "password", "at": now, "reauthenticated": True},
        ],
    )


def log_in_with_mfa(client: Any, user: Any) -> None:
    """Log ``client`` in as after a password and a second factor, so privileged
    powers are active (accounts.middleware.PrivilegeMiddleware). Gives the person a
    TOTP authenticator if they have none."""
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
        )
    now = timezone.now().timestamp()
    _record_login(
        client,
        user,
        [
            {"method": "password", "at": now, "email": user.email},
            {"method": "mfa", "at": now, "id": user.pk, "type": "totp"},
        ],
    )


def log_in(client: Any, user: Any) -> None:
    """Log in as the person would: staff with their second factor, others with a
    password."""
    if getattr(user, "is_staff", False):
        log_in_with_mfa(client, user)
    else:
        client.force_login(user)
