"""Published reviews as a kind of the one search index
(:mod:`patientvoice.search.registry`; registered from ``ReviewsConfig.ready()``).

* What is indexed: a published review with a written experience, of an active entry.
  Scores alone have no words to find. The entry's name is not part of the review's
  document: a search for "Alvedon" finds the medicine first, not its thousand reviews
  (the newest matches fill the candidate window, decisions/0021); the result shows
  which entry a review is about.
* Who finds it: everyone, through ``permissions.visible_reviews`` narrowed to
  published reviews (search never lists a held review to its author or a removed one
  to staff; their pages show those).
* Kept current: the pipeline's after-publish hook ``search.index`` indexes a
  published review (and takes out one whose edit was held); ``actions`` take a review
  out after commit when a moderator hides or removes it and when its author withdraws
  it; ``rebuild_search_index`` rebuilds it all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language, pgettext, pgettext_lazy

from patientvoice.core.markup import text_as_read
from patientvoice.core.models import ContentStatus
from patientvoice.directory.queries import medicine_name
from patientvoice.search.registry import PUBLIC, Document, Hit, SearchKind, register_kind

from .dimensions import KINDS
from .kinds import review_url
from .models import Review
from .permissions import visible_reviews

REVIEW_KIND = Review._meta.label_lower  # "reviews.review"

_ENTRY_ACTIVE = (
    Q(medicine__is_active=True) | Q(physician__is_active=True) | Q(clinic__is_active=True)
)


def _published(qs: QuerySet[Review]) -> QuerySet[Review]:
    # Published reviews of entries whose pages exist (an inactive entry's page is 404).
    return qs.filter(_ENTRY_ACTIVE, status=ContentStatus.PUBLISHED)


def indexable_reviews() -> QuerySet[Review]:
    # The indexer's rows: public reviews only; readers' hits pass searchable_reviews.
    return _published(Review.objects.exclude(body=""))  # visibility: published only


def review_documents(qs: QuerySet[Review]) -> Iterator[Document]:
    for review in qs:
        yield Document(
            object_id=review.pk,
            title="",
            body=text_as_read(review.body_html),
            language=review.language,
            published_at=review.published_at or review.created_at,
            community_id=None,
            audiences=(PUBLIC,),
            author_id=review.author_id,
        )


def searchable_reviews(user: Any, qs: QuerySet[Review]) -> QuerySet[Review]:
    return visible_reviews(user, _published(qs))


def entry_name(review: Review, language: str) -> str:
    entry = review.entry
    if review.kind == "medicine":
        return medicine_name(entry, language)
    return str(entry.name)


def review_hits(user: Any, ids: list[int]) -> dict[int, Hit]:
    language = get_language() or "sv"
    reviews = visible_reviews(
        user,
        _published(Review.objects.filter(pk__in=ids)).select_related(
            "medicine", "physician", "clinic"
        ),
    )
    hits = {}
    for review in reviews:
        name = entry_name(review, language)
        hits[review.pk] = Hit(
            title=pgettext("search result", "Review of %(entry)s") % {"entry": name},
            # The entry's page, at the review (#review-<public id>).
            url=review_url(review),
            text=text_as_read(review.body_html),
            language=review.language,
            published_at=review.published_at,
            place=name,
            place_url=reverse(KINDS[review.kind].url_name, kwargs={"slug": review.entry.slug}),
        )
    return hits


REVIEW_SEARCH_KIND = SearchKind(
    label=REVIEW_KIND,
    name=pgettext_lazy("search kind", "Reviews"),
    model=Review,
    indexable=indexable_reviews,
    documents=review_documents,
    searchable=searchable_reviews,
    hits=review_hits,
)


def register_review_search() -> None:
    register_kind(REVIEW_SEARCH_KIND)
