"""The kinds search finds today: posts in communities (threads are found through
their posts; a thread's title is indexed with its first post).

Later kinds (reviews, stories) register themselves the same way from their own apps.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from patientvoice.communities.models import Membership, Post, Visibility
from patientvoice.communities.permissions import visible_posts
from patientvoice.core.markup import text_as_read
from patientvoice.core.models import ContentStatus

from .registry import PUBLIC, Document, Hit, SearchKind, register_audiences, register_kind


def _published(qs: QuerySet[Post]) -> QuerySet[Post]:
    # Search lists published posts only, to everyone: not a held post to its author,
    # not a removed one to staff (their pages show those).
    return qs.filter(status=ContentStatus.PUBLISHED, thread__is_published=True)


def indexable_posts() -> QuerySet[Post]:
    return _published(Post.objects.all())


def post_documents(qs: QuerySet[Post]) -> Iterator[Document]:
    first_post = Subquery(
        Post.objects.filter(thread=OuterRef("thread")).order_by("created_at", "id").values("pk")[:1]
    )
    rows = qs.select_related("thread", "community").annotate(first_post_id=first_post)
    for post in rows:
        community = post.community
        audiences = [f"c{community.pk}"]
        if community.visibility == Visibility.PUBLIC:
            audiences.append(PUBLIC)
        yield Document(
            object_id=post.pk,
            # The thread's title belongs to its opening post; a reply matching the
            # title would only repeat it.
            title=post.thread.title if post.pk == post.first_post_id else "",
            body=text_as_read(post.body_html),
            language=post.language,
            published_at=post.published_at or post.created_at,
            community_id=community.pk,
            audiences=tuple(audiences),
            author_id=post.author_id,
        )


def searchable_posts(user: Any, qs: QuerySet[Post]) -> QuerySet[Post]:
    return visible_posts(user, _published(qs))


def post_hits(user: Any, ids: list[int]) -> dict[int, Hit]:
    posts = searchable_posts(
        user, Post.objects.filter(pk__in=ids).select_related("thread", "community")
    )
    hits = {}
    for post in posts:
        thread, community = post.thread, post.community
        url = reverse(
            "communities:thread", kwargs={"slug": community.slug, "thread_id": thread.public_id}
        )
        page = getattr(post, "page_number", 1)
        if page > 1:
            url += f"?page={page}"
        hits[post.pk] = Hit(
            title=thread.title,
            url=f"{url}#post-{post.public_id}",
            text=text_as_read(post.body_html),
            language=post.language,
            published_at=post.published_at,
            place=community.name,
            place_url=reverse("communities:detail", kwargs={"slug": community.slug}),
        )
    return hits


register_kind(
    SearchKind(
        label="communities.post",
        name=pgettext_lazy("search kind", "Posts in communities"),
        model=Post,
        indexable=indexable_posts,
        documents=post_documents,
        searchable=searchable_posts,
        hits=post_hits,
    )
)


@register_audiences
def community_audiences(user: Any) -> set[str]:
    """A member of community 12 reads what is written for "c12"."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {
        f"c{pk}"
        for pk in Membership.objects.filter(user_id=user.pk).values_list("community_id", flat=True)
    }
