"""The home page remembered per state (decisions/0029, addendum: the home page).

Built afresh, a member's home page cost ~9 ms of CPU: half building and compiling three
visibility-rule querysets and turning ~40 rows into model instances, half rendering
12 community cards and 15 thread rows. Its three questions are now asked as plain rows
through queries compiled once per shape (``communities.queries``: ``*_rows``), and the
page is put together from three remembered pieces:

- the communities to discover, the same for every reader who may know the same
  communities (``HOME_SECTIONS``, keyed by their rows and the language);
- the member's unread, latest and own communities (``HOME_SECTIONS``, keyed by what
  each row shows: the reader's badges are worked out from their read state first, so
  two members in the same state share it);
- the page around them (``HOME_SHELLS``): the member's handle, the header, the site's
  funding notices, the address, cut at its CSRF slots.

Each piece's key must name everything it shows; ``tests/test_home_page.py`` compares
pages served after other readers' with pages rendered afresh, for every pair of kinds
of reader and after each kind of change. A page with a message is rendered afresh.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from patientvoice.communities.models import Community, Thread, Visibility
from patientvoice.communities.queries import (
    home_community_rows,
    home_conditions,
    latest_thread_rows,
    member_community_rows,
)
from patientvoice.communities.thread_page import header_key
from patientvoice.organizations.sponsorship_queries import funding_disclosures

from .fragments import CSRF_SLOT, FragmentMemo, csrf_pieces, join_pieces

TEMPLATE = "core/home.html"

# Sections of a few KB: the communities to discover (few keys, shared) and the members'
# own parts (one per state of a member's communities): at most ~10 MB per process.
HOME_SECTIONS = FragmentMemo[str]("home page sections", size=2_000)
# The page around the sections, per member and header state: ~12 KB, at most ~12 MB.
HOME_SHELLS = FragmentMemo[tuple[tuple[str, ...], ...]]("home page shells", size=1_000)
MEMBER_SLOT = f"pvhomememberslot{secrets.token_hex(12)}"
DISCOVER_SLOT = f"pvhomediscoverslot{secrets.token_hex(12)}"


@dataclass(frozen=True, slots=True)
class Host:
    """What a community card shows of its hosting organisation."""

    slug: str
    name: str
    is_verified: bool


@dataclass(frozen=True, slots=True)
class CommunityCard:
    """What a community card shows (core/home_discover.html), from its row."""

    slug: str
    name: str
    language: str
    description: str
    visibility: str
    member_count: int
    organization: Host | None

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", kwargs={"slug": self.slug})

    def get_visibility_display(self) -> str:
        return str(Visibility(self.visibility).label)


def home(request: HttpRequest) -> HttpResponse:
    """The home page: for a visitor rendered with the conditions to browse (the page
    cache keeps it, core.pagecache), for a member put together from remembered pieces."""
    user = request.user
    language = get_language()
    signed_in = bool(user.is_authenticated)
    discover = _discover_section(language, signed_in, home_community_rows(user))
    if not signed_in:
        context = {"conditions": home_conditions(user), "discover_section": discover}
        return render(request, TEMPLATE, context)
    member = _member_section(user, language)
    key = _shell_key(request, language)
    if key is None:
        return render(request, TEMPLATE, {"member_section": member, "discover_section": discover})
    shell = HOME_SHELLS.get(key)
    if shell is None:
        slots = {"member_section": MEMBER_SLOT, "discover_section": DISCOVER_SLOT}
        html = render_to_string(TEMPLATE, {**slots, "csrf_token": CSRF_SLOT}, request)
        before, rest = html.split(MEMBER_SLOT, 1)
        between, after = rest.split(DISCOVER_SLOT, 1)
        shell = (csrf_pieces(before), csrf_pieces(between), csrf_pieces(after))
        HOME_SHELLS.put(key, shell)
    # One join puts the page together with the request's CSRF token (as thread_page).
    page = join_pieces(request, [shell[0], (member,), shell[1], (discover,), shell[2]])
    response = HttpResponse(page)
    response.csrf_filled = True  # type: ignore[attr-defined]
    return response


def _section(key: Hashable, render_section: Callable[[], str]) -> SafeString:
    return mark_safe(HOME_SECTIONS.get_or_render(key, render_section))  # rendered by our templates


def _shell_key(request: HttpRequest, language: str) -> tuple[Any, ...] | None:
    """Everything the page around the sections shows besides the CSRF token, or None
    when it holds a message for this request alone."""
    if messages.get_messages(request):
        return None
    return (
        language,
        request.get_full_path(),  # the language switch links here
        request.user.handle,  # type: ignore[union-attr]
        header_key(request),
        funding_disclosures(None),  # base.html's site funding notices (decisions/0038)
    )


def _discover_section(language: str, signed_in: bool, rows: list[tuple[Any, ...]]) -> SafeString:
    def render_section() -> str:
        context = {"signed_in": signed_in, "communities": [_card(row) for row in rows]}
        return render_to_string("core/home_discover.html", context)

    return _section(("discover", language, signed_in, tuple(rows)), render_section)


def _card(row: tuple[Any, ...]) -> CommunityCard:
    (_, slug, name, language, description, visibility, member_count) = row[:7]
    organization_id, organization_slug, organization_name, verified_at = row[7:]
    host = None
    if organization_id is not None:
        host = Host(organization_slug, organization_name, verified_at is not None)
    return CommunityCard(slug, name, language, description, visibility, member_count, host)


def _member_section(user: Any, language: str) -> SafeString:
    """The member's unread threads, latest threads and communities. The key holds what
    each row shows, the badges already worked out from the reader's read state."""
    user_id = user.pk
    threads = []
    for row in latest_thread_rows(user):
        (pk, public_id, title, community_id, slug, name, published, author_id) = row[:8]
        post_count, last_published, read_position = row[8:]
        # New: never opened, by someone else. Unread: new, or with posts after where
        # they stopped. Only a published thread shows the "New" badge.
        new = read_position is None and author_id != user_id
        unread = new or (read_position is not None and read_position < last_published)
        shown = (str(public_id), title, slug, name, post_count, bool(published) and new, unread)
        threads.append((shown, pk, community_id, read_position, author_id, last_published))
    mine = member_community_rows(user)
    key = ("member", language, tuple(t[0] for t in threads), tuple(row[1:] for row in mine))

    def render_section() -> str:
        latest = [_thread(*t) for t in threads]
        context = {
            "latest": latest,
            "unread": [thread for thread, t in zip(latest, threads, strict=True) if t[0][6]],
            "my_communities": [
                Community(id=pk, slug=slug, name=name, language=lang)
                for pk, slug, name, lang in mine
            ],
        }
        return render_to_string("core/home_member.html", context)

    return _section(key, render_section)


def _thread(
    shown: tuple[Any, ...],
    pk: int,
    community_id: int,
    read_position: int | None,
    author_id: int | None,
    last_published: int,
) -> Thread:
    public_id, title, slug, name, post_count, shows_new, _ = shown
    thread = Thread(
        id=pk,
        public_id=uuid.UUID(public_id),
        title=title,
        community=Community(id=community_id, slug=slug, name=name),
        author_id=author_id,
        post_count=post_count,
        last_published_position=last_published,
    )
    thread.read_position = read_position  # type: ignore[attr-defined]
    thread.shows_new = shows_new  # type: ignore[attr-defined]
    return thread
