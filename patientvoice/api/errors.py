"""One error shape for the whole API:

{"error": {"code": "not_found", "message": "…", "details": [...]}}
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import pgettext, pgettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

ERROR_MESSAGES = {
    400: ("bad_request", pgettext_lazy("api error", "The request could not be read.")),
    401: ("unauthenticated", pgettext_lazy("api error", "Log in, or send a valid access token.")),
    403: ("forbidden", pgettext_lazy("api error", "You may not do this.")),
    404: ("not_found", pgettext_lazy("api error", "Not found.")),
    405: ("method_not_allowed", pgettext_lazy("api error", "This method is not allowed here.")),
    413: (
        "too_large",
        pgettext_lazy("api error", "The upload is too large."),
    ),
    429: (
        "rate_limited",
        pgettext_lazy("api error", "Too many requests. Wait a moment and try again."),
    ),
    500: (
        "server_error",
        pgettext_lazy("api error", "Something went wrong on our side. Try again later."),
    ),
}


def error_body(code: str, message: str, details: list[Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


class ApiError(HttpError):
    def __init__(self, status_code: int, code: str, message: str, details: list[Any] | None = None):
        super().__init__(status_code, message)
        self.code = code
        self.details = details or []


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status_code, error_body(exc.code, exc.message, exc.details))

    @api.exception_handler(ValidationError)
    def _validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        details = [
            {"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": e.get("type")}
            for e in exc.errors
        ]
        message = pgettext("api error", "The request is not valid. See details.")
        return respond(request, 422, error_body("invalid", message, details))

    @api.exception_handler(DjangoValidationError)
    def _django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        message = pgettext("api error", "The request is not valid. See details.")
        return respond(request, 422, error_body("invalid", message, [str(m) for m in exc.messages]))

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = pgettext("api error", "Log in, or send a valid access token.")
        return respond(request, 401, error_body("unauthenticated", message))

    @api.exception_handler(Throttled)
    def _throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        message = pgettext("api error", "Too many requests. Wait a moment and try again.")
        response = respond(request, 429, error_body("rate_limited", message))
        if exc.wait:
            response["Retry-After"] = str(int(exc.wait))
        return response

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own messages ("Cannot parse request body") are English-only: use ours.
        code, message = ERROR_MESSAGES.get(exc.status_code, ("error", str(exc)))
        return respond(request, exc.status_code, error_body(code, str(message)))

    @api.exception_handler(Http404)
    def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body("not_found", pgettext("api error", "Not found.")))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or pgettext("api error", "You may not do this.")
        return respond(request, 403, error_body("forbidden", message))
