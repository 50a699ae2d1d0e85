"""Cases from the publishing pipeline: held content and crisis language.

Registered as the after-publish hook ``moderation.cases`` (``core.publishing``), so it
runs in the worker after commit for every kind of content moderation knows (a kind
registered in :mod:`patientvoice.moderation.registry` for the content's model):

* content the pipeline **held** opens (or joins) a case with source "pipeline" and the
  checker's reasons (a copy of ``hold_reasons``). A person decides it: "keep"
  publishes it (decisions/0008 and 0028: automated holds are never final);
* content with **crisis language** (``core.textchecks.crisis``; it is published, and
  its author was shown help at once) opens an urgent case, at the top of the queue.
  It is never held for it (decisions/0008).

Hooks must be idempotent (a retried task runs them again): a held item joins its open
case; crisis language opens an urgent case only when none was opened since the text
last changed.
"""

from __future__ import annotations

from datetime import datetime

from patientvoice.core.markup import text_as_read
from patientvoice.core.models import Content, ContentStatus
from patientvoice.core.publishing import register_after_publish
from patientvoice.core.textchecks import CheckContext
from patientvoice.core.textchecks.crisis import check_crisis_language

from .actions import open_case
from .models import Case, CaseSource
from .registry import ModerationKind, for_model

CRISIS_REASON = "crisis.language"


def has_crisis_language(content: Content) -> bool:
    """The crisis checker's verdict on the text as typed and as read, as the pipeline
    asks it."""
    context = CheckContext(kind=content._meta.label_lower)
    return bool(
        check_crisis_language(content.body, context)
        or check_crisis_language(text_as_read(content.body_html), context)
    )


def _text_changed_at(content: Content) -> datetime:
    edited = getattr(content, "edited_at", None)
    return edited if edited is not None else content.created_at


def _urgent_case_since(registered: ModerationKind, content: Content) -> bool:
    return Case.objects.filter(
        kind=registered.kind,
        object_id=content.pk,
        urgent=True,
        opened_at__gte=_text_changed_at(content),
    ).exists()


@register_after_publish("moderation.cases")
def open_cases_after_publish(content: Content) -> None:
    registered = for_model(type(content))
    if registered is None:
        return
    if content.status == ContentStatus.HELD:
        open_case(
            kind=registered.kind,
            obj=content,
            source=CaseSource.PIPELINE,
            reasons=list(content.hold_reasons),
        )
    if content.status not in (ContentStatus.PUBLISHED, ContentStatus.HELD):
        return
    if has_crisis_language(content) and not _urgent_case_since(registered, content):
        open_case(
            kind=registered.kind,
            obj=content,
            source=CaseSource.CRISIS,
            reasons=[CRISIS_REASON],
            urgent=True,
        )
