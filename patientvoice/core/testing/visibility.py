"""One-line visibility assertions: "this person cannot see this object anywhere".

Everything a person reads goes through one visibility rule, and content a person may
not know exists answers 404, not 403 (ARCHITECTURE §4). Detail pages are easy to get
right; lists, feeds, search and API lists are where private content leaks
(CONVENTIONS, "Authorisation covers lists, not only details"). With this module a test
says in one line that an object is hidden from someone on *every* page, list and API
endpoint that could show it::

    from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see


    def test_members_only_post_is_hidden_from_outsiders(outsider, member, post):
        assert_cannot_see(outsider, post)  # a User, None (a visitor) or a test Client
        assert_can_see(member, post)

A failure names every surface that showed the object, with the URL, the status and
the text around what gave it away. ``skip={"core.home"}`` leaves named surfaces out
(unknown names are an error, so a typo cannot silently skip nothing).

Surfaces
--------
A *surface* is one way an object can be reached: a detail page, a list page, an API
detail or list, a feed, a search result, an e-mail digest. Each app registers, per
model, the surfaces its views offer, in ``<app>/testing.py``::

    # patientvoice/communities/testing.py
    from patientvoice.core.testing.visibility import DetailSurface, ListSurface, register

    register(
        Thread,
        DetailSurface("communities.thread_page", url=lambda t: t.get_absolute_url()),
        ListSurface("communities.community_page", url=lambda t: t.community.get_absolute_url()),
    )

The ``testing`` modules of the project's apps are imported the first time a helper
runs (as Django imports ``admin.py``), so core never names an app. Surfaces registered
for a model also apply to its subclasses. :func:`surfaces_for` lists them.

What is checked
---------------
* :class:`DetailSurface`: hidden means the response is 404 (a 403 or a redirect tells
  the person the object exists, and fails). Visible means 200 and, when the surface
  has markers, one of them on the page.
* :class:`ListSurface`: hidden means the response (200, or 404 when the whole list is
  hidden, e.g. a private community's thread list) contains none of the object's
  markers. Visible means 200 with a marker in it. A list that need not show every
  visible object (a "latest ten" widget, the home page) is registered with
  ``exhaustive=False``: it guards against leaks in :func:`assert_cannot_see` only.
* Markers say how to spot the object in a response: by default its ``public_id``.
  Surfaces that may show text without the id (a teaser, a search snippet) add
  markers from the object's text (:func:`public_id_and`). Give test objects
  distinctive text (the factories do). Matching tolerates HTML and JSON escaping.

Feeds, search, digests
----------------------
A later app registers new surfaces for existing models, and every existing
``assert_cannot_see`` call starts checking them; no test and nothing here changes. A
feed is a :class:`ListSurface` whose response is XML; search is a ``ListSurface`` whose
URL carries a query built from the object (``url=lambda p: f"/search/?q={p.title}"``).
Anything that is not a GET request (an e-mail digest rendered for the viewer)
implements the :class:`Surface` protocol directly: ``hidden_problem`` and
``visible_problem`` return ``None`` when all is well, or a sentence saying what is
wrong.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Protocol, runtime_checkable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.test import Client
from django.utils.html import escape
from django.utils.module_loading import module_has_submodule

from .sessions import log_in

UrlFor = Callable[[Any], str]
MarkersFor = Callable[[Any], Iterable[str]]


@dataclass(frozen=True)
class Viewer:
    """The person looking: a test client, logged in as them or not, and a label."""

    client: Client
    label: str


ViewerLike = Viewer | Client | Model | None


def as_viewer(who: ViewerLike | Any) -> Viewer:
    """A :class:`Viewer` from a user (logged in on a fresh client), ``None`` or an
    ``AnonymousUser`` (a visitor), a test ``Client`` (used as it is) or a Viewer."""
    if isinstance(who, Viewer):
        return who
    if isinstance(who, Client):
        return Viewer(who, "the given client")
    client = Client()
    if not isinstance(who, get_user_model()):
        if who is None or not getattr(who, "is_authenticated", False):
            return Viewer(client, "a visitor")
        raise TypeError(f"not a person, a client or None: {who!r}")
    log_in(client, who)
    return Viewer(client, f"user {who!s} (pk {who.pk})")


@runtime_checkable
class Surface(Protocol):
    """One way an object can be reached. ``hidden_problem``/``visible_problem``
    return ``None`` when the viewer is treated as the rule says, else what is wrong."""

    @property
    def name(self) -> str: ...

    @property
    def exhaustive(self) -> bool:
        """False for lists that may leave out visible objects (top-N widgets): those
        are checked by assert_cannot_see only."""
        ...

    def applies_to(self, obj: Any) -> bool: ...

    def hidden_problem(self, viewer: Viewer, obj: Any) -> str | None: ...

    def visible_problem(self, viewer: Viewer, obj: Any) -> str | None: ...


# --- Markers --------------------------------------------------------------------------

_MARKDOWN_SYNTAX = re.compile(r"[*_`\[\]<>#|~\\&\"'\n]+")
_LINE_PREFIX = re.compile(r"^\s*(?:[-+>]|\d+[.)])\s+")
MIN_TEXT_MARKER = 12
MAX_TEXT_MARKER = 80


def text_marker(text: str) -> str | None:
    """The longest stretch of ``text`` that survives Markdown rendering unchanged
    (no markup characters, quotes or line breaks), or ``None`` if it is too short
    to be distinctive."""
    runs = (_LINE_PREFIX.sub("", run).strip() for run in _MARKDOWN_SYNTAX.split(text))
    best = max(runs, key=len, default="")
    return best[:MAX_TEXT_MARKER] if len(best) >= MIN_TEXT_MARKER else None


def public_id_marker(obj: Any) -> list[str]:
    return [str(obj.public_id)]


def no_markers(obj: Any) -> list[str]:
    return []


def public_id_and(*attributes: str, whole: Iterable[str] = ()) -> MarkersFor:
    """Markers: the object's ``public_id``, a :func:`text_marker` from each of
    ``attributes`` (long text such as a body) and the whole value of each of ``whole``
    (short text such as a title)."""
    whole = tuple(whole)

    def markers(obj: Any) -> list[str]:
        found = [str(obj.public_id)]
        for attribute in attributes:
            marker = text_marker(str(getattr(obj, attribute) or ""))
            if marker:
                found.append(marker)
        found.extend(str(getattr(obj, attribute)) for attribute in whole)
        return found

    return markers


def _spellings(marker: str) -> set[str]:
    """``marker`` as it may appear in HTML (Django's or markdown-it's escaping) or JSON."""
    html = str(escape(marker))
    markdown_html = marker.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    markdown_html = markdown_html.replace('"', "&quot;")
    found = {marker, html, markdown_html}
    found |= {json.dumps(s)[1:-1] for s in list(found)}
    return {s for s in found if s}


def find_marker(text: str, markers: Iterable[str]) -> tuple[str, str] | None:
    """The first marker found in ``text`` and the text around it, or ``None``."""
    for marker in markers:
        for spelling in _spellings(marker):
            index = text.find(spelling)
            if index >= 0:
                around = text[max(0, index - 60) : index + len(spelling) + 60]
                return marker, " ".join(around.split())
    return None


# --- HTTP surfaces -------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    url: str
    status: int
    text: str


@dataclass(frozen=True)
class HttpSurface:
    """A GET request whose URL is built from the object."""

    name: str
    url: UrlFor
    markers: MarkersFor = public_id_marker
    exhaustive: bool = True
    applies: Callable[[Any], bool] | None = field(default=None, kw_only=True)

    def applies_to(self, obj: Any) -> bool:
        return self.applies is None or bool(self.applies(obj))

    def fetch(self, viewer: Viewer, obj: Any) -> Fetched:
        url = self.url(obj)
        response = viewer.client.get(url)
        return Fetched(url, response.status_code, response.content.decode("utf-8", "replace"))

    def marker_list(self, obj: Any) -> list[str]:
        return [m for m in self.markers(obj) if m]

    def hidden_problem(self, viewer: Viewer, obj: Any) -> str | None:
        raise NotImplementedError

    def visible_problem(self, viewer: Viewer, obj: Any) -> str | None:
        raise NotImplementedError


@dataclass(frozen=True)
class DetailSurface(HttpSurface):
    """A page or endpoint about the object itself: 404 when hidden, 200 when visible."""

    markers: MarkersFor = no_markers

    def hidden_problem(self, viewer: Viewer, obj: Any) -> str | None:
        got = self.fetch(viewer, obj)
        if got.status != 404:
            return f"GET {got.url} answered {got.status}; expected 404 (not 403, not a redirect)"
        return None

    def visible_problem(self, viewer: Viewer, obj: Any) -> str | None:
        got = self.fetch(viewer, obj)
        if got.status != 200:
            return f"GET {got.url} answered {got.status}; expected 200"
        markers = self.marker_list(obj)
        if markers and find_marker(got.text, markers) is None:
            return f"GET {got.url} answered 200 but shows none of {markers}"
        return None


@dataclass(frozen=True)
class ListSurface(HttpSurface):
    """A page or endpoint that lists objects: must not mention a hidden one."""

    # A list the viewer may not see at all answers 404 (e.g. a private community's
    # thread list); anything else (403, a redirect, an error) is not "hidden" but broken.
    hidden_statuses: frozenset[int] = frozenset({200, 404})

    def _markers_or_fail(self, obj: Any) -> list[str]:
        markers = self.marker_list(obj)
        if not markers:
            raise AssertionError(
                f"surface {self.name} has no marker for {obj!r}; the check would prove nothing"
            )
        return markers

    def hidden_problem(self, viewer: Viewer, obj: Any) -> str | None:
        markers = self._markers_or_fail(obj)
        got = self.fetch(viewer, obj)
        if got.status not in self.hidden_statuses:
            expected = " or ".join(str(s) for s in sorted(self.hidden_statuses))
            return f"GET {got.url} answered {got.status}; expected {expected}"
        found = find_marker(got.text, markers)
        if found is not None:
            return f"GET {got.url} ({got.status}) shows {found[0]!r}: …{found[1]}…"
        return None

    def visible_problem(self, viewer: Viewer, obj: Any) -> str | None:
        markers = self._markers_or_fail(obj)
        got = self.fetch(viewer, obj)
        if got.status != 200:
            return f"GET {got.url} answered {got.status}; expected 200"
        if find_marker(got.text, markers) is None:
            return f"GET {got.url} answered 200 but shows none of {markers}"
        return None


# --- The registry ----------------------------------------------------------------------

_REGISTRY: dict[type[Model], list[Surface]] = {}
_discovered = False


def register(model: type[Model], *surfaces: Surface) -> None:
    """Add surfaces through which objects of ``model`` (and its subclasses) are seen.
    Names are unique per model, dotted ``app.surface``: ``communities.thread_page``."""
    registered = _REGISTRY.setdefault(model, [])
    names = {s.name for s in registered}
    for surface in surfaces:
        if not isinstance(surface, Surface):
            raise TypeError(f"{surface!r} does not implement the Surface protocol")
        if surface.name in names:
            raise ValueError(f"surface {surface.name!r} is already registered for {model}")
        registered.append(surface)
        names.add(surface.name)


def discover() -> None:
    """Import ``<app>.testing`` for every app of this project, once."""
    global _discovered
    if _discovered:
        return
    project = __name__.split(".")[0]
    for config in apps.get_app_configs():
        if config.name.split(".")[0] == project and module_has_submodule(config.module, "testing"):
            import_module(f"{config.name}.testing")
    _discovered = True


def surfaces_for(obj_or_model: Any) -> list[Surface]:
    """Every surface registered for the model of ``obj_or_model`` or a parent of it."""
    discover()
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    found: list[Surface] = []
    for klass in model.__mro__:
        found.extend(_REGISTRY.get(klass, []))
    return found


def registered_models() -> list[type[Model]]:
    """Models with at least one registered surface."""
    discover()
    return [model for model, surfaces in _REGISTRY.items() if surfaces]


def _chosen(obj: Any, skip: Iterable[str], *, exhaustive_only: bool) -> list[Surface]:
    every = surfaces_for(obj)
    if not every:
        raise AssertionError(
            f"No visibility surfaces are registered for {type(obj).__name__}; register "
            "them in <app>/testing.py (see patientvoice.core.testing.visibility)."
        )
    skip = set(skip)
    unknown = skip - {s.name for s in every}
    if unknown:
        raise ValueError(f"skip names no surface of {type(obj).__name__}: {sorted(unknown)}")
    return [
        s
        for s in every
        if s.name not in skip and s.applies_to(obj) and (s.exhaustive or not exhaustive_only)
    ]


def _fail(viewer: Viewer, verb: str, obj: Any, problems: list[str]) -> None:
    raise AssertionError(
        f"{viewer.label} {verb} {type(obj).__name__} {obj!s} "
        f"({getattr(obj, 'public_id', obj.pk)}):\n  " + "\n  ".join(problems)
    )


def assert_cannot_see(who: ViewerLike | Any, obj: Any, *, skip: Iterable[str] = ()) -> None:
    """Fail unless every registered surface hides ``obj`` from ``who``: detail
    surfaces answer 404, list surfaces do not mention it."""
    __tracebackhide__ = True
    viewer = as_viewer(who)
    problems = [
        f"{surface.name}: {problem}"
        for surface in _chosen(obj, skip, exhaustive_only=False)
        if (problem := surface.hidden_problem(viewer, obj)) is not None
    ]
    if problems:
        _fail(viewer, "can see", obj, problems)


def assert_can_see(who: ViewerLike | Any, obj: Any, *, skip: Iterable[str] = ()) -> None:
    """Fail unless every exhaustive registered surface shows ``obj`` to ``who``:
    detail surfaces answer 200, list surfaces mention it."""
    __tracebackhide__ = True
    viewer = as_viewer(who)
    problems = [
        f"{surface.name}: {problem}"
        for surface in _chosen(obj, skip, exhaustive_only=True)
        if (problem := surface.visible_problem(viewer, obj)) is not None
    ]
    if problems:
        _fail(viewer, "cannot see", obj, problems)


__all__ = [
    "DetailSurface",
    "Fetched",
    "HttpSurface",
    "ListSurface",
    "Surface",
    "Viewer",
    "as_viewer",
    "assert_can_see",
    "assert_cannot_see",
    "discover",
    "find_marker",
    "no_markers",
    "public_id_and",
    "public_id_marker",
    "register",
    "registered_models",
    "surfaces_for",
    "text_marker",
]
