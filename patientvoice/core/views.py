from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from patientvoice.accounts.models import PolicyKind
from patientvoice.accounts.queries import current_policy

from . import home_page
from .markup import render_markdown

logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """For a visitor: what this is, communities to read, conditions, sign up. For a
    member: their communities and what is new in them (unread first). Remembered per
    state (core.home_page)."""
    return home_page.home(request)


def _policy_page(request: HttpRequest, kind: str) -> HttpResponse:
    policy = current_policy(kind)
    language = get_language() or "sv"
    context: dict[str, Any] = {"policy": policy, "kind": kind}
    if policy is not None:
        context.update(
            title=policy.text("title", language),
            summary=policy.text("summary", language),
            body_html=render_markdown(policy.text("body", language), heading_offset=0),
        )
    return render(request, "core/policy.html", context)


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    return _policy_page(request, PolicyKind.PRIVACY)


@require_safe
def terms(request: HttpRequest) -> HttpResponse:
    return _policy_page(request, PolicyKind.TERMS)


@require_safe
def page(request: HttpRequest, name: str) -> HttpResponse:
    template = f"core/pages/{name}.html"
    try:
        get_template(template)
    except TemplateDoesNotExist as exc:  # pragma: no cover - urls only name real pages
        raise Http404 from exc
    return render(request, template)


_migrations_applied = False


def _all_migrations_applied() -> bool:
    """Loading the migration graph costs milliseconds; once every migration is applied
    it stays so for this process (a deploy starts new processes)."""
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connection)
        _migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrations_applied


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachable and every migration applied; 503 otherwise."""
    checks: dict[str, bool] = {"database": False, "migrations": False}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
        checks["migrations"] = _all_migrations_applied()
    except Exception:  # the health check reports failure; it does not raise
        logger.exception("health check failed")
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


@cache_control(max_age=86400, public=True)
@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /api/", "Disallow: /sv/account/", "Disallow: /en/account/"]
    if not settings.PRODUCTION:
        lines = ["User-agent: *", "Disallow: /"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def _api_error(request: HttpRequest, status: int) -> JsonResponse | None:
    """Errors under /api/ keep the API's one error shape, even outside its routers."""
    if not request.path.startswith("/api/"):
        return None
    from patientvoice.api.errors import ERROR_MESSAGES, error_body

    code, message = ERROR_MESSAGES[status]
    return JsonResponse(error_body(code, str(message)), status=status)


def _error(request: HttpRequest, status: int, template: str) -> HttpResponse:
    return _api_error(request, status) or render(request, template, status=status)


def too_large(request: HttpRequest) -> HttpResponse:
    """413: a request body larger than ``PV_MAX_UPLOAD_BYTES``, answered before it is
    read (``middleware.UploadSizeMiddleware``)."""
    return _api_error(request, 413) or render(
        request,
        "413.html",
        {"megabytes": settings.PV_MAX_UPLOAD_BYTES // (1024 * 1024)},
        status=413,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _api_error(request, 403) or render(
        request, "403.html", {"reason": str(exception or "")}, status=403
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "404.html")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token: usually an old tab or blocked
    cookies. Say so plainly; the person's text is still in the previous page."""
    return _api_error(request, 403) or render(request, "csrf_failure.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # No template context: the error may come from the context processors themselves.
    api = _api_error(request, 500)
    if api is not None:
        return api
    return render(request, "500.html", status=500)
