"""What a note can be attached to: one entry per kind of target.

Each entry says which foreign key of :class:`~patientvoice.expertnotes.models.ExpertNote`
names it, the target's own visibility rule, whether it is published, who wrote it, where
it is shown and which community's moderators decide about notes on it. Adding stories
is one foreign key on the model (and ``models.TARGET_FIELDS``) and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from patientvoice.communities.models import Post
from patientvoice.communities.permissions import visible_posts
from patientvoice.core.models import ContentStatus
from patientvoice.reviews.kinds import review_url
from patientvoice.reviews.models import Review
from patientvoice.reviews.permissions import visible_reviews
from patientvoice.stories.kinds import story_url
from patientvoice.stories.models import Story
from patientvoice.stories.permissions import visible_stories


@dataclass(frozen=True)
class TargetKind:
    key: str  # in URLs and the API: "post", "review", "story"
    field: str  # the foreign key on ExpertNote
    model: type[Model]
    noun: str | Promise
    visible: Callable[[Any, QuerySet[Any]], QuerySet[Any]]
    is_published: Callable[[Any], bool]
    url_of: Callable[[Any], str]
    community_id_of: Callable[[Any], int | None]
    related: tuple[str, ...] = ()


def _post_url(post: Post) -> str:
    try:
        return reverse(
            "communities:post",
            kwargs={
                "slug": post.community.slug,
                "thread_id": post.thread.public_id,
                "post_id": post.public_id,
            },
        )
    except NoReverseMatch:
        return ""


def _post_published(post: Post) -> bool:
    return post.status == ContentStatus.PUBLISHED and post.thread.is_published


TARGETS: dict[str, TargetKind] = {
    "post": TargetKind(
        key="post",
        field="post",
        model=Post,
        noun=pgettext_lazy("expert note target", "post"),
        visible=visible_posts,
        is_published=_post_published,
        url_of=_post_url,
        community_id_of=lambda post: post.community_id,
        related=("thread", "community", "author"),
    ),
    "review": TargetKind(
        key="review",
        field="review",
        model=Review,
        noun=pgettext_lazy("expert note target", "review"),
        visible=visible_reviews,
        is_published=lambda review: review.status == ContentStatus.PUBLISHED,
        url_of=review_url,
        community_id_of=lambda review: None,
        related=("author", "medicine", "physician", "clinic"),
    ),
    "story": TargetKind(
        key="story",
        field="story",
        model=Story,
        noun=pgettext_lazy("expert note target", "story"),
        visible=visible_stories,
        is_published=lambda story: story.status == ContentStatus.PUBLISHED,
        url_of=story_url,
        community_id_of=lambda story: story.community_id,
        related=("author", "community"),
    ),
}


def target_kind(key: str) -> TargetKind:
    """The kind named in a URL or a request; ``Http404`` for an unknown one."""
    try:
        return TARGETS[key]
    except KeyError:
        raise Http404 from None


def access_target(user: Any, key: str, public_id: Any) -> Any:
    """The target ``key``/``public_id`` if ``user`` may see it (its own visibility
    rule), else ``Http404``."""
    kind = target_kind(key)
    qs = kind.model._default_manager.filter(public_id=public_id).select_related(*kind.related)
    found = kind.visible(user, qs).first()
    if found is None:
        raise Http404
    return found


def kind_of_target(target: Any) -> TargetKind:
    for kind in TARGETS.values():
        if isinstance(target, kind.model):
            return kind
    raise TypeError(f"Notes cannot be attached to {type(target).__name__}.")
