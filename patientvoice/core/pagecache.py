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
- carried a session or authorisation, or any parameter but the page number and order
  (members never read or fill it; a search is never kept: it would tell the next
  visitor what someone looked for);
- used a CSRF token (``get_token``; remembered fragments use the slot that
  ``CsrfSlotMiddleware`` fills per request, outside this cache) or changed the session;
- wrote to the database (a GET with side effects, such as a confirmation link);
- answered anything but 200 HTML or Atom, set a cookie, or said ``private``/``no-store``.
Stored pages expire after ``PV_PAGE_CACHE_SECONDS`` even without a write, which bounds
what time alone changes (relative dates, campaign phases).
"""

from __future__ import annotations

import logging
import re
import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

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
# A write this process could not record: its stored pages are not trusted until it can.
_unsure = False


def writes_seen() -> int:
    """How many writing statements this thread has run (any table)."""
    return getattr(_local, "writes", 0)


def forget_pages() -> None:
    """Forget every stored page: the next visitor's request renders afresh.

    Never raises: a write has committed by now, and a cache that is down must not turn
    it into an error page or cost the transaction's other after-commit work. Stored
    pages are then not served until the generation can be read again."""
    global _unsure
    try:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # any cache backend's error: logged, never raised
        logger.exception("could not forget the stored pages")
        _unsure = True


# What only reads: everything else is taken for a write (a new kind of statement must
# forget pages, not leave them showing what was just hidden).
_READS = ("SELECT", "SHOW", "VALUES", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT",
          "RELEASE", "SET", "PRAGMA", "START", "END")  # fmt: skip
_LEADING_NOISE = re.compile(r"^(?:\s+|/\*.*?\*/|--[^\n]*\n|\()+", re.DOTALL)
_WRITE_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE|REPLACE|TRUNCATE|COPY)\b", re.I)


def _statement_matters(sql: str) -> bool | None:
    """None for a read; else whether the write can change what a visitor sees."""
    if sql[:6] == "SELECT":  # the ORM's reads, nearly every statement
        return None
    text = _LEADING_NOISE.sub("", sql, count=1)
    word = text[:9].split(None, 1)[0].upper() if text.strip() else ""
    if word in _READS:
        return None
    if word == "WITH" and not _WRITE_WORD.search(text):
        return None
    if word == "EXPLAIN" and "ANALYZE" not in text[:40].upper():
        return None
    match = _WRITE.match(text)
    if match is None:
        return True
    table = match.group(1).rsplit(".", 1)[-1].lower()
    if table in QUIET_TABLES:
        return False
    quiet = QUIET_COLUMNS.get(table)
    if quiet is not None and word == "UPDATE":
        columns = _SET_COLUMNS.search(text)
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
        transaction.on_commit(forget, using=connection.alias, robust=True)


def watch_writes(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: put one WriteWatch on every connection."""
    if not any(isinstance(wrapper, WriteWatch) for wrapper in connection.execute_wrappers):
        # First in the list: Django's ``execute_wrapper()`` context manager removes the
        # last wrapper when it ends, which must never be this one.
        connection.execute_wrappers.insert(0, WriteWatch(connection))


def watch_open_connections() -> None:
    """For connections opened before the receiver was connected (tests, shells)."""
    for connection in connections.all(initialized_only=True):
        watch_writes(None, connection)


# --- The middleware --------------------------------------------------------------------

_STORED_TYPES = ("text/html", "application/atom+xml")
STORED_PARAMETERS = frozenset({"page", "sort"})
_LEFT_OUT_HEADERS = frozenset({"set-cookie", "x-request-id", "content-length"})


class PageCacheMiddleware:
    """Serve and store visitors' pages (see the module's docstring).

    Sits just inside ``CsrfSlotMiddleware``: a stored page keeps its CSRF slot, filled
    per request on the way out, and everything outside (security headers, CSP, the
    request log) runs for a stored page as for a fresh one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def _eligible(request: HttpRequest) -> bool:
        if request.method != "GET" or not settings.PV_PAGE_CACHE:
            return False
        if request.path_info.startswith(("/api/", "/static/", "/media/")):
            return False
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return False
        # Only the page number and order vary a stored page: any other parameter
        # (a search, a filter, ?x=<random> to push hot pages out) is rendered afresh.
        if any(name not in STORED_PARAMETERS for name in request.GET):
            return False
        meta = request.META
        return "HTTP_AUTHORIZATION" not in meta and "HTTP_HX_REQUEST" not in meta

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._eligible(request):
            return self.get_response(request)
        generation = _generation()
        if generation is None:  # the shared cache is down: neither serve nor store
            return self.get_response(request)
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
        if settings.DATABASE_ROUTERS:
            # What is stored is served to everyone: read it where the last write is.
            from .dbrouters import read_from_primary

            read_from_primary()
        writes_before = writes_seen()
        response = self.get_response(request)
        if self._storable(request, response, writes_before):
            # A stored page is for visitors only: say so to any cache in between.
            patch_vary_headers(response, ("Cookie",))
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


def _generation() -> str | None:
    """The current generation; None when the shared cache cannot say (then nothing is
    served or stored: a page stored before a write we could not record may be stale)."""
    global _unsure
    try:
        if _unsure:
            cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
            caches["pages"].clear()
            _unsure = False
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            generation = uuid.uuid4().hex
            cache.add(GENERATION_KEY, generation, timeout=None)
            generation = cache.get(GENERATION_KEY)
    except Exception:  # any cache backend's error
        logger.exception("could not read the stored pages' generation")
        return None
    return str(generation) if generation is not None else None


def personal(response: HttpResponse) -> HttpResponse:
    """Mark a response as made for this visitor alone: never stored."""
    response.pv_personal = True  # type: ignore[attr-defined]
    return response
