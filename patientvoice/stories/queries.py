"""Reads that the pages, the API, the feed and the demo share; every one passes through
the visibility rule (``permissions.visible_*``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet

from patientvoice.core.models import ContentStatus
from patientvoice.directory.models import Condition
from patientvoice.organizations.models import Organization, OrganizationKind

from .models import Story, StoryComment, StoryDraft, StoryFeature, StoryNotice
from .permissions import visible_comments, visible_drafts, visible_notices, visible_stories

CONDITIONS_PREFETCH = Prefetch("conditions", queryset=Condition.objects.order_by("name_sv"))


def counting_features() -> QuerySet[StoryFeature]:
    """The features that count: never a sponsor's (an organisation switched to sponsor
    in the admin keeps its rows, but they boost nothing; decisions/0040)."""
    return StoryFeature.objects.exclude(organization__kind=OrganizationKind.SPONSOR)


def _is_featured() -> Exists:
    return Exists(counting_features().filter(story_id=OuterRef("pk")))


def _with_list_columns(qs: QuerySet[Story]) -> QuerySet[Story]:
    return (
        qs.select_related("author", "community")
        .prefetch_related(CONDITIONS_PREFETCH)
        .annotate(is_featured=_is_featured())
    )


def story_list(user: Any, *, condition: Condition | None = None) -> QuerySet[Story]:
    """Published stories ``user`` may read, featured ones first, then the newest; with
    their authors, audiences and conditions (three queries, whatever their number)."""
    qs = visible_stories(user, Story.objects.filter(status=ContentStatus.PUBLISHED))
    if condition is not None:
        qs = qs.filter(conditions=condition)
    return _with_list_columns(qs).order_by(F("is_featured").desc(), "-published_at", "-id")


def conditions_with_stories(user: Any) -> list[Condition]:
    """The conditions some story ``user`` may read is tagged with (the list's filter):
    a condition only a hidden story carries is not offered."""
    readable = visible_stories(user, Story.objects.filter(status=ContentStatus.PUBLISHED))
    return list(
        Condition.objects.filter(stories__in=readable.values("pk")).distinct().order_by("name_sv")
    )


def featured_for_organization(user: Any, organization: Organization) -> QuerySet[Story]:
    """The published stories ``organization`` features that ``user`` may read, newest
    feature first (for the organisation's page)."""
    features = counting_features().filter(organization=organization)
    return _with_list_columns(
        visible_stories(
            user,
            Story.objects.filter(
                status=ContentStatus.PUBLISHED, pk__in=features.values("story_id")
            ),
        )
    ).order_by("-published_at", "-id")


def story_conditions(story: Story) -> list[Condition]:
    """The conditions of a story already fetched through ``access_story``."""
    return list(story.conditions.order_by("name_sv"))


def featuring_names(story: Story) -> list[Organization]:
    """The organisations featuring a story already fetched through ``access_story``."""
    return list(
        Organization.objects.filter(featured_stories__story=story)
        .exclude(kind=OrganizationKind.SPONSOR)
        .order_by("name")
        .distinct()
    )


def story_comments(user: Any, story: Story) -> list[StoryComment]:
    """The comments of ``story`` (fetched through ``access_story``) that ``user`` may
    see, as top-level comments with their replies in ``shown_replies``, oldest first,
    in one query. A reply whose top-level comment is not shown is not shown either."""
    rows = list(
        visible_comments(user, StoryComment.objects.filter(story=story))
        .select_related("author")
        .order_by("created_at", "id")
    )
    top: dict[int, Any] = {}
    for comment in rows:
        comment.story = story
        if comment.parent_id is None:
            shown: Any = comment
            shown.shown_replies = []
            top[comment.pk] = shown
    for comment in rows:
        if comment.parent_id is not None and comment.parent_id in top:
            top[comment.parent_id].shown_replies.append(comment)
    return list(top.values())


def my_drafts(user: Any) -> QuerySet[StoryDraft]:
    return visible_drafts(user, StoryDraft.objects.select_related("community")).order_by(
        "-updated_at", "-id"
    )


def my_stories(user: Any) -> QuerySet[Story]:
    """The person's own stories in every state they may see (held ones included)."""
    if not getattr(user, "is_authenticated", False):
        return Story.objects.none()  # visibility: nothing at all
    return visible_stories(user, Story.objects.filter(author_id=user.pk)).order_by(
        "-created_at", "-id"
    )


def notices_for(user: Any) -> QuerySet[StoryNotice]:
    return (
        visible_notices(user, StoryNotice.objects.all())
        .select_related("comment", "comment__story", "comment__author")
        .order_by("-created_at", "-id")
    )


def public_stories(language: str) -> QuerySet[Story]:
    """Published stories for everyone (no community), in ``language``, newest first:
    the Atom feed, read as a visitor."""
    from django.contrib.auth.models import AnonymousUser

    return (
        visible_stories(
            AnonymousUser(),
            Story.objects.filter(
                status=ContentStatus.PUBLISHED, community__isnull=True, language=language
            ),
        )
        .select_related("author")
        .order_by("-published_at", "-id")
    )


def story_for_page(user: Any, public_id: Any) -> Story:
    """The story page's row: ``access_story`` with whether any expert note is attached
    (``has_any_notes``) and whether an organisation features it (``is_featured``), in
    one query; ``Http404`` when ``user`` may not see it."""
    from django.http import Http404

    from patientvoice.expertnotes.presence import has_notes

    story = (
        visible_stories(user, Story.objects.filter(public_id=public_id))
        .select_related("author", "community", "community__organization")
        .annotate(
            has_any_notes=has_notes("story"),
            is_featured=_is_featured(),
        )
        .first()
    )
    if story is None:
        raise Http404
    return story
