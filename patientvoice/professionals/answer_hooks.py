"""Keeping a question's first professional answer right (decisions/0037).

* The after-publish hook ``professionals.first_answer`` (core.publishing runs it in the
  worker, after commit, for every published or held content; also when a moderator
  keeps a held post or restores a hidden one): a published post in a question thread
  recomputes the thread's first answer.
* A moderation decision listener: a decision on the post that is a question's first
  answer (hidden, removed, redacted) recomputes it, so the next answer takes its place.

Both are idempotent: they recompute from the posts and write only what changed.
"""

from __future__ import annotations

from typing import Any

from patientvoice.communities.models import Post
from patientvoice.core.models import Content
from patientvoice.core.publishing import register_after_publish

from . import questions

# The moderation kind of community posts (moderation.kinds.POST).
POST_KIND = "post"


@register_after_publish("professionals.first_answer")
def note_answer(content: Content) -> None:
    if isinstance(content, Post):
        questions.answer_published(post=content)


def answer_decided(decision: Any) -> None:
    """A moderation decision, after it commits (``moderation.registry``)."""
    case = decision.case
    if case.kind == POST_KIND:
        questions.answer_post_changed(post_id=case.object_id)
