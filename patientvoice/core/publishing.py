"""The publishing pipeline: every piece of content a person writes passes through here.

Contract (ARCHITECTURE §4, docs/architecture.md):

1. ``body`` is rendered once to sanitised HTML (:mod:`patientvoice.core.markup`) and
   stored in ``body_html``.
2. Every registered text check runs (:mod:`patientvoice.core.textchecks`).
3. Decide: any ``HOLD`` finding holds the content (``status=held``, reasons stored in
   ``hold_reasons`` and shown to the author); otherwise it is published.
   A caller may force a hold (``hold_for_review=True``, e.g. guest comments).
4. After the surrounding transaction commits, the ``after_publish`` task runs the
   registered hooks (search indexing, notifications, safety signals, audit) in the
   worker, so a reply returns quickly.

Callers are actions: they own the transaction, build the unsaved content object and
call :func:`publish`; they never set ``status`` or ``body_html`` themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.tasks import task  # type: ignore[import-untyped,unused-ignore]
from django.utils import timezone

from .markup import render_markdown, text_as_read
from .models import Content, ContentStatus
from .textchecks import CheckContext, Finding, Outcome, run_checks
from .textchecks.newcomers import remember_text

if TYPE_CHECKING:
    from patientvoice.accounts.models import User

logger = logging.getLogger(__name__)

AfterPublishHook = Callable[[Content], None]
_AFTER_PUBLISH_HOOKS: dict[str, AfterPublishHook] = {}


def register_after_publish(name: str) -> Callable[[AfterPublishHook], AfterPublishHook]:
    """Register a hook run in the worker after content is published or held.

    Hooks receive the saved content and must be idempotent (a retried task may run
    them twice). They must check ``content.status`` themselves: a held post must not
    be indexed for the public, but a safety check still wants to see it.
    """

    def decorator(hook: AfterPublishHook) -> AfterPublishHook:
        _AFTER_PUBLISH_HOOKS[name] = hook
        return hook

    return decorator


def after_publish_hooks() -> dict[str, AfterPublishHook]:
    return dict(_AFTER_PUBLISH_HOOKS)


@dataclass
class PublishResult:
    content: Content
    findings: list[Finding] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.content.status == ContentStatus.PUBLISHED

    @property
    def held(self) -> bool:
        return self.content.status == ContentStatus.HELD

    @property
    def hold_messages(self) -> list[Any]:
        return [f.message for f in self.findings if f.outcome is Outcome.HOLD]

    @property
    def help_panels(self) -> list[str]:
        return sorted({f.help_panel for f in self.findings if f.help_panel})


class ContentTooLong(ValueError):
    pass


def check_context_for(author: User | None, kind: str, content_key: str = "") -> CheckContext:
    if author is None:
        return CheckContext(kind=kind)
    return CheckContext(
        kind=kind,
        author_joined_at=author.date_joined,
        author_published_count=author.published_count,
        author_is_trusted=author.is_staff or author.is_trusted,
        extra={"author_id": author.pk, "content_key": content_key},
    )


def publish(
    content: Content,
    *,
    hold_for_review: bool = False,
    hold_reason: str = "",
    check_text: str | None = None,
) -> PublishResult:
    """Render, check, decide and save ``content``; schedule after-commit hooks.

    Preconditions: ``content.body`` and ``content.author`` are set; the caller holds a
    transaction (``transaction.atomic``). ``check_text`` lets a kind check more than
    the body (e.g. a thread's title together with its first post).
    Effects: ``content`` is saved with ``body_html``, ``status``, ``hold_reasons`` and
    ``published_at``; the author's ``published_count`` goes up when the content is
    published for the first time (not again when an edit is published); the
    after-publish task is enqueued on commit.
    """
    if len(content.body) > content.MAX_BODY_LENGTH:
        raise ContentTooLong(content.MAX_BODY_LENGTH)
    kind = content._meta.label_lower
    content.body_html = render_markdown(content.body)
    author = content.author
    # An edit is not a repeat of itself (textchecks.newcomers.check_duplicate).
    content_key = f"{kind}:{content.pk}" if content.pk else ""
    context = check_context_for(author, kind, content_key)
    raw = content.body if check_text is None else check_text
    # Checked twice: as typed, and as a reader will see it (entities, escapes and
    # invisible characters can hide a phone number in the Markdown source).
    findings = run_checks(raw, context)
    seen = {f.code for f in findings}
    rendered = text_as_read(content.body_html if check_text is None else render_markdown(raw))
    findings += [f for f in run_checks(rendered, context) if f.code not in seen]
    hold_codes = [f.code for f in findings if f.outcome is Outcome.HOLD]
    # An edit passes through here again; the author's count goes up only the first time.
    first_publication = content.published_at is None
    if hold_for_review:
        hold_codes.insert(0, hold_reason or "review.required")
    if hold_codes:
        content.status = ContentStatus.HELD
        content.hold_reasons = hold_codes
    else:
        content.status = ContentStatus.PUBLISHED
        content.hold_reasons = []
        content.published_at = content.published_at or timezone.now()
    content.save()
    if author is not None:  # for check_duplicate, once the text is really stored
        author_id, stored_key = author.pk, f"{kind}:{content.pk}"
        transaction.on_commit(lambda: remember_text(author_id, raw, stored_key))
    if author is not None and content.status == ContentStatus.PUBLISHED and first_publication:
        # F(): the in-memory count may be stale (two posts by one author in one request).
        author._meta.model._default_manager.filter(pk=author.pk).update(
            published_count=F("published_count") + 1
        )
        author.published_count += 1
    label, pk = content._meta.label, content.pk
    transaction.on_commit(lambda: run_after_publish.enqueue(label, pk))
    return PublishResult(content=content, findings=findings)


@task(queue_name="default")
def run_after_publish(model_label: str, pk: int) -> None:
    model = apps.get_model(model_label)
    content = model._default_manager.filter(pk=pk).first()
    if content is None:  # deleted before the worker got to it
        return
    for name, hook in after_publish_hooks().items():
        try:
            hook(content)
        except Exception:  # one failing hook must not starve the others
            logger.exception("after_publish hook failed", extra={"hook": name, "pk": pk})
