"""The Atom feed of public stories, one per language (``/sv/stories/feed/`` lists
Swedish stories). Read as a visitor through the visibility rule: stories told to a
community are never in it. Answers conditional GETs (ETag, Last-Modified) from one
small query over the items served, so feed readers polling it cost almost nothing."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language, pgettext
from django.views.decorators.http import condition

from .models import Story
from .queries import public_stories

FEED_ITEMS = 30


def _etag(request: HttpRequest) -> str:
    """A digest of what the feed serves: each item's id, last change, author and the
    author's handle. Any change of the served set (a story published, edited, hidden,
    removed or deleted, an author renamed or erased) changes it; one small query."""
    rows = public_stories(get_language() or "sv").values_list(
        "pk", "updated_at", "author_id", "author__handle"
    )[:FEED_ITEMS]
    digest = hashlib.sha256(repr(list(rows)).encode()).hexdigest()[:32]
    return f'"{get_language()}-{digest}"'


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


# The ETag alone decides 304: a date cannot tell that a story left the feed (a deleted
# one has none), so If-Modified-Since is not honoured. The Feed still sends
# Last-Modified, the newest date among the items served.
@condition(etag_func=_etag)
def story_feed(request: HttpRequest) -> HttpResponse:
    return _feed(request)
