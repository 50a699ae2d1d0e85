"""Finding posts: stemming in Swedish and English, filters, order and the candidate
window. Runs on SQLite (FTS5) and, in CI, on PostgreSQL (full text)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from patientvoice.communities.models import Post
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.search import queries
from patientvoice.search.queries import NEWEST, SearchParams, search

from .conftest import indexed, post_in, reply_in

pytestmark = pytest.mark.django_db
visitor = AnonymousUser()


def found(q: str, **params) -> list[str]:
    return [r.hit.text for r in search(visitor, SearchParams(q=q, **params)).results]


@pytest.mark.parametrize(
    ("text", "language", "query"),
    [
        ("Jag fick en biverkning av tabletterna.", "sv", "biverkningar"),
        ("Biverkningarna gick över efter en vecka.", "sv", "biverkning"),
        ("Tröttheten är värst på morgonen.", "sv", "trötthet"),
        ("The headache came back every evening.", "en", "headaches"),
        ("Both treatments helped with the swelling.", "en", "treatment"),
        ("I have been sleeping badly since the operation.", "en", "sleep"),
    ],
)
def test_a_word_finds_its_other_forms(public, text, language, query):
    post_in(public, text, language=language)
    indexed()

    assert found(query) == [text]


def test_every_word_of_a_query_must_match(public):
    post_in(public, "Yrsel och illamående efter dosen.")
    post_in(public, "Yrsel på morgonen.")
    indexed()

    assert found("yrsel illamående") == ["Yrsel och illamående efter dosen."]


def test_a_thread_title_is_found_through_its_opening_post(public):
    post = post_in(public, "Något helt annat.", title="Frågor om metotrexat")
    reply_in(post, "Ett svar utan titelns ord.")
    indexed()

    results = search(visitor, SearchParams(q="metotrexat")).results

    assert [r.hit.text for r in results] == ["Något helt annat."]
    assert results[0].hit.title == "Frågor om metotrexat"


@pytest.mark.parametrize(
    "query",
    [
        '"', '""', "'", "*", "-", "^", ":", "(", ")", "{", "}", "NEAR(", "a OR", "AND",
        "NOT", 'title:"x', "body : *", "\\", "%", "_", "';--", "ümlaut*", "∑≈ 🤒", "x" * 200,
    ],
)  # fmt: skip
def test_search_syntax_typed_by_people_never_breaks_the_search(public, query):
    post_in(public, "Feber och huvudvärk.")
    indexed()

    results = search(visitor, SearchParams(q=query))

    assert results.count == 0


def test_a_query_without_words_finds_nothing(public):
    post_in(public, "Feber.")
    indexed()

    assert search(visitor, SearchParams(q=" ?! ")).count == 0


def test_the_community_filter_keeps_one_community(public):
    other = CommunityFactory.create()
    post_in(public, "Astma här.")
    post_in(other, "Astma där.")
    indexed()

    assert found("astma", community_id=other.pk) == ["Astma där."]


def test_the_date_filter_keeps_a_range_of_days(public):
    old = post_in(public, "Migrän förr.")
    post_in(public, "Migrän nu.")
    Post.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=40))
    indexed()
    today = timezone.localdate()

    assert found("migrän", since=today - timedelta(days=1)) == ["Migrän nu."]
    assert found("migrän", until=today - timedelta(days=30)) == ["Migrän förr."]


def test_the_kind_filter_keeps_one_kind(public):
    post_in(public, "Eksem.")
    indexed()

    assert found("eksem", kind="communities.post") == ["Eksem."]


def test_newest_first_orders_by_publication(public):
    first = post_in(public, "Diet ett.")
    post_in(public, "Diet två.")
    Post.objects.filter(pk=first.pk).update(published_at=timezone.now() - timedelta(days=1))
    indexed()

    assert found("diet", order=NEWEST) == ["Diet två.", "Diet ett."]


def test_best_match_puts_more_relevant_posts_first(public):
    post_in(public, "Sömn. " + "Annat ord här. " * 30)
    post_in(public, "Sömn, sömn och åter sömn.")
    indexed()

    assert found("sömn")[0] == "Sömn, sömn och åter sömn."


def test_only_the_newest_matches_in_the_window_are_ranked(public, monkeypatch):
    monkeypatch.setattr(queries, "WINDOW", 3)
    for n in range(5):
        post_in(public, f"Vaccin nummer {n}.")
    indexed()

    results = search(visitor, SearchParams(q="vaccin", order=NEWEST))

    assert results.count == 3
    assert results.truncated
    assert [r.hit.text for r in results.results] == [f"Vaccin nummer {n}." for n in (4, 3, 2)]


def test_results_are_paged(public):
    for n in range(5):
        post_in(public, f"Kost del {n}.")
    indexed()

    page = search(visitor, SearchParams(q="kost", offset=2, limit=2))

    assert page.count == 5
    assert page.page == 2
    assert page.pages == 3
    assert page.has_next
    assert page.has_previous
    assert len(page.results) == 2
