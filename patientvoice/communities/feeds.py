"""Atom feeds for public communities and their threads (ARCHITECTURE §4: feeds read
through the visibility rule, as a visitor). Members-only and private communities have
no feed: their URLs answer 404, like any other way in."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import pgettext

from .models import Community, Post, Thread, Visibility
from .permissions import access_thread, visible_communities, visible_posts, visible_threads

FEED_ITEMS = 30
VISITOR = AnonymousUser()


def _public_community(slug: str) -> Community:
    community = visible_communities(
        VISITOR, Community.objects.filter(slug=slug, visibility=Visibility.PUBLIC)
    ).first()
    if community is None:
        raise Http404
    return community


class CommunityFeed(Feed):  # type: ignore[type-arg]
    """The newest threads of a public community."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Community:
        return _public_community(slug)

    def title(self, obj: Community) -> str:
        return f"{obj.name} · PatientVoice"

    def link(self, obj: Community) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Community) -> str:
        return obj.description or pgettext("feed", "New discussions")

    def items(self, obj: Community) -> Any:
        # The opening post's HTML in the same query (not one query per entry), read
        # through the same visibility rule.
        first_post = (
            visible_posts(VISITOR, Post.objects.filter(thread=OuterRef("pk")))
            .order_by("created_at", "id")
            .values("body_html")[:1]
        )
        return (
            visible_threads(
                VISITOR, Thread.objects.filter(community=obj).select_related("community", "author")
            )
            .annotate(first_post_html=Subquery(first_post))
            .order_by("-created_at", "-id")[:FEED_ITEMS]
        )

    def item_title(self, item: Thread) -> str:
        return item.title

    def item_description(self, item: Thread) -> str:
        return str(getattr(item, "first_post_html", None) or "")

    def item_link(self, item: Thread) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Thread) -> str:
        return item.author.handle if item.author else pgettext("author", "former member")

    def item_pubdate(self, item: Thread) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Thread) -> datetime:
        return item.last_post_at or item.created_at


class ThreadFeed(Feed):  # type: ignore[type-arg]
    """The newest posts in a thread of a public community."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str, thread_id: Any) -> Thread:
        _public_community(slug)
        return access_thread(VISITOR, slug, thread_id)

    def title(self, obj: Thread) -> str:
        return f"{obj.title} · {obj.community.name}"

    def link(self, obj: Thread) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Thread) -> str:
        return obj.community.name

    def items(self, obj: Thread) -> Any:
        return visible_posts(
            VISITOR, Post.objects.filter(thread=obj).select_related("author", "thread__community")
        ).order_by("-created_at", "-id")[:FEED_ITEMS]

    def item_title(self, item: Post) -> str:
        author = item.author.handle if item.author else pgettext("author", "former member")
        return pgettext("feed", "Post by %(author)s") % {"author": author}

    def item_description(self, item: Post) -> str:
        return item.body_html

    def item_link(self, item: Post) -> str:
        return f"{item.thread.get_absolute_url()}#post-{item.public_id}"

    def item_guid(self, item: Post) -> str:
        return f"urn:uuid:{item.public_id}"

    def item_author_name(self, item: Post) -> str:
        return item.author.handle if item.author else pgettext("author", "former member")

    def item_pubdate(self, item: Post) -> datetime:
        return item.published_at or item.created_at
