"""The after-publish hook: a published note tells its target's author, a published
reply tells the note's author (core.publishing runs it in the worker, after commit).

Notes are not posts, so they do not use the post-based ``notifications.Notification``
(its row is about one post and its visibility is the post's). They are told with a
``NoteNotice`` as reviews tell with ``ReviewNotice`` (decisions/0032, 0034)."""

from __future__ import annotations

from patientvoice.core.models import Content
from patientvoice.core.publishing import register_after_publish

from . import actions
from .models import ExpertNote, NoteAuthorReply


@register_after_publish("expertnotes.notify")
def notify_after_publish(content: Content) -> None:
    # Held notes tell nobody until a moderator publishes them (the actions check).
    if isinstance(content, ExpertNote):
        actions.notify_about_note(note=content)
    elif isinstance(content, NoteAuthorReply):
        actions.notify_about_reply(reply=content)
