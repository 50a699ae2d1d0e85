"""Search in the browser: a visitor opens search from the header, finds a public post
with its words highlighted, never sees a members-only one, and gets a clear message
for a malformed date. Both languages, phone and desktop, axe on each page."""

from __future__ import annotations

from typing import Any

import pytest

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Visibility
from patientvoice.search.indexing import rebuild


@pytest.fixture
def posts() -> None:
    author = UserFactory.create()
    open_ = community_actions.create_community(actor=None, name="Astma och allergi")
    closed = community_actions.create_community(
        actor=None, name="Föräldrar", visibility=Visibility.MEMBERS
    )
    for community in (open_, closed):
        community_actions.join_community(user=author, community=community)
    community_actions.create_thread(
        author=author, community=open_, title="Inhalatorn på natten",
        body="Mina biverkningar blev mindre med spacer.", language="sv",
    )  # fmt: skip
    community_actions.create_thread(
        author=author, community=closed, title="Hemligt om skolan",
        body="Biverkningen ingen utanför gruppen ska läsa om.", language="sv",
    )  # fmt: skip
    rebuild()  # the after-publish hook runs after commit, which the test never reaches


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_visitor_finds_public_posts_only_with_the_words_highlighted(
    page: Any, check_a11y: Any, posts: None, lang: str
) -> None:
    page.goto(f"/{lang}/")
    page.locator(f'header nav a[href="/{lang}/search/"]').click()
    page.wait_for_load_state()
    check_a11y(page)

    page.get_by_role("searchbox").fill("biverkning")
    page.locator("main form[role=search] button[type=submit]").click()
    page.wait_for_load_state()

    hits = page.locator(".search-hit")
    assert hits.count() == 1
    assert hits.first.locator("mark").inner_text() == "biverkningar"
    assert "Inhalatorn på natten" in hits.first.inner_text()
    assert "utanför gruppen" not in page.content()
    check_a11y(page)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_malformed_date_is_explained_and_the_form_keeps_what_was_typed(
    page: Any, check_a11y: Any, posts: None
) -> None:
    response = page.goto("/en/search/?q=biverkning&since=31%2F12%2F2026")

    assert response is not None
    assert response.status == 400
    assert "Enter a date as YYYY-MM-DD." in page.content()
    assert page.get_by_role("searchbox").input_value() == "biverkning"
    check_a11y(page)
