"""The moderation kinds "story" and "story_comment" (registered from
``StoriesConfig.ready()``).

A site-wide story (and its comments) is decided in the site-wide queue (site staff); a
community's story by that community's moderators and its hosting organisation's
staff, like its posts. Held stories and comments (guests' comments are always held)
reach the queues through moderation's after-publish hook. Moderators hide, remove and
restore them with a statement of reasons; "keep" on a held one publishes it (a guest's
comment too). A guest who confirmed their address is marked in the case (the reason
``stories.guest_confirmed`` and the panel ``stories/includes/case_guest.html``).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core.markup import plain_text
from patientvoice.core.models import ContentStatus
from patientvoice.moderation.kinds import excerpt
from patientvoice.moderation.models import Action, Decision
from patientvoice.moderation.registry import (
    CasePanel,
    ModerationKind,
    register,
    register_case_panel,
)

from . import actions
from .models import Story, StoryComment
from .permissions import visible_comments, visible_stories

STORY = "story"
STORY_COMMENT = "story_comment"

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_STORY_IN_URL = re.compile(rf"/stories/({_UUID})(?:/|$|[?#])")
_COMMENT_IN_URL = re.compile(rf"#comment-({_UUID})")


def story_url(story: Story) -> str:
    try:
        return story.get_absolute_url()
    except NoReverseMatch:
        return ""


def comment_url(comment: StoryComment) -> str:
    url = story_url(comment.story)
    return f"{url}#{comment.anchor}" if url else ""


def _story_from_url(url: str) -> Story | None:
    if _COMMENT_IN_URL.search(url):
        return None
    found = _STORY_IN_URL.search(url)
    if not found:
        return None
    return (
        Story.objects.filter(public_id=uuid.UUID(found.group(1)))
        .select_related("community")
        .first()
    )


def _comment_from_url(url: str) -> StoryComment | None:
    found = _COMMENT_IN_URL.search(url)
    if not found:
        return None
    return (
        StoryComment.objects.filter(public_id=uuid.UUID(found.group(1)))
        .select_related("story", "story__community")
        .first()
    )


def _state(content: Any) -> dict[str, Any]:
    return {"status": content.status}


def _apply_to_story(story: Story, action: str, decision: Decision, text: str) -> None:
    if action == Action.KEEP:
        if story.status == ContentStatus.HELD:
            actions.set_story_status(story=story, status=ContentStatus.PUBLISHED)
    elif action == Action.HIDE:
        actions.set_story_status(story=story, status=ContentStatus.HIDDEN)
    elif action == Action.REMOVE:
        actions.set_story_status(story=story, status=ContentStatus.REMOVED)
    elif action == Action.RESTORE:
        actions.set_story_status(story=story, status=ContentStatus.PUBLISHED)


def _undo_on_story(story: Story, decision: Decision, actor: User | None) -> None:
    if decision.action in (Action.HIDE, Action.REMOVE):
        actions.set_story_status(story=story, status=ContentStatus.PUBLISHED)


def _apply_to_comment(comment: StoryComment, action: str, decision: Decision, text: str) -> None:
    if action == Action.KEEP:
        # A held comment (a guest's always) is published when a moderator keeps it.
        if comment.status == ContentStatus.HELD:
            actions.set_comment_status(comment=comment, status=ContentStatus.PUBLISHED)
    elif action == Action.HIDE:
        actions.set_comment_status(comment=comment, status=ContentStatus.HIDDEN)
    elif action == Action.REMOVE:
        actions.set_comment_status(comment=comment, status=ContentStatus.REMOVED)
    elif action == Action.RESTORE:
        actions.set_comment_status(comment=comment, status=ContentStatus.PUBLISHED)


def _undo_on_comment(comment: StoryComment, decision: Decision, actor: User | None) -> None:
    if decision.action in (Action.HIDE, Action.REMOVE):
        actions.set_comment_status(comment=comment, status=ContentStatus.PUBLISHED)


def _story_excerpt(story: Story) -> str:
    return excerpt(f"{story.title}: {plain_text(story.body_html) or story.body}")


def _comment_excerpt(comment: StoryComment) -> str:
    return excerpt(plain_text(comment.body_html) or comment.body)


def _stories_of(moderator: Any, member: Any) -> QuerySet[Story]:
    return visible_stories(
        moderator, Story.objects.filter(author=member).select_related("community")
    )


def _comments_of(moderator: Any, member: Any) -> QuerySet[StoryComment]:
    return visible_comments(
        moderator,
        StoryComment.objects.filter(author=member).select_related("story", "story__community"),
    )


STORY_KIND = ModerationKind(
    kind=STORY,
    model=Story,
    noun=pgettext_lazy("moderated item", "story"),
    visible=visible_stories,
    community_of=lambda story: story.community,
    author_of=lambda story: story.author,
    excerpt_of=_story_excerpt,
    url_of=story_url,
    state_of=_state,
    apply=_apply_to_story,
    undo=_undo_on_story,
    actions=frozenset({Action.HIDE, Action.REMOVE, Action.RESTORE}),
    authored_by=_stories_of,
    from_url=_story_from_url,
)

COMMENT_KIND = ModerationKind(
    kind=STORY_COMMENT,
    model=StoryComment,
    noun=pgettext_lazy("moderated item", "comment on a story"),
    visible=visible_comments,
    community_of=lambda comment: comment.story.community,
    author_of=lambda comment: comment.author,
    excerpt_of=_comment_excerpt,
    url_of=comment_url,
    state_of=_state,
    apply=_apply_to_comment,
    undo=_undo_on_comment,
    actions=frozenset({Action.HIDE, Action.REMOVE, Action.RESTORE}),
    authored_by=_comments_of,
    from_url=_comment_from_url,
)


def guest_panel(moderator: Any, case: Any) -> CasePanel | None:
    """On a guest's comment's case: that it is a visitor's, their name, and whether
    they confirmed their address (never the address itself)."""
    comment = StoryComment.objects.filter(pk=case.object_id).first()  # visibility: the case's
    if comment is None or not comment.is_guest:
        return None
    return CasePanel(
        template="stories/includes/case_guest.html",
        context={"comment": comment},
    )


def register_story_kinds() -> None:
    register(STORY_KIND)
    register(COMMENT_KIND)
    register_case_panel(STORY_COMMENT, guest_panel)
