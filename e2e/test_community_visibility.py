"""What is shared among members stays among members (issue 3, item 11, first part):
a visitor browses public content; an outsider who has the address of a members-only
discussion gets "page not found"; a member reads it. Both languages, axe on each page."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.journeys import log_in
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Visibility

SECRET_TITLE = "Hur berättade ni för skolan om diagnosen?"


@pytest.fixture
def closed_and_open() -> dict[str, Any]:
    author = UserFactory.create(handle="Foralder_Frida")
    closed = community_actions.create_community(
        actor=None, name="Föräldrar till barn med diabetes", visibility=Visibility.MEMBERS,
        description="Ett rum för föräldrar.",
    )  # fmt: skip
    open_ = community_actions.create_community(
        actor=None, name="Diabetes typ 1", description="Öppet för alla."
    )
    for community in (closed, open_):
        community_actions.join_community(user=author, community=community)
    secret, _ = community_actions.create_thread(
        author=author, community=closed, title=SECRET_TITLE,
        body="Vår son börjar fyran och vi vet inte hur mycket vi ska säga.", language="sv",
    )  # fmt: skip
    public, _ = community_actions.create_thread(
        author=author, community=open_, title="Sensor som lossnar vid träning",
        body="Någon som har ett knep?", language="sv",
    )  # fmt: skip
    outsider = UserFactory.create(email="outsider@example.org")
    member = UserFactory.create(email="member@example.org")
    community_actions.join_community(user=member, community=closed)
    return {"secret": secret, "public": public, "outsider": outsider, "member": member}


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_outsider_gets_not_found_and_member_reads_a_members_only_discussion(
    page: Any, check_a11y: Any, closed_and_open: dict[str, Any], lang: str
) -> None:
    secret, public = closed_and_open["secret"], closed_and_open["public"]
    secret_path = f"/{lang}/c/{secret.community.slug}/t/{secret.public_id}/"

    # A visitor reads the public discussion and finds its feed.
    response = page.goto(f"/{lang}/c/{public.community.slug}/t/{public.public_id}/")
    assert response is not None
    assert response.status == 200
    assert page.locator('link[rel="alternate"][type="application/atom+xml"]').count() == 1
    check_a11y(page)

    # A visitor, then a logged-in outsider, with the members-only address: not found.
    for who in ("visitor", "outsider"):
        if who == "outsider":
            log_in(page, lang, closed_and_open["outsider"].email)
        response = page.goto(secret_path)
        assert response is not None, who
        assert response.status == 404, who
        assert SECRET_TITLE not in page.content(), who
        check_a11y(page)

    # The community page shows outsiders its name and that it is for members.
    page.goto(f"/{lang}/c/{secret.community.slug}/")
    assert SECRET_TITLE not in page.content()
    assert page.locator('meta[name="robots"][content="noindex"]').count() == 1

    # A member reads it.
    page.context.clear_cookies()
    log_in(page, lang, closed_and_open["member"].email)
    response = page.goto(secret_path)
    assert response is not None
    assert response.status == 200
    assert SECRET_TITLE in page.locator("h1").inner_text()
    check_a11y(page)
