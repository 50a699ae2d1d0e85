"""Logging a test client in the way a person would be after allauth's login."""

from __future__ import annotations

from typing import Any

from django.utils import timezone


def log_in_with_mfa(client: Any, user: Any) -> None:
    """Log ``client`` in as after a password and a second factor, so privileged
    powers are active (accounts.middleware.PrivilegeMiddleware). Gives the person a
    TOTP authenticator if they have none."""
    from allauth.account.internal.flows.login import (
        _AUTHENTICATION_METHODS_USER_SESSION_KEY,
        AUTHENTICATION_METHODS_SESSION_KEY,
    )
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        Authenticator.objects.create(
            user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
        )
    client.force_login(user)
    session = client.session
    now = timezone.now().timestamp()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": user.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def log_in(client: Any, user: Any) -> None:
    """Log in as the person would: staff with their second factor, others with a
    password."""
    if getattr(user, "is_staff", False):
        log_in_with_mfa(client, user)
    else:
        client.force_login(user)
