"""The after-publish hook ``stories.notify`` (core.publishing runs it in the worker,
after commit): a published comment tells the story's author, a reply the author of the
comment it answers (``actions.notify_about_comment``; once per comment)."""

from __future__ import annotations

from patientvoice.core.models import Content
from patientvoice.core.publishing import register_after_publish

from . import actions
from .models import StoryComment


@register_after_publish("stories.notify")
def notify_after_publish(content: Content) -> None:
    if isinstance(content, StoryComment):
        actions.notify_about_comment(comment=content)
