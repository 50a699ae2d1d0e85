"""Whole pages remembered for visitors, forgotten on any write (decisions/0045).

A visitor (no session cookie) asking for a page gets it from the ``pages`` cache when
one is stored under the current *generation*; otherwise the page is rendered as
always and, when nothing about the request made it personal, stored.

The generation is a token in the default cache (the file cache on one machine,
Redis in production: shared by every worker and server). It changes after every
committed write to a table a page can show, wherever the write comes from: a view, an
action, the task worker, a management command, the admin. Writes are seen where every
one of them passes, the database cursor (``execute_wrappers``), not by each action
remembering to invalidate: one forgotten call would show a hidden post to the world.
The price is coarse invalidation (a new post anywhere forgets every stored page),
which is right while correctness is cheap and the pages that matter are read many
times a second; a finer scheme (per community) can come behind the same functions.

Nothing is stored when the request:
- carried a session, messages or authorisation (members never read or fill it);
- used a CSRF token (``get_token``; remembered fragments use the slot that
  ``CsrfSlotMiddleware`` fills per request, outside this cache) or changed the session;
- wrote to the database (a GET with side effects, such as a confirmation link);
- answered anything but 200 HTML or Atom, set a cookie, or said ``private``/``no-store``.
Stored pages expire after ``PV_PAGE_CACHE_SECONDS`` even without a write, which bounds
what time alone changes (relative dates, campaign phases).
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse

GENERATION_KEY = "pv:pages:generation"

# Tables whose rows no visitor's page shows: writing them does not forget the pages.
# Anything not listed here forgets them (a new table is safe by default).
QUIET_TABLES = frozenset(
    {
        # Sessions, sign-in and the task queue.
        "django_session",
        "django_admin_log",
        "django_tasks_database_dbtaskresult",
        "account_emailconfirmation",
        "mfa_authenticator",
        "api_personalaccesstoken",
        "accounts_consentrecord",
        "core_auditentry",
        # What one person has read, follows or is told.
        "communities_threadreadstate",
        "notifications_notification",
        "notifications_notificationstate",
        "notifications_notifiedpost",
        "notifications_subscription",
        "expertnotes_notenotice",
        "professionals_professionalnotice",
        "reviews_reviewnotice",
        "stories_storynotice",
        # Private by nature: drafts, requests, safety work, moderators' notes.
        "stories_storydraft",
        "organizations_medicalinformationrequest",
        "professionals_verificationrequest",
        "moderation_moderatornote",
        "safety_caseescalation",
        "safety_firstsight",
        "safety_followupattempt",
        "safety_reporterref",
        "safety_safetycase",
        "safety_safetymessage",
        "safety_safetysignal",
    }
)
# Columns of otherwise visible tables that no page shows (Django's update_last_login).
QUIET_COLUMNS = {"accounts_user": frozenset({"last_login"})}

_WRITE = re.compile(
    r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([\w.]+)"?',
    re.IGNORECASE,
)
_SET_COLUMNS = re.compile(r"\bSET\s+(.*?)\s+WHERE\b", re.IGNORECASE | re.DOTALL)
_COLUMN = re.compile(r'"(\w+)"\s*=')

_local = threading.local()


def writes_seen() -> int:
    """How many writing statements this thread has run (any table)."""
    return getattr(_local, "writes", 0)


def forget_pages() -> None:
    """Forget every stored page: the next visitor's request renders afresh."""
    cache.set(GENERATION_KEY, f"{uuid.uuid4().hex}:{time.time():.3f}", timeout=None)


