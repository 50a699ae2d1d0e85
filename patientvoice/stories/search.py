"""Stories and their published comments as kinds of the one search index
(:mod:`patientvoice.search.registry`; registered from ``StoriesConfig.ready()``).

* Indexed: published stories (title and text) and published comments on published
  stories. Drafts never (they are not content yet).
* Audiences: a site-wide story is ``public``; a community's story is its community's
  token (``c<id>``), and also ``public`` when the community is public, as posts.
  ``searchable`` is ``visible_stories``/``visible_comments`` on published rows, so a
  stale row never shows anything.
* Kept current: the after-publish hook ``search.index``; ``actions`` re-index or take
  out rows on moderators' decisions, deletion and erasure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.communities.models import Visibility
from patientvoice.core.markup import text_as_read
from patientvoice.core.models import ContentStatus
from patientvoice.search.registry import PUBLIC, Document, Hit, SearchKind, register_kind

from .kinds import comment_url, story_url
from .models import Story, StoryComment
from .permissions import visible_comments, visible_stories


def _audiences(story: Story) -> tuple[str, ...]:
    community = story.community
    if community is None:
        return (PUBLIC,)
    if community.visibility == Visibility.PUBLIC:
        return (f"c{community.pk}", PUBLIC)
    return (f"c{community.pk}",)


def _published_stories(qs: QuerySet[Story]) -> QuerySet[Story]:
    return qs.filter(status=ContentStatus.PUBLISHED)


def _published_comments(qs: QuerySet[StoryComment]) -> QuerySet[StoryComment]:
    return qs.filter(status=ContentStatus.PUBLISHED, story__status=ContentStatus.PUBLISHED)


def indexable_stories() -> QuerySet[Story]:
    return _published_stories(Story.objects.all())  # visibility: the indexer's rows


def story_documents(qs: QuerySet[Story]) -> Iterator[Document]:
    for story in qs.select_related("community"):
        yield Document(
            object_id=story.pk,
            title=story.title,
            body=text_as_read(story.body_html),
            language=story.language,
            published_at=story.published_at or story.created_at,
            community_id=story.community_id,
            audiences=_audiences(story),
            author_id=story.author_id,
        )


def searchable_stories(user: Any, qs: QuerySet[Story]) -> QuerySet[Story]:
    return visible_stories(user, _published_stories(qs))


def _place(story: Story) -> tuple[str, str]:
    if story.community is not None:
        return story.community.name, story.community.get_absolute_url()
    return pgettext("search result", "Stories"), reverse("stories:list")


def story_hits(user: Any, ids: list[int]) -> dict[int, Hit]:
    stories = visible_stories(
        user, _published_stories(Story.objects.filter(pk__in=ids).select_related("community"))
    )
    hits = {}
    for story in stories:
        place, place_url = _place(story)
        hits[story.pk] = Hit(
            title=story.title,
            url=story_url(story),
            text=text_as_read(story.body_html),
            language=story.language,
            published_at=story.published_at,
            place=place,
            place_url=place_url,
        )
    return hits


def indexable_comments() -> QuerySet[StoryComment]:
    return _published_comments(StoryComment.objects.all())  # visibility: the indexer's rows


def comment_documents(qs: QuerySet[StoryComment]) -> Iterator[Document]:
    for comment in qs.select_related("story", "story__community"):
        story = comment.story
        yield Document(
            object_id=comment.pk,
            title="",
            body=text_as_read(comment.body_html),
            language=comment.language,
            published_at=comment.published_at or comment.created_at,
            community_id=story.community_id,
            audiences=_audiences(story),
            author_id=comment.author_id,
        )


def searchable_comments(user: Any, qs: QuerySet[StoryComment]) -> QuerySet[StoryComment]:
    return visible_comments(user, _published_comments(qs))


def comment_hits(user: Any, ids: list[int]) -> dict[int, Hit]:
    comments = visible_comments(
        user,
        _published_comments(
            StoryComment.objects.filter(pk__in=ids).select_related("story", "story__community")
        ),
    )
    hits = {}
    for comment in comments:
        story = comment.story
        place, place_url = _place(story)
        hits[comment.pk] = Hit(
            title=pgettext("search result", "Comment on “%(title)s”") % {"title": story.title},
            url=comment_url(comment),
            text=text_as_read(comment.body_html),
            language=comment.language,
            published_at=comment.published_at,
            place=place,
            place_url=place_url,
        )
    return hits


STORY_SEARCH_KIND = SearchKind(
    label="stories.story",
    name=pgettext_lazy("search kind", "Stories"),
    model=Story,
    indexable=indexable_stories,
    documents=story_documents,
    searchable=searchable_stories,
    hits=story_hits,
)

COMMENT_SEARCH_KIND = SearchKind(
    label="stories.storycomment",
    name=pgettext_lazy("search kind", "Comments on stories"),
    model=StoryComment,
    indexable=indexable_comments,
    documents=comment_documents,
    searchable=searchable_comments,
    hits=comment_hits,
)


def register_story_search() -> None:
    register_kind(STORY_SEARCH_KIND)
    register_kind(COMMENT_SEARCH_KIND)
