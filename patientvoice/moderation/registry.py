"""What can be flagged, and how a decision acts on it.

Every kind of thing a person can flag registers one :class:`ModerationKind` from its
app's ``AppConfig.ready()`` (posts and profiles are registered by the moderation app
itself, in :mod:`patientvoice.moderation.kinds`). Moderation never imports a kind's
models directly: cases, reports and labels name the kind by its key and the object by
its id, and every question about the object goes through these functions.

A kind tells:

* ``visible(user, qs)``: the kind's visibility rule (``visible_posts``,
  ``visible_users``...): who may flag it, and what a moderator's member history lists;
* ``community_of(obj)``: the community whose moderators decide (``None``: the site-wide
  queue, staff only); ``author_of(obj)``: whose it is (the person a warning, suspension
  or ban acts on, and who receives the statement of reasons);
* ``excerpt_of(obj)``: plain text, at most 300 characters, for queues and statements;
  ``url_of(obj)``: where it is shown;
* ``state_of(obj)``: what an appeal's reversal needs to put back (stored in the
  decision before the action applies);
* ``apply(obj, action, decision, text)`` and ``undo(obj, decision, actor)``: the
  restriction itself and its reversal, for the actions in ``actions``;
* ``authored_by(moderator, member)``: the member's items the moderator may see (their
  history), or ``None`` for a kind that is not authored content (profiles).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise

if TYPE_CHECKING:
    from patientvoice.accounts.models import User
    from patientvoice.communities.models import Community

    from .models import Decision


@dataclass(frozen=True)
class ModerationKind:
    kind: str
    model: type[models.Model]
    # What the member reads in a statement: "your post", "your profile text".
    noun: str | Promise
    visible: Callable[[Any, models.QuerySet[Any]], models.QuerySet[Any]]
    community_of: Callable[[Any], Community | None]
    author_of: Callable[[Any], User | None]
    excerpt_of: Callable[[Any], str]
    url_of: Callable[[Any], str]
    apply: Callable[[Any, str, Decision, str], None]
    undo: Callable[[Any, Decision, User | None], None]
    state_of: Callable[[Any], dict[str, Any]] = field(default=lambda obj: {})
    # The content actions this kind supports besides keep, escalation and the actions
    # on the person (warn, suspend, ban), which every kind takes.
    actions: frozenset[str] = frozenset()
    authored_by: Callable[[Any, Any], models.QuerySet[Any]] | None = None
    # The organisation whose staff moderate an item that belongs to no community (a
    # campaign's submission: the organisation running it), by id; None for the site's.
    organization_of: Callable[[Any], int | None] = field(default=lambda obj: None)
    # Find an object from the address a visitor pasted into a notice; None if unknown.
    from_url: Callable[[str], Any] | None = None

    def fetch(self, object_id: int) -> Any:
        """The object, or None when it is gone (erased, deleted)."""
        return self.model._default_manager.filter(pk=object_id).first()


_KINDS: dict[str, ModerationKind] = {}


class UnknownKind(LookupError):
    pass


def register(kind: ModerationKind) -> ModerationKind:
    """Register (or replace: tests and reloads) a kind under its key."""
    _KINDS[kind.kind] = kind
    return kind


def get(kind: str) -> ModerationKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise UnknownKind(kind) from None


def for_model(model: type[models.Model]) -> ModerationKind | None:
    """The kind registered for ``model`` (content passing the publishing pipeline)."""
    for registered in _KINDS.values():
        if registered.model is model:
            return registered
    return None


def kinds() -> Iterable[ModerationKind]:
    return list(_KINDS.values())


def kind_of(obj: models.Model) -> ModerationKind:
    found = for_model(type(obj))
    if found is None:
        raise UnknownKind(obj._meta.label)
    return found


Escalation = Callable[["Decision"], None]
_ESCALATIONS: dict[str, list[Escalation]] = {}


def register_escalation(action: str, handler: Escalation) -> Escalation:
    """Let the app that takes escalations (professionals for ``escalate_expert``, safety
    for ``escalate_safety``) hear of each one; called after the decision commits."""
    handlers = _ESCALATIONS.setdefault(action, [])
    if handler not in handlers:
        handlers.append(handler)
    return handler


def escalation_handlers(action: str) -> list[Escalation]:
    return list(_ESCALATIONS.get(action, ()))


DecisionListener = Callable[["Decision"], object]
_DECISION_LISTENERS: list[DecisionListener] = []


def register_decision_listener(listener: DecisionListener) -> DecisionListener:
    """Let an app hear of every decision, after it commits (reviews tells a disputing
    provider the outcome of the case their dispute opened). Registering twice is
    harmless."""
    if listener not in _DECISION_LISTENERS:
        _DECISION_LISTENERS.append(listener)
    return listener


def decision_listeners() -> list[DecisionListener]:
    return list(_DECISION_LISTENERS)


@dataclass(frozen=True)
class CasePanel:
    """A section another app adds to a case's page (``template`` rendered with
    ``panel`` = ``context``): reviews shows a provider's dispute and the reviewer's
    answer there."""

    template: str
    context: dict[str, Any]


CasePanelSource = Callable[[Any, Any], "CasePanel | None"]
_CASE_PANELS: dict[str, list[CasePanelSource]] = {}


def register_case_panel(kind: str, source: CasePanelSource) -> CasePanelSource:
    """``source(moderator, case)`` returns a panel for cases of ``kind``, or ``None``."""
    sources = _CASE_PANELS.setdefault(kind, [])
    if source not in sources:
        sources.append(source)
    return source


def case_panels(moderator: Any, case: Any) -> list[CasePanel]:
    found = (source(moderator, case) for source in _CASE_PANELS.get(case.kind, ()))
    return [panel for panel in found if panel is not None]


def resolve_url(url: str) -> tuple[ModerationKind, Any] | None:
    """The kind and object at ``url`` (a notice's "exact location"), asking each kind."""
    for registered in _KINDS.values():
        if registered.from_url is None:
            continue
        obj = registered.from_url(url)
        if obj is not None:
            return registered, obj
    return None
