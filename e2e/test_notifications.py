"""A member is mentioned and notified (issue 3, item 11): Frida joins a members-only
community, accepts its guidelines and starts a discussion; Bo mentions her in a reply;
Frida sees the count in the header and the notification in her notification centre.
Both languages, a phone-sized screen for Swedish, axe on each page."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.journeys import log_in
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Visibility

TITLE = "Trött efter infusionen, någon mer?"


@pytest.fixture
def place() -> dict[str, Any]:
    community = community_actions.create_community(
        actor=None, name="Leva med MS", visibility=Visibility.MEMBERS,
        description="Ett rum för medlemmar.",
    )  # fmt: skip
    community_actions.publish_guidelines(
        actor=None, community=community, body="Var snälla mot varandra."
    )
    frida = UserFactory.create(email="frida@example.org", handle="Frida_MS")
    bo = UserFactory.create(email="bo@example.org", handle="bo_lind")
    community_actions.join_community(user=bo, community=community)
    return {"community": community, "frida": frida, "bo": bo}


def _log_out(page: Any) -> None:
    page.locator(".main-nav form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(
    ("lang", "viewport"), [("sv", "phone"), ("en", "desktop")], indirect=["viewport"]
)
def test_a_member_is_mentioned_and_sees_the_notification(
    page: Any, check_a11y: Any, place: dict[str, Any], lang: str
) -> None:
    slug = place["community"].slug

    # Frida joins the members-only community and starts a discussion, accepting the
    # guidelines on the way.
    log_in(page, lang, place["frida"].email)
    page.goto(f"/{lang}/c/{slug}/")
    page.locator("main form[action$='/join/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"/{lang}/c/{slug}/new/")
    page.fill("#id_title", TITLE)
    page.fill("#id_body", "Jag blir så trött dagen efter. Hur gör ni?")
    page.check("#id_accept_guidelines")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert TITLE in page.locator("h1").inner_text()
    thread_url = page.url.split("?")[0].split("#")[0]
    # Posting followed the discussion.
    assert page.locator("form.follow-form input[name=follow][value='0']").count() == 1
    check_a11y(page)
    assert page.locator("[data-testid=notification-count]").count() == 0
    _log_out(page)

    # Bo mentions her in a reply.
    log_in(page, lang, place["bo"].email)
    page.goto(thread_url)
    page.fill("#id_body", "@Frida_MS, jag vilar hela eftermiddagen efteråt.")
    reply_button = page.locator("form[action$='/reply/'] button[type=submit]")
    reply_button.click()
    page.wait_for_load_state()
    # His first post here: the guidelines come with the reply he typed, kept.
    page.check("#id_accept_guidelines")
    reply_button.click()
    page.wait_for_load_state()
    assert page.locator(".post-body .mention").first.inner_text() == "@Frida_MS"
    _log_out(page)

    # Frida sees the count in the header and the notification in her centre.
    log_in(page, lang, place["frida"].email)
    page.goto(f"/{lang}/")
    assert page.locator("[data-testid=notification-count]").inner_text().startswith("1")
    check_a11y(page)
    page.locator(".main-nav a[href$='/notifications/']").click()
    page.wait_for_load_state()
    item = page.locator(".notification-unread")
    assert item.count() == 1
    assert TITLE in item.inner_text()
    assert "bo_lind" in item.inner_text()
    check_a11y(page)

    # Opening it (a POST button: nothing changes on a GET) lands on Bo's post and the
    # count is gone.
    item.locator("form.notification-open button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.split("#")[0].startswith(thread_url)
    assert page.locator("[data-testid=notification-count]").count() == 0

    # She stops following the discussion (htmx swaps the button; without JavaScript
    # the form reloads the page): the button offers to follow again.
    page.locator("form.follow-form button[type=submit]").click()
    page.locator("form.follow-form input[name=follow][value='1']").wait_for(state="attached")
    check_a11y(page)
