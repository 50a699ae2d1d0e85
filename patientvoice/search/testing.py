"""Search as a surface of posts, threads and reviews for
:mod:`patientvoice.core.testing.visibility`. Imported by that helper in tests, never by
production code.

Each URL first brings the object's index rows up to date (as the after-publish hook
would have after commit, which tests do not run), then searches for the object's own
words. Registered ``exhaustive=False``: a query built from a text need not put that
text on the first page, so these surfaces guard against leaks (``assert_cannot_see``)
and the search tests check finding things themselves.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from patientvoice.communities.models import Post, Thread
from patientvoice.core.testing.visibility import ListSurface, public_id_and, register
from patientvoice.reviews.models import Review
from patientvoice.reviews.search import REVIEW_KIND

from . import indexing
from .stemming import MAX_QUERY_WORDS, words


def _query(text: str) -> str:
    # Upper case and in reverse order: the page repeats the query in its search box,
    # and that echo must not look like the object's own text to the helper.
    # A text without words (a deleted post) still needs a query the API accepts.
    return " ".join(reversed(words(text)[:MAX_QUERY_WORDS])).upper() or "X"


def _post_query(post: Post) -> str:
    indexing.index(indexing.POST_KIND, [post.pk])
    return _query(post.body)


def _thread_query(thread: Thread) -> str:
    indexing.reindex_thread(thread.pk)
    return _query(thread.title)


def _review_query(review: Review) -> str:
    indexing.index(REVIEW_KIND, [review.pk])
    return _query(review.body)


def _page(q: str) -> str:
    return reverse("search:search") + "?" + urlencode({"q": q})


def _api(q: str) -> str:
    return reverse("api:search") + "?" + urlencode({"q": q, "limit": 100})


post_markers = public_id_and("body")
thread_markers = public_id_and(whole=["title"])

register(
    Post,
    ListSurface(
        "search.page", url=lambda p: _page(_post_query(p)), markers=post_markers, exhaustive=False
    ),
    ListSurface(
        "search.api", url=lambda p: _api(_post_query(p)), markers=post_markers, exhaustive=False
    ),
)
register(
    Thread,
    ListSurface(
        "search.page",
        url=lambda t: _page(_thread_query(t)),
        markers=thread_markers,
        exhaustive=False,
    ),
    ListSurface(
        "search.api",
        url=lambda t: _api(_thread_query(t)),
        markers=thread_markers,
        exhaustive=False,
    ),
)
register(
    Review,
    ListSurface(
        "search.page",
        url=lambda r: _page(_review_query(r)),
        markers=public_id_and("body"),
        exhaustive=False,
    ),
    ListSurface(
        "search.api",
        url=lambda r: _api(_review_query(r)),
        markers=public_id_and("body"),
        exhaustive=False,
    ),
)
