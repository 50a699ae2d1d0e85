"""Where stories and their comments can be seen: the surfaces that
:mod:`patientvoice.core.testing.visibility` checks. Imported by that helper in tests,
never by production code.

* Stories: the story page and the API's story (detail), the list page, the API list
  and the Atom feed (lists of published stories only, so they do not show an author's
  held story: ``exhaustive=False``).
* Comments: the story's page and the API's comment list.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from patientvoice.core.testing.visibility import (
    DetailSurface,
    ListSurface,
    public_id_and,
    register,
)

from .models import Story, StoryComment

API_PAGE = "?limit=100"


def _story_page(story: Story) -> str:
    return story.get_absolute_url()


def _list_page(story: Story) -> str:
    return reverse("stories:list")


def _feed(story: Story) -> str:
    with translation.override(story.language):
        return reverse("stories:feed")


def _api_story(story: Story) -> str:
    return reverse("api:get_story", kwargs={"public_id": story.public_id})


def _api_stories(story: Story) -> str:
    return reverse("api:list_stories") + API_PAGE


def _api_comments(comment: StoryComment) -> str:
    return reverse("api:list_comments", kwargs={"public_id": comment.story.public_id}) + API_PAGE


story_markers = public_id_and(whole=["title"])

register(
    Story,
    DetailSurface("stories.story_page", url=_story_page),
    DetailSurface("api.story", url=_api_story),
    ListSurface("stories.list", url=_list_page, markers=story_markers, exhaustive=False),
    ListSurface("api.stories", url=_api_stories, markers=story_markers, exhaustive=False),
    ListSurface("stories.feed", url=_feed, markers=story_markers, exhaustive=False),
)

register(
    StoryComment,
    ListSurface(
        "stories.comments_on_page",
        url=lambda c: c.story.get_absolute_url(),
        markers=public_id_and("body"),
    ),
    ListSurface("api.story_comments", url=_api_comments, markers=public_id_and("body")),
)
