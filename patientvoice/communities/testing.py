"""Where communities, threads and posts can be seen: the surfaces that
:mod:`patientvoice.core.testing.visibility` checks. Imported by that helper in tests,
never by production code.

When a view or API endpoint starts showing one of these models, add it here and
every ``assert_cannot_see``/``assert_can_see`` in the suite covers it.
"""

from __future__ import annotations

from django.urls import reverse

from patientvoice.core.testing.visibility import (
    DetailSurface,
    ListSurface,
    public_id_and,
    register,
)

from .models import Community, Post, Thread

# The API pages by 25 by default; ask for the most it allows so a test's object is
# on the first page.
API_PAGE = "?limit=100"


def _home(obj: object) -> str:
    return reverse("home")


def _community_list(obj: object) -> str:
    return reverse("communities:list")


def _api_communities(obj: object) -> str:
    return reverse("api:list_communities") + API_PAGE


def _api_threads(community: Community) -> str:
    return reverse("api:list_threads", kwargs={"slug": community.slug}) + API_PAGE


def _api_posts(thread: Thread) -> str:
    kwargs = {"slug": thread.community.slug, "thread_id": thread.public_id}
    return reverse("api:list_posts", kwargs=kwargs) + API_PAGE


def _community_markers(community: Community) -> list[str]:
    # Pages link to the community by its URL; the API names it by its slug.
    return [community.get_absolute_url(), f'"{community.slug}"']


thread_markers = public_id_and(whole=["title"])
post_markers = public_id_and("body")

register(
    Community,
    DetailSurface("communities.community_page", url=lambda c: c.get_absolute_url()),
    DetailSurface("api.community_threads", url=_api_threads),
    ListSurface("communities.community_list", url=_community_list, markers=_community_markers),
    ListSurface("api.communities", url=_api_communities, markers=_community_markers),
    ListSurface("core.home", url=_home, markers=_community_markers, exhaustive=False),
)

register(
    Thread,
    DetailSurface("communities.thread_page", url=lambda t: t.get_absolute_url()),
    DetailSurface("api.thread_posts", url=_api_posts),
    ListSurface(
        "communities.community_page",
        url=lambda t: t.community.get_absolute_url(),
        markers=thread_markers,
    ),
    ListSurface(
        "api.community_threads", url=lambda t: _api_threads(t.community), markers=thread_markers
    ),
    ListSurface(
        "communities.community_list", url=_community_list, markers=thread_markers, exhaustive=False
    ),
    ListSurface("api.communities", url=_api_communities, markers=thread_markers, exhaustive=False),
    ListSurface("core.home", url=_home, markers=thread_markers, exhaustive=False),
)

register(
    Post,
    # A post has no page of its own: the thread page and the API post list are the
    # lists that must show it to readers and hide it from everyone else. Both are
    # read at their first page (50 posts on the page, 100 in the API).
    ListSurface(
        "communities.thread_page", url=lambda p: p.thread.get_absolute_url(), markers=post_markers
    ),
    ListSurface("api.thread_posts", url=lambda p: _api_posts(p.thread), markers=post_markers),
    # Places that show no post bodies today; they guard teasers and "latest" widgets.
    ListSurface(
        "communities.community_page",
        url=lambda p: p.community.get_absolute_url(),
        markers=post_markers,
        exhaustive=False,
    ),
    ListSurface(
        "api.community_threads",
        url=lambda p: _api_threads(p.community),
        markers=post_markers,
        exhaustive=False,
    ),
    ListSurface(
        "communities.community_list", url=_community_list, markers=post_markers, exhaustive=False
    ),
    ListSurface("api.communities", url=_api_communities, markers=post_markers, exhaustive=False),
    ListSurface("core.home", url=_home, markers=post_markers, exhaustive=False),
)


def _community_feed(community: Community) -> str:
    return reverse("communities:community_feed", kwargs={"slug": community.slug})


def _thread_feed(thread: Thread) -> str:
    kwargs = {"slug": thread.community.slug, "thread_id": thread.public_id}
    return reverse("communities:thread_feed", kwargs=kwargs)


# Atom feeds read as a visitor, whoever asks: they are checked when asserting that
# something is hidden (a members-only thread must never reach a feed), not when
# asserting that a member can see it.
register(
    Thread,
    ListSurface(
        "communities.community_feed",
        url=lambda t: _community_feed(t.community),
        markers=thread_markers,
        exhaustive=False,
    ),
)
register(
    Post,
    ListSurface(
        "communities.community_feed",
        url=lambda p: _community_feed(p.community),
        markers=post_markers,
        exhaustive=False,
    ),
    ListSurface(
        "communities.thread_feed",
        url=lambda p: _thread_feed(p.thread),
        markers=post_markers,
        exhaustive=False,
    ),
)


# Reading pages of issue 3, item 5. "Latest in my communities" asks a visitor to log in.
register(
    Thread,
    ListSurface(
        "communities.latest",
        url=lambda t: reverse("communities:latest"),
        markers=thread_markers,
        exhaustive=False,
        hidden_statuses=frozenset({200, 302, 404}),
    ),
)
register(
    Community,
    DetailSurface("api.community", url=lambda c: reverse("api:get_community", args=[c.slug])),
)
