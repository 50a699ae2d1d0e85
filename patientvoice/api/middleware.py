from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from .errors import ERROR_MESSAGES, error_body


class ApiErrorShapeMiddleware:
    """Any error under /api/ that was not produced by our handlers (a 405 from the
    router, a CSRF failure, ...) is rewritten into the API's one error shape. HEAD is
    answered like GET, without the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        head = request.method == "HEAD" and request.path.startswith("/api/")
        if head:
            request.method = "GET"  # the router knows GET; HEAD is GET without a body
        response = self.get_response(request)
        if head:
            response.content = b""
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            code, message = ERROR_MESSAGES.get(response.status_code, ("error", ""))
            shaped = JsonResponse(error_body(code, str(message)), status=response.status_code)
            for header in ("Allow", "Retry-After"):
                if header in response:
                    shaped[header] = response[header]
            return shaped
        return response
