"""The moderation kind "review" (registered from ``ReviewsConfig.ready()``).

Reviews are site-wide, so their cases go to the site-wide queue (staff). Held reviews
reach it like held posts: moderation's after-publish hook opens a case for any held
content of a registered kind. Only moderators change a review's status, through an
audited decision: hide, remove, restore, and "keep" on a held review publishes it as a
verified experience (decisions/0031). Every change goes through
``actions.set_review_status``, which keeps the rating summaries right.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.core.markup import plain_text
from patientvoice.core.models import ContentStatus
from patientvoice.moderation.kinds import excerpt
from patientvoice.moderation.models import Action, Decision
from patientvoice.moderation.registry import ModerationKind, register

from .actions import set_review_status
from .models import Review
from .permissions import visible_reviews

REVIEW = "review"

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# The anchor on an entry's page, or the review's permanent address (/<lang>/reviews/<id>/).
_REVIEW_IN_URL = re.compile(rf"#review-({_UUID})|/reviews/({_UUID})/?(?:[?#]|$)")


def review_url(review: Review) -> str:
    """The review's permanent address: it sends the reader to the page of the entry's
    reviews the review is on now (``views.review_permalink``), which moves as newer
    reviews arrive, so links in notices, search and the API never go stale."""
    try:
        return reverse("reviews:permalink", args=[review.public_id])
    except NoReverseMatch:
        return ""


def _excerpt(review: Review) -> str:
    """The written experience, or the scores when there is none."""
    text = plain_text(review.body_html) or review.body
    if text:
        return excerpt(text)
    kind = review.review_kind
    return excerpt(
        ", ".join(
            f"{kind.dimension(key).label}: {value}/5"
            for key, value in review.scores.items()
            if key in kind.keys
        )
    )


def _from_url(url: str) -> Review | None:
    found = _REVIEW_IN_URL.search(url)
    if not found:
        return None
    return (
        Review.objects.filter(public_id=uuid.UUID(found.group(1) or found.group(2)))
        .select_related("medicine", "physician", "clinic")
        .first()
    )


def _state(review: Review) -> dict[str, Any]:
    return {"status": review.status}


def _apply(review: Review, action: str, decision: Decision, text: str) -> None:
    if action == Action.KEEP:
        # An automated hold is decided by a person: keeping a held review publishes it.
        if review.status == ContentStatus.HELD:
            set_review_status(review, ContentStatus.PUBLISHED, approve=True)
    elif action == Action.HIDE:
        set_review_status(review, ContentStatus.HIDDEN)
    elif action == Action.REMOVE:
        set_review_status(review, ContentStatus.REMOVED)
    elif action == Action.RESTORE:
        set_review_status(review, ContentStatus.PUBLISHED)


def _undo(review: Review, decision: Decision, actor: User | None) -> None:
    if decision.action in (Action.HIDE, Action.REMOVE):
        set_review_status(review, ContentStatus.PUBLISHED)


def _reviews_of(moderator: Any, member: Any) -> QuerySet[Review]:
    return visible_reviews(
        moderator,
        Review.objects.filter(author=member).select_related("medicine", "physician", "clinic"),
    )


REVIEW_KIND = ModerationKind(
    kind=REVIEW,
    model=Review,
    noun=pgettext_lazy("moderated item", "review"),
    visible=visible_reviews,
    community_of=lambda review: None,
    author_of=lambda review: review.author,
    excerpt_of=_excerpt,
    url_of=review_url,
    state_of=_state,
    apply=_apply,
    undo=_undo,
    actions=frozenset({Action.HIDE, Action.REMOVE, Action.RESTORE}),
    authored_by=_reviews_of,
    from_url=_from_url,
)


def register_review_kind() -> None:
    register(REVIEW_KIND)
