"""The thread page remembered per state (decisions/0029): everything around its posts
is rendered once per key and kept in ``THREAD_PAGES``; the posts (``rendering.posts_page``)
and the CSRF token (``CsrfSlotMiddleware``) are filled in per request.

The keys must name everything the page shows besides those two. The differential test
in ``tests/test_rendering.py`` compares remembered pages with fresh ones for every pair
of kinds of reader: a value the page shows that is missing from a key fails it."""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from patientvoice.core.fragments import CSRF_SLOT, FragmentMemo, csrf_pieces, join_pieces
from patientvoice.directory.models import Condition, Medicine
from patientvoice.moderation.templatetags.moderation import header_count
from patientvoice.notifications.queries import header_unread_count, is_following

from .models import Post, Thread

TEMPLATE = "communities/thread_detail.html"


def remembered_page(
    request: HttpRequest, context: dict[str, Any], replying_to: Post | None
) -> HttpResponse:
    """The thread page for ``context``: from the memo when its state was rendered
    before, else rendered (and remembered when nothing in it is this request's alone)."""
    key = _page_key(request, context, replying_to)
    if key is None:
        return render(request, TEMPLATE, context)
    page = context["page"]
    shell = THREAD_PAGES.get(key)
    if shell is None:
        slots = {"page": replace(page, parts=[(POSTS_SLOT,)]), "csrf_token": CSRF_SLOT}
        before, after = render_to_string(TEMPLATE, {**context, **slots}, request).split(
            POSTS_SLOT, 1
        )
        shell = (csrf_pieces(before), csrf_pieces(after))
        THREAD_PAGES.put(key, shell)
    # One join puts the page together with the request's CSRF token (CsrfSlotMiddleware
    # would search, decode and encode the whole page again).
    response = HttpResponse(join_pieces(request, [shell[0], *page.parts, shell[1]]))
    response.csrf_filled = True  # type: ignore[attr-defined]
    return response


def head_key(
    request: HttpRequest,
    thread: Thread,
    conditions: list[Condition],
    medicines: list[Medicine],
    best: Post | None,
    unread_jump: bool,
    funding: tuple[Any, ...] = (),
) -> tuple[Any, ...]:
    """What the thread page's head shows (its {% memo %}) beyond the template's own
    keys: the tags, the reader's follow state, the best answer as it stands now, the
    funding notices (decisions/0038)."""
    best_key = None
    if best is not None:
        author = best.author.handle if best.author else None
        best_key = (best.pk, best.updated_at, best.edited_at, author, best.page_number)
    return (
        thread.community.slug,
        timezone.get_current_timezone_name(),
        request.get_full_path(),  # the follow button comes back here
        tuple((c.slug, c.name_sv, c.name_en) for c in conditions),
        tuple((m.slug, m.name_sv, m.inn_en) for m in medicines),
        _follows(request, thread),
        best_key,
        unread_jump,
        funding,
    )


def _follows(request: HttpRequest, thread: Thread) -> bool:
    """Whether the reader follows the thread: read with it for a signed-in reader
    (``queries.thread_for_page``), else asked."""
    follows = getattr(thread, "reader_follows", None)
    return bool(follows) if follows is not None else is_following(request.user, thread)


# The whole thread page around its posts, per state (core.fragments): the posts come
# from rendering.posts_page, the CSRF token from CsrfSlotMiddleware. Pages are ~100 KB
# with posts, ~15 KB without: at most ~30 MB per process.
THREAD_PAGES = FragmentMemo[tuple[tuple[str, ...], tuple[str, ...]]]("thread pages", size=2_000)
POSTS_SLOT = f"pvpostsslot{secrets.token_hex(12)}"


def _page_key(
    request: HttpRequest, context: dict[str, Any], replying_to: Post | None
) -> tuple[Any, ...] | None:
    """Everything the thread page shows besides its posts and the CSRF token, or None
    when the page holds something of this request alone (a message, a help panel, a
    reply being started) and is rendered afresh. The differential tests in
    test_rendering.py compare remembered pages with fresh ones for every kind of
    reader: a value the page shows that is missing here fails them."""
    if context["help_panels"] or replying_to is not None or messages.get_messages(request):
        return None
    thread, community, page = context["thread"], context["community"], context["page"]
    return (
        get_language(),
        context["head_key"],  # tags, follow state, best answer, unread jump, full path
        thread.pk,
        thread.title,
        thread.is_pinned,
        thread.is_locked,
        community.name,
        community.language,
        community.visibility,
        community.is_indexable,
        context["moderator"],
        context["member"],
        context["can_mark"],
        context["can_post"],
        context["signed_in"],
        page.number,
        page.num_pages,
        header_key(request),
    )


def _header_unread(request: HttpRequest) -> int:
    """The header's notifications number: read with the thread (``thread_for_page``
    sets ``request.header_unread``, which the header's template tag shows too), else
    asked."""
    known = getattr(request, "header_unread", None)
    return int(known) if known is not None else header_unread_count(request.user)


def header_key(request: HttpRequest) -> tuple[Any, ...]:
    """What the site header (base.html's "header" memo) shows for this request."""
    user = request.user
    match = request.resolver_match
    return (
        user.is_authenticated,
        _header_unread(request) if user.is_authenticated else 0,
        header_count(user),  # the moderation link and its count (no query for members)
        match.namespace if match is not None else "",
    )
