"""The after-publish hook: posting follows the thread, and the people concerned are
notified (core.publishing runs it in the worker, after commit)."""

from __future__ import annotations

from patientvoice.communities.models import Post
from patientvoice.core.models import Content
from patientvoice.core.publishing import register_after_publish

from . import actions


@register_after_publish("notifications.notify")
def notify_after_publish(content: Content) -> None:
    # Held posts only make their author follow the thread; nobody else hears of them
    # until they are published (notify_about_post checks the status).
    if isinstance(content, Post):
        actions.notify_about_post(post=content)
