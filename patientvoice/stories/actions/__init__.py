"""Every write of the stories app (a package of verbs, as communities' actions):
``from patientvoice.stories import actions; actions.publish_draft(...)``."""

from .comments import (
    GUEST_CONFIRMED,
    GUEST_HOLD,
    check_guest_rate,
    comment_as_guest,
    comment_as_member,
    confirm_guest_comment,
    confirmation_url,
    delete_guest_comment,
    recount_comments,
    set_comment_status,
)
from .drafts import discard_draft, save_draft
from .erasure import remove_stories_of
from .notices import mark_notices_read, notify_about_comment
from .stories import (
    delete_story,
    edit_story,
    feature_story,
    publish_draft,
    set_story_status,
    story_slug,
    unfeature_story,
)

__all__ = [
    "GUEST_CONFIRMED",
    "GUEST_HOLD",
    "check_guest_rate",
    "comment_as_guest",
    "comment_as_member",
    "confirm_guest_comment",
    "confirmation_url",
    "delete_guest_comment",
    "delete_story",
    "discard_draft",
    "edit_story",
    "feature_story",
    "mark_notices_read",
    "notify_about_comment",
    "publish_draft",
    "recount_comments",
    "remove_stories_of",
    "save_draft",
    "set_comment_status",
    "set_story_status",
    "story_slug",
    "unfeature_story",
]
