"""Rate limits for the API: visitors per IP address, signed-in people per account.

ninja's own ``AnonRateThrottle``/``AuthRateThrottle`` decide by ``request.auth``. Our
public endpoints let visitors through with ``auth=True`` (see :func:`.auth.anonymous`),
so with those classes no visitor was ever limited by address, and every visitor shared
one bucket keyed by ``str(True)``: one busy client could lock all visitors out.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle


def _person_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)  # set by the session, or by TokenAuth
    if user is not None and user.is_authenticated:
        return int(user.pk)
    return None


class VisitorRateThrottle(SimpleRateThrottle):
    """Requests from nobody in particular, counted per IP address."""

    scope = "visitor"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if _person_id(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PersonRateThrottle(SimpleRateThrottle):
    """Requests from a signed-in person (session or token), counted per account."""

    scope = "person"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        person = _person_id(request)
        if person is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": person}
