from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import pgettext
from ninja.security import HttpBearer, SessionAuth

from patientvoice.accounts.queries import needs_consent

from .actions import authenticate_token
from .errors import ApiError
from .models import TokenScope

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Reachable without the current required consent: a person must be able to give it,
# see who they are, and take their data away.
CONSENT_EXEMPT_PATHS = frozenset({"/api/v1/me", "/api/v1/me/consents", "/api/v1/me/export"})


def check_consent(request: HttpRequest, user: Any) -> None:
    """The API follows the same rule as the pages: no current consent, no access."""
    if request.path.rstrip("/") in CONSENT_EXEMPT_PATHS:
        return
    if needs_consent(user):
        raise ApiError(
            403,
            "consent_required",
            pgettext(
                "api error",
                "Give your consent to the current privacy notice first "
                "(PUT /api/v1/me/consents or the consent page).",
            ),
        )


class TokenAuth(HttpBearer):
    """``Authorization: Bearer pv_…``. A read token may only read."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = authenticate_token(token)
        if found is None:
            return None
        if request.method not in SAFE_METHODS and found.scope != TokenScope.READ_WRITE:
            raise ApiError(
                403,
                "insufficient_scope",
                pgettext("api error", "This token may only read. Create a read-and-write token."),
            )
        if found.user.erasure_pending:
            return None
        check_consent(request, found.user)
        # A token never carries staff or moderation powers: those need a person in a
        # session that passed two-step verification.
        found.user.privileges_suspended = True
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class ActiveSessionAuth(SessionAuth):
    """The browser session; ninja checks CSRF for unsafe methods."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if user.is_authenticated and not getattr(user, "erasure_pending", False):
            check_consent(request, user)
            return user
        return None


def anonymous(request: HttpRequest) -> Any:
    """Last in the chain for public endpoints: everyone the earlier methods refused
    (no session, or a session whose account awaits erasure) reads as a visitor."""
    if request.headers.get("Authorization"):
        return None  # a credential was sent and refused: answer 401, not a visitor's view
    request.user = AnonymousUser()
    return True


token_or_session = [TokenAuth(), ActiveSessionAuth()]
# Public reads: a token or session narrows by that person, anyone else reads as a visitor.
optional_auth = [TokenAuth(), ActiveSessionAuth(), anonymous]
