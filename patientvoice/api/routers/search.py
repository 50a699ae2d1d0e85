"""Search, with the same visibility as the search page (patientvoice.search)."""

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import pgettext
from ninja import Query, Router, Schema
from pydantic import Field

from patientvoice.communities.models import Community
from patientvoice.communities.permissions import readable_communities
from patientvoice.search.forms import MAX_QUERY_LENGTH
from patientvoice.search.queries import NEWEST, RELEVANCE, WINDOW, SearchParams, search
from patientvoice.search.registry import kinds

from ..auth import optional_auth
from ..errors import ApiError
from ..schemas import ErrorOut

router = Router(tags=["search"])


class SearchFilters(Schema):
    q: str = Field(..., min_length=1, max_length=MAX_QUERY_LENGTH, description="Words to find.")
    community: str | None = Field(
        None, max_length=80, pattern=r"^[-a-zA-Z0-9_]+$", description="A community's slug."
    )
    kind: str | None = Field(None, max_length=64, description='e.g. "communities.post".')
    since: date | None = Field(None, description="Published on or after this day.")
    until: date | None = Field(None, description="Published on or before this day.")
    order: Literal["relevance", "newest"] = "relevance"
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=WINDOW)


class SearchHitOut(Schema):
    kind: str
    title: str
    url: str
    snippet_html: str = Field(description="Plain text, escaped, matched words in <mark>.")
    language: str
    published_at: datetime | None
    place: str


class SearchOut(Schema):
    items: list[SearchHitOut]
    count: int = Field(description="Matches you may read (at most the newest 300).")
    truncated: bool = Field(description="Older matches exist beyond the newest 300.")


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(
        422,
        "invalid",
        pgettext("api error", "The request is not valid. See details."),
        [{"loc": ["query", field], "msg": message}],
    )


@router.get(
    "/search", response={200: SearchOut, 422: ErrorOut}, auth=optional_auth, url_name="search"
)
def search_content(request: HttpRequest, filters: Query[SearchFilters]) -> Any:
    community_id = None
    if filters.community:
        # A community the caller may not read answers as one that does not exist.
        community_id = (
            readable_communities(request.user, Community.objects.filter(slug=filters.community))
            .values_list("pk", flat=True)
            .first()
        )
        if community_id is None:
            raise _invalid("community", pgettext("search", "There is no such community."))
    if filters.kind and filters.kind not in kinds():
        raise _invalid("kind", pgettext("search", "There is no such kind of content."))
    if filters.since and filters.until and filters.since > filters.until:
        raise _invalid(
            "until", pgettext("search form", "The end date must not be before the start date.")
        )
    results = search(
        request.user,
        SearchParams(
            q=filters.q,
            community_id=community_id,
            kind=filters.kind,
            since=filters.since,
            until=filters.until,
            order=NEWEST if filters.order == NEWEST else RELEVANCE,
            offset=filters.offset,
            limit=filters.limit,
        ),
    )
    return {
        "items": [
            {
                "kind": r.kind.label,
                "title": r.hit.title,
                "url": request.build_absolute_uri(r.hit.url),
                "snippet_html": str(r.snippet),
                "language": r.hit.language,
                "published_at": r.hit.published_at,
                "place": r.hit.place,
            }
            for r in results.results
        ],
        "count": results.count,
        "truncated": results.truncated,
    }
