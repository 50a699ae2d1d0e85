"""Thread tools in the browser (issue 3, items 4 and 5): a member quotes a post and
replies to it, reacts with htmx (the page does not reload), the thread's author marks
the reply that helped most, and the home page then shows the member what is unread.
Both languages, axe on each page."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.journeys import log_in
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities import actions as community_actions


@pytest.fixture
def discussion() -> dict[str, Any]:
    author = UserFactory.create(handle="Anna_R", email="anna@example.org")
    helper = UserFactory.create(handle="Lena_sjukskoterska", email="lena@example.org")
    community = community_actions.create_community(
        actor=None, name="Reumatoid artrit", description="Vi som lever med RA."
    )
    for person in (author, helper):
        community_actions.join_community(user=person, community=community)
    thread, _ = community_actions.create_thread(
        author=author, community=community, title="Hur hanterar ni tröttheten?",
        body="Tröttheten är det svåraste. Vad har hjälpt er?", language="sv",
    )  # fmt: skip
    answer = community_actions.reply_to_thread(
        author=helper, thread=thread, body="Fråga efter blodvärdet: blodbrist går att behandla.",
        language="sv",
    ).content  # fmt: skip
    return {"thread": thread, "answer": answer, "author": author, "helper": helper}


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_member_quotes_replies_reacts_and_the_author_marks_the_best_answer(
    page: Any, check_a11y: Any, discussion: dict[str, Any], lang: str
) -> None:
    thread, answer = discussion["thread"], discussion["answer"]
    thread_path = f"/{lang}/c/{thread.community.slug}/t/{thread.public_id}/"
    log_in(page, lang, discussion["author"].email)

    # Quote: the reply form starts with the quoted text, and the reply says whom it answers.
    page.goto(thread_path)
    check_a11y(page)
    page.locator(f"#post-{answer.public_id} .post-actions a[href*='quote=']").click()
    body = page.locator("#id_body")
    assert "> Fråga efter blodvärdet" in body.input_value()
    body.fill(body.input_value() + "Tack, det ska jag göra!")
    page.locator("form[action$='/reply/'] button[type=submit]").click()
    page.locator(".in-reply-to a").wait_for()  # htmx swaps the posts in, no page load
    assert page.locator(".in-reply-to a").count() == 1
    assert page.locator("#id_body").input_value() == ""
    assert "Lena_sjukskoterska" in page.locator(".in-reply-to").inner_text()

    # React through htmx: the button is pressed without a page load.
    page.evaluate("window.pvNoReload = true")
    reactions = page.locator(f"#post-{answer.public_id} form.reactions")
    reactions.locator("button[value='hug']").click()
    pressed = page.locator(f"#post-{answer.public_id} button[value='hug'][aria-pressed='true']")
    pressed.wait_for()
    # ...and taken back the same way (the swapped-in form is swapped again).
    pressed.click()
    page.locator(f"#post-{answer.public_id} button[value='hug'][aria-pressed='false']").wait_for()
    assert page.evaluate("window.pvNoReload") is True

    # The thread's author marks the reply that helped most: shown first.
    page.locator(f"#post-{answer.public_id} .post-actions form button").click()
    page.wait_for_load_state()
    assert page.locator(".best-answer").count() == 1
    assert "blodvärdet" in page.locator(".best-answer .post-body").inner_text()
    check_a11y(page)

    # Someone replies later: the author's home page lists the thread as unread.
    community_actions.reply_to_thread(
        author=discussion["helper"], thread=thread, body="Bra!", language="sv"
    )
    page.goto(f"/{lang}/")
    unread = page.locator("section[aria-labelledby='unread-title']")
    assert "Hur hanterar ni tröttheten?" in unread.inner_text()
    check_a11y(page)
