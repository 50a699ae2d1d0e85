"""The kinds of content that search finds, and who may read what.

A kind registers itself once (``register_kind``) from its app's ``AppConfig.ready()``
or from ``search/kinds.py``, like text checkers and exporters do. Search knows
nothing else about a kind:

* ``indexable()``: every object that belongs in the index (published, in a place
  that shows it); ``rebuild_search_index`` walks it.
* ``documents(qs)``: those objects as :class:`Document` rows to index.
* ``searchable(user, qs)``: ``qs`` narrowed to what ``user`` may find, through the
  kind's own ``visible_*`` rule. Every result passes it when the search runs, so a
  stale index row never shows anything.
* ``hits(user, ids)``: what a result shows (title, link, text for the snippet),
  loaded from the content itself through ``searchable``.

Audience providers turn a person into the audience tokens they hold (``"public"``,
``"c12"`` for a member of community 12). An indexed document lists the tokens that
may read it; the index pre-filters on them, and ``searchable`` decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import translation

from patientvoice.accounts.permissions import is_acting_staff

# Anyone, visitors included, may read a document with this audience.
PUBLIC = "public"


@dataclass(frozen=True)
class Document:
    object_id: int
    title: str
    body: str
    language: str
    published_at: datetime
    community_id: int | None
    audiences: tuple[str, ...]
    author_id: int | None


@dataclass(frozen=True)
class Hit:
    """What one result shows. ``text`` is plain text, made into a snippet later."""

    title: str
    url: str
    text: str
    language: str
    published_at: datetime | None
    place: str
    place_url: str


@dataclass(frozen=True)
class SearchKind:
    label: str  # "communities.post"
    name: Any  # a lazily translated name, for the kind filter
    model: type[Model]
    indexable: Callable[[], QuerySet[Any]]
    documents: Callable[[QuerySet[Any]], Iterable[Document]]
    searchable: Callable[[Any, QuerySet[Any]], QuerySet[Any]]
    hits: Callable[[Any, list[int]], dict[int, Hit]]

    @property
    def token(self) -> str:
        """The kind's scope token: only letters and digits survive FTS tokenizers."""
        return "kd" + "".join(c for c in self.label if c.isalnum())


_KINDS: dict[str, SearchKind] = {}
AudienceProvider = Callable[[Any], set[str]]
_AUDIENCE_PROVIDERS: list[AudienceProvider] = []


def register_kind(kind: SearchKind) -> SearchKind:
    _KINDS[kind.label] = kind
    return kind


def kinds() -> dict[str, SearchKind]:
    return dict(_KINDS)


def kind_for_model(model: type[Model]) -> SearchKind | None:
    return _KINDS.get(model._meta.label_lower)


def register_audiences(provider: AudienceProvider) -> AudienceProvider:
    """Register ``provider(user) -> set of audience tokens`` (usable as a decorator)."""
    _AUDIENCE_PROVIDERS.append(provider)
    return provider


def audiences_of(user: Any) -> frozenset[str] | None:
    """The audience tokens ``user`` holds; ``None`` for acting site staff, who may
    read everything (results still pass each kind's ``searchable``)."""
    if is_acting_staff(user):
        return None
    tokens = {PUBLIC}
    for provider in _AUDIENCE_PROVIDERS:
        tokens |= provider(user)
    return frozenset(tokens)


def in_both_languages(label: Any) -> list[str]:
    """A translated label (a clinic kind, a profession) as Swedish and English readers
    would type it: a document holds both, so either finds it."""
    names = []
    for language in ("sv", "en"):
        with translation.override(language):
            names.append(str(label))
    return list(dict.fromkeys(names))


def document_text(parts: Iterable[str]) -> str:
    """Non-empty parts, once each, one per line."""
    return "\n".join(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def scope_tokens(document: Document, kind: SearchKind) -> str:
    """The scope column of a document: audiences ("au"), place ("pl") and kind."""
    tokens = [f"au{a}" for a in document.audiences]
    if document.community_id is not None:
        tokens.append(f"pl{document.community_id}")
    tokens.append(kind.token)
    return " ".join(tokens)
