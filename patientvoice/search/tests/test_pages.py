"""The search page and the API endpoint: the form, bad input, paging, the header
link, and a fixed number of queries however many results there are."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.communities.tests.factories import CommunityFactory, OrganizationFactory

from .conftest import client_for, indexed, post_in

pytestmark = pytest.mark.django_db

ROWS = 30


def test_the_search_page_without_a_query_shows_the_form(client: Client):
    response = client.get(reverse("search:search"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert 'name="q"' in html
    assert 'content="noindex"' in html


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_search_page_answers_in_both_languages(client: Client, public, language):
    post_in(public, "Sköldkörtel och trötthet.")
    indexed()
    with translation.override(language):
        url = reverse("search:search")

    response = client.get(url, {"q": "sköldkörtel"})

    assert url.startswith(f"/{language}/")
    assert response.status_code == 200
    assert "<mark>Sköldkörtel</mark>" in response.content.decode()


def test_every_page_links_to_search_from_its_header(client: Client):
    html = client.get(reverse("home")).content.decode()

    assert f'href="{reverse("search:search")}"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"q": "x", "since": "2026-13-45"},
        {"q": "x", "until": "igår"},
        {"q": "x", "since": "2026-05-02", "until": "2026-05-01"},
        {"q": "x", "community": "no-such-community"},
        {"q": "x", "kind": "nonsense"},
        {"q": "x", "page": "0"},
        {"q": "x", "page": "many"},
        {"q": "x" * 201},
        {"q": "nul\x00byte"},
    ],
)
def test_bad_input_is_a_400_that_keeps_the_form(client: Client, params):
    response = client.get(reverse("search:search"), params)

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errorlist' in html
    assert 'name="q"' in html


def test_a_malformed_date_says_how_to_write_one(client: Client):
    with translation.override("en"):
        url = reverse("search:search")

    response = client.get(url, {"q": "feber", "since": "31/12/2026"})

    assert response.status_code == 400
    assert "Enter a date as YYYY-MM-DD." in response.content.decode()
    assert 'value="31/12/2026"' in response.content.decode()


def test_a_private_community_is_no_valid_filter_for_outsiders(client: Client, private, member):
    outsider_response = client.get(reverse("search:search"), {"q": "x", "community": private.slug})
    member_response = client_for(member).get(
        reverse("search:search"), {"q": "x", "community": private.slug}
    )

    assert outsider_response.status_code == 400
    assert private.name not in outsider_response.content.decode()
    assert member_response.status_code == 200


def test_pages_link_to_each_other_keeping_the_query(client: Client, public):
    for n in range(25):
        post_in(public, f"Reumatism {n}.")
    indexed()

    first = client.get(reverse("search:search"), {"q": "reumatism", "order": "newest"})
    second = client.get(
        reverse("search:search"), {"q": "reumatism", "order": "newest", "page": "2"}
    )

    assert 'href="?q=reumatism&amp;order=newest&amp;page=2"' in first.content.decode()
    assert second.content.decode().count('class="search-hit"') == 5


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "x", "since": "2026-13-45"},
        {"q": "x", "since": "2026-05-02", "until": "2026-05-01"},
        {"q": "x", "community": "no-such-community"},
        {"q": "x", "kind": "nonsense"},
        {"q": "x", "limit": "0"},
        {"q": "x", "limit": "101"},
        {"q": "x", "offset": "1001"},
        {"q": "x", "order": "random"},
        {"q": "x", "community": "bad slug"},
    ],
)
def test_the_api_answers_bad_input_with_422_in_the_error_shape(client: Client, params):
    response = client.get(reverse("api:search"), params)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_the_api_treats_a_private_community_like_one_that_does_not_exist(client: Client, private):
    hidden = client.get(reverse("api:search"), {"q": "x", "community": private.slug}).json()
    missing = client.get(reverse("api:search"), {"q": "x", "community": "nope"}).json()

    assert hidden == missing


def test_the_api_returns_results_with_escaped_snippets(client: Client, public):
    post_in(public, "<b>Fet</b> text om astma.", language="sv")
    indexed()

    data = client.get(reverse("api:search"), {"q": "astma"}).json()

    assert data["count"] == 1
    assert data["truncated"] is False
    item = data["items"][0]
    assert item["kind"] == "communities.post"
    assert "<mark>astma</mark>" in item["snippet_html"]
    assert "<b>" not in item["snippet_html"]
    assert item["url"].startswith("http://testserver/")


@pytest.fixture
def many_results(member):
    # Different communities, organisations and authors: one query per row would show.
    for n in range(ROWS):
        community = CommunityFactory.create(
            members=[member], members_only=n % 2 == 0, organization=OrganizationFactory.create()
        )
        post_in(community, f"Långvarig smärta, del {n}.")
    indexed()


def test_the_search_page_costs_a_fixed_number_of_queries(
    many_results, member, django_assert_num_queries
):
    client = client_for(member)
    client.get(reverse("home"))  # the session's first request checks consent once

    # session, user, communities for the filter, audiences, candidates, the candidates'
    # entries, the posts' visibility (one query per kind found), the page's posts (the
    # session's consent check ran on the first request)
    with django_assert_num_queries(8):
        response = client.get(reverse("search:search"), {"q": "smärta"})

    assert response.content.decode().count('class="search-hit"') == 20


def test_the_search_page_for_a_visitor_costs_a_fixed_number_of_queries(
    many_results, django_assert_num_queries
):
    client = Client()

    # candidates, their entries, the posts' visibility, the page's posts; a visitor is
    # offered no list of communities (a member: their own)
    with django_assert_num_queries(
        5
    ):  # +1: the site's funding notices, read once the cache is cold (decisions/0038)
        response = client.get(reverse("search:search"), {"q": "smärta"})

    assert response.content.decode().count('class="search-hit"') == ROWS // 2


def test_the_api_costs_a_fixed_number_of_queries(many_results, member, django_assert_num_queries):
    client = client_for(member)
    client.get(reverse("api:search"), {"q": "x"})

    # session, user, audiences, candidates, their entries, the posts' visibility, the posts
    with django_assert_num_queries(7):
        data = client.get(reverse("api:search"), {"q": "smärta", "limit": "100"}).json()

    assert data["count"] == ROWS
    assert len(data["items"]) == ROWS


def test_the_filter_offers_a_members_communities_and_the_one_asked_for(client: Client, member):
    from patientvoice.communities.tests.factories import CommunityFactory

    mine = CommunityFactory.create(name="Mine, with friends", members=[member])
    other = CommunityFactory.create(name="Someone else's public place")
    signed_in = client_for(member)

    plain = signed_in.get(reverse("search:search"), {"q": "x"}).content.decode()
    asked = signed_in.get(reverse("search:search"), {"q": "x", "community": other.slug})
    visitor = client.get(reverse("search:search"), {"q": "x"}).content.decode()

    assert f'value="{mine.slug}"' in plain
    assert f'value="{other.slug}"' not in plain
    assert asked.status_code == 200
    assert f'value="{other.slug}" selected' in asked.content.decode()
    assert f'value="{mine.slug}"' not in visitor


def test_a_community_page_searches_in_that_community(client: Client):
    from patientvoice.communities.tests.factories import CommunityFactory

    community = CommunityFactory.create(name="Ryggont")

    page = client.get(community.get_absolute_url()).content.decode()
    results = client.get(reverse("search:search"), {"q": "rygg", "community": community.slug})

    assert f'name="community" value="{community.slug}"' in page
    assert results.status_code == 200
    assert f'value="{community.slug}" selected' in results.content.decode()


def test_a_visitor_may_search_a_members_only_community_and_finds_nothing_of_it(client: Client):
    from patientvoice.communities.tests.factories import (
        CommunityFactory,
        PostFactory,
        ThreadFactory,
        UserFactory,
    )

    member = UserFactory.create()
    community = CommunityFactory.create(members_only=True, members=[member])
    thread = ThreadFactory.create(community=community, author=member)
    PostFactory.create(thread=thread, author=member, body="Hemlig trötthet bland medlemmar.")

    response = client.get(reverse("search:search"), {"q": "trötthet", "community": community.slug})

    assert response.status_code == 200
    assert "Hemlig" not in response.content.decode()
    assert 'class="search-hit"' not in response.content.decode()
