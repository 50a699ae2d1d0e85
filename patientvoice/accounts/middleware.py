from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .permissions import session_passed_mfa
from .queries import needs_consent

# Pages a person must still reach while a consent or an erasure is pending.
EXEMPT_URL_NAMES = {
    "accounts:consent", "accounts:consent_withdraw", "accounts:data_export", "accounts:delete",
    "accounts:deleted", "accounts:erasure_pending", "account_logout", "privacy", "terms",
    "cookies", "accessibility", "contact", "crisis_help", "healthz", "robots_txt",
    "account_login", "account_confirm_email", "account_email_verification_sent",
    "mfa_authenticate", "account_reauthenticate",
    "notifications:unsubscribe",
}  # fmt: skip


class PreferredLanguageMiddleware:
    """Keep the language cookie in step with a signed-in person's preference, so
    un-prefixed links ("/") open in their language."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            preferred = getattr(user, "preferred_language", "")
            if preferred and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != preferred:
                response.set_cookie(
                    settings.LANGUAGE_COOKIE_NAME,
                    preferred,
                    max_age=settings.LANGUAGE_COOKIE_AGE,
                    secure=settings.LANGUAGE_COOKIE_SECURE,
                    samesite="Lax",
                    httponly=True,
                )
        return response


class PrivilegeMiddleware:
    """Suspends privileged powers (site staff, and the moderation roles that check
    ``privileges_active``) for a session that did not log in with a second factor.

    The flag lives on the request's user object only, never in the database."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user.privileges_suspended = not session_passed_mfa(request)
        return self.get_response(request)


class ConsentRequiredMiddleware:
    """Signed-in people without the current required consent are asked for it first;
    people whose erasure is pending are offered to cancel it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in EXEMPT_URL_NAMES or request.path.startswith(("/api/", "/static/", "/media/")):
            return None
        if getattr(user, "erasure_pending", False):
            return redirect("accounts:erasure_pending")
        # Checked on every request (one query), not cached in the session: consent
        # withdrawn on another device must stop processing here at once.
        if needs_consent(user):
            return redirect(f"{reverse('accounts:consent')}?{urlencode({'next': request.path})}")
        return None
