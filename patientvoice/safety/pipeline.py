"""The safety screen in the publishing pipeline (decisions/0036).

* The after-publish hook ``safety.signals`` runs in the worker after commit for every
  kind of content, published or held, in every place (public, members-only,
  private): the detector reads it and each mention at or above
  ``PV_SAFETY_SIGNAL_THRESHOLD`` opens a signal (``actions.open_signals``; idempotent).
  Hidden and removed content is not screened: nobody can newly see it.
* A moderator's decision "Send to the safety queue" (``escalate_safety``) opens
  signals for the content whatever the detector's confidence, or one to read when it
  finds nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from patientvoice.core.models import Content
from patientvoice.core.publishing import register_after_publish

from . import actions

logger = logging.getLogger(__name__)


@register_after_publish("safety.signals")
def screen_after_publish(content: Content) -> None:
    actions.open_signals(content=content)


def open_signals_for_escalation(decision: Any) -> None:
    """``moderation.registry.register_escalation("escalate_safety", ...)``: runs after
    the moderator's decision commits."""
    from patientvoice.moderation import registry

    case = decision.case
    try:
        registered = registry.get(case.kind)
    except registry.UnknownKind:
        return
    obj = registered.fetch(case.object_id)
    if not isinstance(obj, Content):
        return  # a profile, or gone: nothing a safety officer could assess
    actions.open_signals_from_escalation(
        content=obj, moderator=decision.moderator, at=decision.created_at
    )


def register() -> None:
    from patientvoice.moderation.registry import register_escalation

    register_escalation("escalate_safety", open_signals_for_escalation)
