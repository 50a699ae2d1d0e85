"""What the stories app holds about a person (data export) and how it forgets them
(erasure; ``actions.remove_stories_of``). A guest's comments belong to no account:
the guest deletes them through the link e-mailed to them (decisions/0040)."""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import register_exporter, rows
from patientvoice.accounts.models import ErasureMode

from .actions import remove_stories_of
from .models import Story, StoryComment, StoryDraft, StoryFeature, StoryNotice, StoryRevision


@register_exporter(
    "stories",
    models=[
        "stories.Story",
        "stories.StoryDraft",
        "stories.StoryRevision",
        "stories.StoryComment",
        "stories.StoryNotice",
        "stories.StoryFeature",
    ],
)
def export_stories(user: Any) -> dict[str, Any]:
    return {
        "stories": rows(
            Story.objects.filter(author=user).order_by("created_at", "pk"),
            "public_id",
            "title",
            "body",
            "language",
            "status",
            "community__slug",
            "cover_alt",
            "created_at",
            "published_at",
            "edited_at",
        ),
        "story_drafts": rows(
            StoryDraft.objects.filter(author=user).order_by("created_at", "pk"),
            "public_id",
            "title",
            "body",
            "language",
            "community__slug",
            "cover_alt",
            "created_at",
            "updated_at",
        ),
        # What the person's stories said before each edit, and edits they made.
        "story_revisions": rows(
            StoryRevision.objects.filter(edited_by=user).order_by("created_at", "pk"),
            "story__public_id",
            "title",
            "body",
            "created_at",
        ),
        "story_comments": rows(
            StoryComment.objects.filter(author=user).order_by("created_at", "pk"),
            "public_id",
            "story__public_id",
            "parent__public_id",
            "body",
            "language",
            "status",
            "created_at",
            "published_at",
        ),
        # By comment id only: never others' words.
        "story_notices": rows(
            StoryNotice.objects.filter(recipient=user).order_by("created_at", "pk"),
            "kind",
            "comment__public_id",
            "created_at",
            "read_at",
        ),
        "stories_featured_by_you": rows(
            StoryFeature.objects.filter(featured_by=user).order_by("created_at", "pk"),
            "story__public_id",
            "organization__slug",
            "created_at",
        ),
    }


@register_eraser("stories")
def erase_stories(user: Any, mode: str) -> None:
    remove_stories_of(user=user, published_too=mode == ErasureMode.REMOVE)
