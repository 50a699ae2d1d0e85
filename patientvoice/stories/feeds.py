"""The Atom feed of public stories, one per language (``/sv/stories/feed/`` lists
Swedish stories). Read as a visitor through the visibility rule: stories told to a
community are never in it. Answers conditional GETs (ETag, Last-Modified) from one
small query, so feed readers polling it cost almost nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, pgettext
from django.views.decorators.http import condition

from .models import Story
from .queries import public_stories

FEED_ITEMS = 30


def _state(request: HttpRequest) -> tuple[datetime | None, int]:
    """The newest change and the number of stories in the feed: asked once a request
    (both validators use it)."""
    memo: tuple[datetime | None, int] | None = request.META.get("pv.story_feed_state")
    if memo is None:
        found = (
            public_stories(get_language() or "sv")
            .order_by()
            .aggregate(last=Max("updated_at"), count=Count("pk"))
        )
        memo = (found["last"], int(found["count"]))
        request.META["pv.story_feed_state"] = memo
    return memo


def _etag(request: HttpRequest) -> str:
    last, count = _state(request)
    stamp = last.isoformat() if last else "-"
    return f'"{get_language()}-{count}-{stamp}"'


def _last_modified(request: HttpRequest) -> datetime | None:
    return _state(request)[0]


class StoryFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def title(self) -> str:
        return pgettext("story feed", "Patients' stories · PatientVoice")

    def link(self) -> str:
        return reverse("stories:list")

    def subtitle(self) -> str:
        return pgettext("story feed", "New stories told by patients and caregivers.")

    def items(self) -> Any:
        return public_stories(get_language() or "sv")[:FEED_ITEMS]

    def item_title(self, item: Story) -> str:
        return item.title

    def item_description(self, item: Story) -> str:
        return item.body_html

    def item_link(self, item: Story) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Story) -> str:
        return f"urn:uuid:{item.public_id}"

    def item_guid_is_permalink(self, item: Story) -> bool:
        return False

    def item_author_name(self, item: Story) -> str:
        return item.author.handle if item.author else pgettext("author", "former member")

    def item_pubdate(self, item: Story) -> datetime:
        return item.published_at or item.created_at

    def item_updateddate(self, item: Story) -> datetime:
        return item.edited_at or item.published_at or item.created_at


_feed = StoryFeed()


@condition(etag_func=_etag, last_modified_func=_last_modified)
def story_feed(request: HttpRequest) -> HttpResponse:
    return _feed(request)
