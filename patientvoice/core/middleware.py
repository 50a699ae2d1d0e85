from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .fragments import CSRF_SLOT, fill_csrf

logger = logging.getLogger("patientvoice.request")


class RequestLogMiddleware:
    """Logs one structured line per request, with an id also sent as ``X-Request-ID``.

    Paths only: query strings can carry search terms about someone's health.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex[:16]
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        if response.status_code >= 400 or logger.isEnabledFor(logging.DEBUG):
            logger.info(
                "request",
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
        return response


class CsrfSlotMiddleware:
    """Puts the request's CSRF token into HTML that came from remembered fragments
    (core.fragments). Sits just inside CsrfViewMiddleware, so a token made here still
    gets its cookie."""

    slot = CSRF_SLOT.encode()

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            not response.streaming
            and not getattr(response, "csrf_filled", False)
            and response.get("Content-Type", "").startswith("text/html")
            and self.slot in response.content
        ):
            response.content = fill_csrf(request, response.content.decode()).encode()
        return response
