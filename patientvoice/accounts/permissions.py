"""Who may do what with accounts; MFA for privileged roles."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import pgettext

from .models import Audience, User


def has_mfa(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    from allauth.mfa.models import Authenticator

    return bool(
        Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        ).exists()
    )


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in person as a plain ``User``, for views behind ``login_required``
    and API endpoints behind authentication.

    ``request.user`` is a lazy proxy; writes get the object behind it (the publishing
    pipeline looks the model up from the instance)."""
    user = request.user
    assert isinstance(user, User)  # also loads the proxied user
    person = getattr(user, "_wrapped", user)
    assert isinstance(person, User)
    return person


def session_passed_mfa(request: HttpRequest) -> bool:
    """True when this session's login included a second factor (allauth's records)."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def recently_authenticated(request: HttpRequest) -> bool:
    """True when this session logged in or re-confirmed the password within
    ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` (allauth's records)."""
    import time

    from allauth.account import app_settings
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    if not records:
        return False
    last = max(float(record.get("at", 0)) for record in records)
    return bool(time.time() - last <= app_settings.REAUTHENTICATION_TIMEOUT)


def is_acting_staff(user: Any) -> bool:
    """Site staff with their powers active. A request's staff user who did not log in
    with a second factor, or who acts through an API token, is treated as a member
    (PrivilegeMiddleware and api.auth.TokenAuth set ``privileges_suspended``)."""
    return bool(getattr(user, "is_staff", False)) and not getattr(
        user, "privileges_suspended", False
    )


def privileges_active(user: Any) -> bool:
    """Privileged powers (site staff, moderation) apply only when the person has a
    second factor and, for a request, logged in with it. PrivilegeMiddleware marks
    the request's user; a user object outside a request is judged by MFA alone."""
    if getattr(user, "privileges_suspended", False):
        return False
    return has_mfa(user)


def check_mfa_for_privileged_role(user: User) -> None:
    """Raise unless ``user`` has a second factor; privileged roles need one."""
    if not has_mfa(user):
        raise PermissionDenied(
            pgettext(
                "mfa",
                "This role needs two-step verification. Turn it on under "
                "My account → Two-step verification first.",
            )
        )


def can_view_profile(viewer: Any, user: User) -> bool:
    if not user.is_active or user.erasure_pending:
        return False
    if getattr(viewer, "pk", None) == user.pk:
        return True
    if user.profile_audience == Audience.EVERYONE:
        return True
    if user.profile_audience == Audience.MEMBERS:
        return bool(getattr(viewer, "is_authenticated", False))
    return is_acting_staff(viewer)


def check_view_profile(viewer: Any, user: User) -> None:
    if not can_view_profile(viewer, user):
        raise Http404


def visible_users(viewer: Any, qs: QuerySet[User]) -> QuerySet[User]:
    """Profiles ``viewer`` may see listed."""
    qs = qs.filter(is_active=True, erasure_requested_at__isnull=True)
    if is_acting_staff(viewer):
        return qs
    audiences = [Audience.EVERYONE]
    if getattr(viewer, "is_authenticated", False):
        audiences.append(Audience.MEMBERS)
        return qs.filter(profile_audience__in=audiences) | qs.filter(pk=viewer.pk)
    return qs.filter(profile_audience__in=audiences)
