"""Query budgets for every page and API list (issue 9, item 6).

A registry (``core/tests/test_query_budgets.py``) gives every GET route one entry:

* :class:`Budget`: measured there, at a small and a large size of the data the page
  lists; the count must not grow and must stay within ``max_queries``.
* :class:`Covered`: an app's own test already measures it; the registry checks that
  the test exists and asserts a query count, so a rename cannot silently drop it.
* :class:`Excluded`: not a page or list that reads the database per row, with why.

This module walks the URL configuration and the API so that a route added later
without an entry fails the suite.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
API_PREFIX = "api/v1/"
QUERY_ASSERTIONS = (
    "django_assert_num_queries",
    "django_assert_max_num_queries",
    "CaptureQueriesContext",
)


@dataclass(frozen=True)
class Budget:
    """``url(world)`` read by ``world.clients[reader]`` costs at most ``max_queries``,
    the same with a few and with many rows of what ``scenario`` grows."""

    scenario: str
    reader: str
    url: Callable[[Any], str]
    max_queries: int
    status: int = 200


@dataclass(frozen=True)
class Covered:
    """Measured by ``test`` ("<app>/tests/test_x.py::test_name[param]", relative to
    the ``patientvoice`` package)."""

    test: str


@dataclass(frozen=True)
class Excluded:
    reason: str


Entry = Budget | Covered | Excluded


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _walk(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            if getattr(pattern.callback, "__module__", "").startswith("ninja.operation"):
                continue  # an API operation: api_get_operations() lists it by method
            route = prefix + str(pattern.pattern)
            name = f"{namespace}{pattern.name}" if pattern.name else route
            yield name, route


def page_routes() -> dict[str, str]:
    """Every route but the API's operations, keyed by its reversible name ("ns:name", or the
    route itself when it has no name), walked in each language of the site: the
    language prefixes must give the same pages, or one language has a page without
    a budget."""
    by_language: dict[str, dict[str, str]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            routes = dict(_walk(get_resolver(), "", ""))
        # An unnamed route is keyed by its pattern without the language prefix.
        by_language[code] = {name.removeprefix(f"{code}/"): route for name, route in routes.items()}
    first, *others = by_language.values()
    for other in others:
        assert set(other) == set(first), set(other) ^ set(first)
    return first


def api_get_operations() -> dict[str, str]:
    """Every GET operation of the API as "GET /api/v1/<path>" -> view function name.
    Read from the ninja API object, which knows each operation's methods (the URL
    resolver has one pattern per path whatever its methods)."""
    from patientvoice.api.urls import api

    found: dict[str, str] = {}
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if "GET" in operation.methods:
                    full = "/" + API_PREFIX + (prefix.strip("/") + path).lstrip("/")
                    found[f"GET {full}"] = operation.view_func.__name__
    return found


def problem_with_covered(reference: str) -> str | None:
    """Why ``reference`` does not point to a test that asserts a query count, or None."""
    file, _, test = reference.partition("::")
    name, _, param = test.partition("[")
    path = PACKAGE_ROOT / file
    if not path.exists():
        return f"{reference}: no file {path}"
    source = path.read_text()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            body = ast.get_source_segment(source, node) or ""
            if not any(word in body for word in QUERY_ASSERTIONS) and not _calls_a_counter(
                body, source
            ):
                return f"{reference}: the test asserts no query count"
            if param and f'"{param.rstrip("]")}"' not in source:
                return f"{reference}: no parameter {param.rstrip(']')!r} in {file}"
            return None
    return f"{reference}: no test named {name} in {file}"


def _calls_a_counter(body: str, source: str) -> bool:
    """The test calls a helper of its module that counts queries (``_count(...)``)."""
    for helper in re.findall(r"\b(_\w+)\(", body):
        match = re.search(rf"def {helper}\(.*?(?=\ndef |\Z)", source, re.S)
        if match and any(word in match.group(0) for word in QUERY_ASSERTIONS):
            return True
    return False


def count_queries(client: Client, url: str, *, expected_status: int = 200) -> int:
    """Queries of one GET of ``url`` with every cache cold, after a first request has
    done what a first visit does once (read state, a session's first write)."""
    from django.core.cache import cache

    from patientvoice.core import fragments, prepared

    first = client.get(url)
    assert first.status_code == expected_status, (url, first.status_code)
    cache.clear()
    fragments.forget_all()
    prepared.forget_all()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == expected_status, (url, response.status_code)
    return len(captured)


def fill_route(route: str) -> str:
    """A URL for ``route`` with made-up arguments, for checks that the view refuses
    a method before it looks anything up."""
    values = {"uuid": "00000000-0000-0000-0000-000000000001", "int": "1"}

    def value(match: re.Match[str]) -> str:
        return values.get(match.group(1) or "str", "x")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", value, route)