def _settled(generation: str) -> bool:
    """Whether read replicas have had time to catch up with the write that made this
    generation. Until then a page read from a replica may not show it yet, and must
    not be stored under the new generation (decisions/0044)."""
    if not settings.DATABASE_ROUTERS:
        return True
    try:
        made = float(generation.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return True
    return bool(time.time() - made >= settings.PV_REPLICA_STICKY_SECONDS)


def _statement_matters(sql: str) -> bool | None:
    """None for a read; else whether the write can change what a visitor sees."""
    head = sql.lstrip()[:7].upper()
    if not head.startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
        return None
    match = _WRITE.match(sql)
    if match is None:
        return True
    table = match.group(1).rsplit(".", 1)[-1].lower()
    if table in QUIET_TABLES:
        return False
    quiet = QUIET_COLUMNS.get(table)
    if quiet is not None and head.startswith("UPDATE"):
        columns = _SET_COLUMNS.search(sql)
        if columns is not None:
            named = set(_COLUMN.findall(columns.group(1)))
            if named and named <= quiet:
                return False
    return True


class WriteWatch:
    """A cursor wrapper (``connection.execute_wrappers``) that notes writes.

    Prepared reads (``core.prepared``) may skip it: they never write.
    """

    reads_only_may_skip = True

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        matters = _statement_matters(sql)
        if matters is not None:
            _local.writes = writes_seen() + 1
            if matters:
                self._forget_after_commit()
        return result

    def _forget_after_commit(self) -> None:
        connection = self.connection
        if not connection.in_atomic_block:
            forget_pages()
            return
        # One forgetting per transaction: the callback registered earlier counts while
        # it is still waiting (a rollback drops it from the list, running it clears it).
        pending = getattr(connection, "pv_forget_pending", None)
        if pending is not None and any(entry[1] is pending for entry in connection.run_on_commit):
            return

        def forget() -> None:
            connection.pv_forget_pending = None  # type: ignore[attr-defined]
            forget_pages()

        connection.pv_forget_pending = forget  # type: ignore[attr-defined]
        transaction.on_commit(forget, using=connection.alias)


def watch_writes(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: put one WriteWatch on every connection."""
    if not any(isinstance(wrapper, WriteWatch) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(WriteWatch(connection))


def watch_open_connections() -> None:
    """For connections opened before the receiver was connected (tests, shells)."""
    for connection in connections.all(initialized_only=True):
        watch_writes(None, connection)


# --- The middleware --------------------------------------------------------------------

_STORED_TYPES = ("text/html", "application/atom+xml")
_LEFT_OUT_HEADERS = frozenset({"set-cookie", "x-request-id", "content-length"})


class PageCacheMiddleware:
    """Serve and store visitors' pages (see the module's docstring).

    Sits just inside ``CsrfSlotMiddleware``: a stored page keeps its CSRF slot, filled
    per request on the way out, and everything outside (security headers, CSP, the
    request log) runs for a stored page as for a fresh one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.skip_cookies = (
            settings.SESSION_COOKIE_NAME,
            "messages",
        )

    def _eligible(self, request: HttpRequest) -> bool:
        if request.method != "GET" or not settings.PV_PAGE_CACHE:
            return False
        if request.path_info.startswith(("/api/", "/static/", "/media/", "/admin/")):
            return False
        cookies = request.COOKIES
        if any(name in cookies for name in self.skip_cookies):
            return False
        meta = request.META
        return "HTTP_AUTHORIZATION" not in meta and "HTTP_HX_REQUEST" not in meta

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._eligible(request):
            return self.get_response(request)
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            forget_pages()
            generation = cache.get(GENERATION_KEY)
        key = f"{generation}:{request.scheme}:{request.get_host()}:{request.get_full_path()}"
        pages = caches["pages"]
        stored = pages.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers:
                response.headers[name] = value
            response.headers["X-Page-Cache"] = "hit"
            return response
        writes_before = writes_seen()
        response = self.get_response(request)
        if (
            generation is not None
            and _settled(generation)
            and self._storable(request, response, writes_before)
        ):
            headers = [
                (name, value)
                for name, value in response.items()
                if name.lower() not in _LEFT_OUT_HEADERS
            ]
            pages.set(key, (response.content, headers), settings.PV_PAGE_CACHE_SECONDS)
            response.headers["X-Page-Cache"] = "stored"
        return response

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse, writes_before: int) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if not response.get("Content-Type", "").startswith(_STORED_TYPES):
            return False
        if any(word in response.get("Cache-Control", "") for word in ("private", "no-store")):
            return False
        if getattr(response, "pv_personal", False):
            return False
        meta = request.META
        if meta.get("CSRF_COOKIE_NEEDS_UPDATE"):
            return False
        session = getattr(request, "session", None)
        if session is not None and session.modified:
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        return writes_seen() == writes_before


def personal(response: HttpResponse) -> HttpResponse:
    """Mark a response as made for this visitor alone: never stored."""
    response.pv_personal = True  # type: ignore[attr-defined]
    return response
