"""Find querysets of private content that skip the visibility rule.

CONVENTIONS: "lists, feeds, search, API lists, digests and exports leak unless every
queryset passes through ``visible_*``"; Kitsune enforces a privacy rule with a grep
hook. This is that hook, on the syntax tree instead of text, run by a test
(``communities/tests/test_no_unfiltered_querysets.py``).

The rule, per function (or per module for module-level code): every use of a guarded
model's manager (``Post.objects``, ``Post._default_manager``, ``Post._base_manager``)
or of the model in ``get_object_or_404(Post, ...)``/``get_list_or_404`` must either

1. sit inside the arguments of a call to a narrowing function (``visible_*``,
   ``readable_*``): ``visible_posts(user, Post.objects.filter(thread=thread))``; or
2. be in a function that also calls an authorising function (``check_*``,
   ``access_*``): the fetch-then-authorise pattern of detail views (Zulip's
   ``access_message``), e.g. ``get_object_or_404(Community, ...)`` followed by
   ``check_community_exists_for(user, community)``.

A line ending in ``# visibility: <why>`` is let through, with the reason in plain sight
for review.

What it does not see (keep reads simple enough that it does not need to): reverse
relations (``thread.posts.all()``), a queryset built in one function and narrowed in
another, the model under another name (``from .models import Post as P``), and
``check_*`` calls that authorise something else. Guarded models are matched by class
name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps

from patientvoice.core.models import Content

NARROWING_PREFIXES = ("visible_", "readable_")
AUTHORISING_PREFIXES = ("check_", "access_")
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404", "aget_object_or_404"})
OPT_OUT = "# visibility:"

# Code that reads for people: every app's views, API routers and shared reads, and
# the feeds and search modules later issues add.
TARGET_PATTERNS = (
    "*/views.py",
    "*/*_views.py",
    "*/views/*.py",
    "*/queries.py",
    "*/queries/*.py",
    "*/feeds.py",
    "*/search.py",
    "*/search/*.py",
    "api/routers/*.py",
)


@dataclass(frozen=True)
class Unfiltered:
    path: str
    line: int
    model: str
    code: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: a {self.model} queryset that passes through no "
            f"visible_*() (nor a check_*/access_* in the same function): {self.code}"
        )


def guarded_models() -> set[str]:
    """Names of the models whose querysets must be narrowed: every kind of content
    (subclasses of ``core.models.Content``) and every model with registered
    visibility surfaces (threads and communities are not content but are private)."""
    from .visibility import registered_models

    names = {m.__name__ for m in apps.get_models() if issubclass(m, Content)}
    return names | {m.__name__ for m in registered_models()}


def default_targets(package_root: Path) -> list[Path]:
    found: set[Path] = set()
    for pattern in TARGET_PATTERNS:
        found.update(package_root.glob(pattern))
    return sorted(p for p in found if "tests" not in p.parts and "migrations" not in p.parts)


def _call_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


def _model_name(node: ast.expr) -> str:
    """``Post`` for ``Post`` and for ``models.Post``."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


@dataclass
class _Scope:
    authorised: bool = False
    uses: list[tuple[ast.AST, str]] = field(default_factory=list)


class _Scanner(ast.NodeVisitor):
    def __init__(self, models: set[str], path: str, lines: list[str]) -> None:
        self.models = models
        self.path = path
        self.lines = lines
        self.scopes: list[_Scope] = []
        self.narrowing = 0
        self.found: list[Unfiltered] = []

    def scan(self, tree: ast.Module) -> list[Unfiltered]:
        self._in_scope(tree)
        return self.found

    def _in_scope(self, node: ast.AST) -> None:
        self.scopes.append(_Scope())
        narrowing, self.narrowing = self.narrowing, 0  # a nested def runs later, alone
        self.generic_visit(node)
        self.narrowing = narrowing
        scope = self.scopes.pop()
        if scope.authorised:
            return
        for use, model in scope.uses:
            line = getattr(use, "lineno", 0)
            code = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
            if OPT_OUT not in code:
                self.found.append(Unfiltered(self.path, line, model, code))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._in_scope(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._in_scope(node)

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._in_scope(node)

    def _use(self, node: ast.AST, model: str) -> None:
        if not self.narrowing:
            self.scopes[-1].uses.append((node, model))

    def visit_Call(self, node: ast.Call) -> None:
        name = _call_name(node)
        if name.startswith(AUTHORISING_PREFIXES):
            self.scopes[-1].authorised = True
        if name.startswith(NARROWING_PREFIXES):
            self.visit(node.func)
            self.narrowing += 1
            for child in [*node.args, *node.keywords]:
                self.visit(child)
            self.narrowing -= 1
            return
        if name in SHORTCUTS and node.args and _model_name(node.args[0]) in self.models:
            self._use(node, _model_name(node.args[0]))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in MANAGERS and _model_name(node.value) in self.models:
            self._use(node, _model_name(node.value))
        self.generic_visit(node)


def scan_source(source: str, models: Iterable[str], path: str = "<source>") -> list[Unfiltered]:
    """Every use of a guarded model in ``source`` that breaks the rule above."""
    tree = ast.parse(source, filename=path)
    return _Scanner(set(models), path, source.splitlines()).scan(tree)


def scan_files(paths: Iterable[Path], models: Iterable[str], root: Path) -> list[Unfiltered]:
    models = set(models)
    found: list[Unfiltered] = []
    for path in paths:
        shown = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
        found.extend(scan_source(path.read_text(encoding="utf-8"), models, shown))
    return found
