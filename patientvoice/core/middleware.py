from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag

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


class MethodNotAllowedPageMiddleware:
    """A page, not a blank screen, for an address opened that only takes a form.

    Views that only take a POST (``require_POST``) answer other methods with an empty
    405. A person meets one by switching language on a page that answered a refused form
    (the language link keeps the form's address) or by reloading an old tab. They get
    a page in their language that says what happened and links one level up, which is
    where such forms live; the status and the ``Allow`` header stay as they were. The
    API answers in its own shape (``api.middleware``) and is left alone.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or request.method not in ("GET", "HEAD")
            or getattr(response, "streaming", False)
            or response.content
            or request.path.startswith("/api/")
        ):
            return response
        from django.template.loader import render_to_string

        up = request.path.rstrip("/").rsplit("/", 1)[0] + "/"
        page = HttpResponse(render_to_string("405.html", {"up": up}, request=request), status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page


class UploadSizeMiddleware:
    """Refuse a request body larger than ``PV_MAX_UPLOAD_BYTES`` (413) before anything
    reads it: Django would otherwise write a file upload of any size to a temporary
    file before a view could check it. Each upload has its own, smaller limit in its
    form; this is the ceiling (the largest is a campaign video). Behind a proxy, set the
    proxy's body limit to match (docs/deploy.md)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.PV_MAX_UPLOAD_BYTES:
            from .views import too_large

            return too_large(request)
        return self.get_response(request)


class ConditionalGetMiddleware:
    """ETags for the API and feeds: a client that already has the answer gets 304.

    Narrower than Django's middleware of the same name on purpose:
    - only API answers and Atom feeds: an HTML page carries a CSRF token that differs on
      every answer, so hashing it (~0.1 ms for 40 KB) could never save anything;
    - the ETag only, never ``If-Modified-Since``: a date cannot say that an item left a
      list (a post hidden, a story withdrawn), a tag of the content can;
    - API answers are per reader: ``Cache-Control: private`` keeps shared caches out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if response.streaming:
            return response
        api = request.path.startswith("/api/")
        if not api and not response.get("Content-Type", "").startswith("application/atom+xml"):
            return response
        if api:
            patch_cache_control(response, private=True)
        if not response.has_header("ETag"):
            set_response_etag(response)  # not for an empty body (a HEAD answered as a GET)
        if not response.has_header("ETag"):
            return response
        conditional = get_conditional_response(request, etag=response["ETag"], response=response)
        return conditional if conditional is not None else response
