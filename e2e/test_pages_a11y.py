"""Every page a visitor or a member can open passes axe, beyond those the journeys walk
through: communities and discussions (with a post held for review), organisations,
policy pages, account settings, forms with errors. Swedish on a phone, English on a
desktop, so each language and each layout is covered once without doubling the time."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.member_journey import arrive, submit
from patientvoice.accounts.tests.factories import PASSWORD, UserFactory
from patientvoice.communities.tests.factories import (
    PHONE_BODY,
    CommunityFactory,
    PostFactory,
    ThreadFactory,
)
from patientvoice.organizations.tests.factories import OrganizationFactory


@pytest.mark.parametrize(
    ("viewport", "lang"), [("phone", "sv"), ("desktop", "en")], indirect=["viewport"]
)
def test_pages_for_visitors_and_members_have_no_axe_violations(
    page: Any, check_a11y: Any, lang: str
) -> None:
    member = UserFactory.create(email="maja@example.org", handle="maja")
    organization = OrganizationFactory.create()
    community = CommunityFactory.create(organization=organization, members=[member])
    closed = CommunityFactory.create(members_only=True)
    thread = ThreadFactory.create(community=community, author=member)
    PostFactory.create(thread=thread, author=member)
    PostFactory.create(thread=thread, author=member, body=PHONE_BODY)  # held for review
    thread_path = f"/c/{community.slug}/t/{thread.public_id}/"

    def visit(path: str, status: int = 200) -> None:
        response = page.goto(f"/{lang}{path}")
        assert response is not None, path
        assert response.status == status, f"{path}: {response.status}"
        arrive(page, check_a11y, lang)

    for path in (
        "/",
        "/communities/",
        f"/c/{community.slug}/",
        f"/c/{closed.slug}/",
        thread_path,
        f"/organisations/{organization.slug}/",
        "/conditions/",
        "/conditions/astma/",
        "/privacy/",
        "/terms/",
        "/cookies/",
        "/accessibility/",
        "/contact/",
        "/help/crisis/",
        "/account/login/",
        "/account/signup/",
        "/account/password/reset/",
    ):
        visit(path)
    visit("/no-such-page/", status=404)

    page.goto(f"/{lang}/account/login/")
    page.fill("#id_login", member.email)
    page.fill("#id_password", PASSWORD)
    submit(page)
    for path in (
        "/",
        thread_path,
        f"/c/{community.slug}/new/",
        f"/c/{closed.slug}/",
        "/account/settings/",
        "/account/settings/profile/",
        "/account/settings/handle/",
        "/account/consent/",
        "/account/data/",
        "/account/delete/",
        f"/account/u/{member.handle}/",
        "/account/email/",
        "/account/password/change/",
        "/account/2fa/",
        "/account/tokens/",
    ):
        visit(path)

    # Forms answering with errors.
    page.goto(f"/{lang}/c/{community.slug}/new/")
    page.fill("#id_title", "Hi")
    submit(page)
    arrive(page, check_a11y, lang)
    assert page.locator("[aria-invalid=true]").count() >= 1

    page.goto(f"/{lang}/account/consent/")
    page.uncheck("#id_health_data")
    submit(page)
    arrive(page, check_a11y, lang, f"/{lang}/account/consent/withdraw/")
