"""A member's statements of reasons (DSA art. 17) at ``/moderation/decisions/`` and the
appeal on a statement's page (DSA art. 20)."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from patientvoice.accounts.models import User
from patientvoice.moderation import actions
from patientvoice.moderation.models import Appeal, StatementOfReasons

from .factories import PostFactory, flagged
from .pages import client_for, sv

pytestmark = pytest.mark.django_db

DECISIONS = "/sv/moderation/decisions/"


def decided(
    moderator: User, post: Any, *, by: User | None = None, **kwargs: Any
) -> StatementOfReasons:
    kwargs.setdefault("action", "hide")
    kwargs.setdefault("reason_code", "community_guidelines")
    kwargs.setdefault("explanation", "Off topic and hurtful to another member.")
    decision = actions.decide(moderator=moderator, case=flagged(post, by=by), **kwargs)
    return decision.statement


def statement_url(statement: StatementOfReasons) -> str:
    return reverse("moderation:my_decision", args=[statement.public_id])


# --- the list -------------------------------------------------------------------------


def test_the_address_is_the_one_the_statements_name():
    assert reverse("moderation:my_decisions") == DECISIONS


def test_a_visitor_is_sent_to_log_in():
    response = Client().get(DECISIONS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_member_sees_their_statements_newest_first_and_the_unread_marked(
    thread, author, moderator
):
    older = decided(moderator, PostFactory.create(thread=thread, author=author, body="First"))
    newer = decided(moderator, PostFactory.create(thread=thread, author=author, body="Second"))
    actions.mark_statement_read(user=author, statement=older)

    page = client_for(author).get(DECISIONS).text

    rows = re.findall(r'<li class="decision[^"]*">.*?</li>', page, re.S)
    assert [newer.reference in rows[0], older.reference in rows[1]] == [True, True]
    new_badge = sv("statements", "New")
    assert new_badge in rows[0]
    assert "decision-unread" in rows[0]
    assert new_badge not in rows[1]
    assert "decision-unread" not in rows[1]


@pytest.mark.parametrize(
    "role", ["reader", "moderator", "foreign_moderator", "org_moderator", "staff"]
)
def test_nobody_else_sees_a_members_statements_in_their_list(role, post, moderator, request):
    statement = decided(moderator, post)
    person = request.getfixturevalue(role)

    response = client_for(person, mfa=role != "reader").get(DECISIONS)

    assert response.status_code == 200
    assert statement.reference not in response.text
    assert sv("statements", "There are no moderation decisions about you.") in response.text


def test_the_list_is_paginated_with_a_fixed_number_of_queries(
    thread, author, moderator, django_assert_num_queries
):
    for n in range(22):
        decided(moderator, PostFactory.create(thread=thread, author=author, body=f"Post {n}"))
    client = client_for(author)
    client.get(DECISIONS)  # the header's counts are read once, then cached

    # session, user, count, page of statements with their appeals
    with django_assert_num_queries(4):
        first = client.get(DECISIONS)
    second = client.get(DECISIONS, {"page": 2})

    assert first.text.count('<li class="decision') == 20
    assert second.text.count('<li class="decision') == 2
    assert 'rel="next"' in first.text


def test_my_account_links_to_the_decisions(author):
    page = client_for(author).get(reverse("accounts:settings")).text

    assert f'href="{DECISIONS}"' in page


# --- one statement --------------------------------------------------------------------


def test_the_statement_says_what_why_how_it_was_found_and_how_to_appeal(post, author, moderator):
    statement = decided(moderator, post)

    page = client_for(author).get(statement_url(statement)).text

    assert escape(statement.restriction_text) in page
    assert escape(statement.ground_text) in page
    assert "Off topic and hurtful to another member." in page
    assert escape(sv("statements", "Found by automatic checks")) in page
    assert escape(sv("statements", "No, by a person")) in page
    assert escape(statement.redress_text) in page
    assert statement.reference in page
    assert 'name="text"' in page  # the appeal form


def test_opening_the_statement_marks_it_read_for_its_recipient(post, author, moderator):
    statement = decided(moderator, post)

    client_for(author).get(statement_url(statement))

    statement.refresh_from_db()
    assert statement.read_at is not None


@pytest.mark.parametrize("role", ["reader", "outsider", "foreign_moderator"])
def test_a_statement_is_404_for_anyone_else(role, post, moderator, request):
    statement = decided(moderator, post)
    person = request.getfixturevalue(role)

    response = client_for(person, mfa=role == "foreign_moderator").get(statement_url(statement))

    assert response.status_code == 404


def test_a_visitor_is_sent_to_log_in_from_a_statement(post, moderator):
    statement = decided(moderator, post)

    response = Client().get(statement_url(statement))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ["second_moderator", "org_moderator", "staff"])
def test_moderators_of_the_case_read_it_without_marking_it_read_or_appealing(
    role, post, moderator, request
):
    statement = decided(moderator, post)
    client = client_for(request.getfixturevalue(role), mfa=True)

    page = client.get(statement_url(statement))
    refused = client.post(statement_url(statement), {"text": "Not mine to appeal."})

    assert page.status_code == 200
    assert statement.reference in page.text
    assert 'name="text"' not in page.text
    assert refused.status_code == 404
    statement.refresh_from_db()
    assert statement.read_at is None
    assert not Appeal.objects.exists()


def test_a_moderator_without_two_step_login_is_404(post, moderator, second_moderator):
    statement = decided(moderator, post)
    client = Client()
    client.force_login(second_moderator)  # no second factor in this session

    assert client.get(statement_url(statement)).status_code == 404


# --- appeals --------------------------------------------------------------------------


def test_the_member_appeals_and_sees_it_waiting(post, author, moderator):
    statement = decided(moderator, post)
    client = client_for(author)

    response = client.post(statement_url(statement), {"text": "It was a joke between friends."})

    assert response.status_code == 302
    appeal = Appeal.objects.get(statement=statement)
    assert (appeal.appellant, appeal.text) == (author, "It was a joke between friends.")
    page = client.get(statement_url(statement)).text
    assert sv("appeal status", "Waiting for a decision") in page
    assert 'name="text"' not in page  # once


def test_an_empty_appeal_is_refused(post, author, moderator):
    statement = decided(moderator, post)

    response = client_for(author).post(statement_url(statement), {"text": "  "})

    assert response.status_code == 400
    assert sv("appeal form", "Tell us why the decision is wrong.") in response.text
    assert not Appeal.objects.exists()


def test_a_second_appeal_is_refused_with_the_text_kept_but_no_form(post, author, moderator):
    statement = decided(moderator, post)
    actions.appeal(appellant=author, statement=statement, text="Please look again.")

    response = client_for(author).post(statement_url(statement), {"text": "And once more."})

    assert response.status_code == 400
    alert = re.search(
        r'<div class="message message-error" role="alert">.*?</div>', response.text, re.S
    )
    assert alert is not None
    assert sv("moderation", "You have already appealed this decision.") in alert.group(0)
    assert "And once more." in alert.group(0)  # kept, to copy, not sent
    assert "<textarea" not in response.text
    assert 'name="text"' not in response.text
    assert sv("appeal status", "Waiting for a decision") in response.text
    assert Appeal.objects.count() == 1


def test_an_appeal_sent_twice_says_it_is_made_without_repeating_it_as_unsent(
    post, author, moderator
):
    statement = decided(moderator, post)
    client = client_for(author)
    client.post(statement_url(statement), {"text": "It was a joke between friends."})

    replay = client.post(statement_url(statement), {"text": "It was a joke between friends."})

    assert replay.status_code == 400
    assert sv("moderation", "You have already appealed this decision.") in replay.text
    assert 'name="text"' not in replay.text
    unsent = sv("statements", "What you just wrote was not sent. You can copy it from here:")
    assert escape(unsent) not in replay.text
    assert Appeal.objects.count() == 1


def test_once_appealed_the_page_shows_the_appeal_instead_of_how_to_appeal(post, author, moderator):
    statement = decided(moderator, post)
    actions.appeal(appellant=author, statement=statement, text="Please look again.")

    page = client_for(author).get(statement_url(statement)).text

    assert escape(sv("statements", "How to appeal")) not in page
    assert escape(statement.redress_text) not in page
    section = re.search(r'<section class="appeal-status".*?</section>', page, re.S)
    assert section is not None
    assert sv("appeal status", "Waiting for a decision") in section.group(0)
    assert 'id="appeal"' in section.group(0)  # the anchor e-mails and links use
    assert escape(
        sv(
            "statements",
            "You can also turn to a certified out-of-court dispute settlement body, or to a court.",
        )
    ) in section.group(0)


def test_after_the_deadline_the_form_is_gone_and_an_appeal_is_refused(
    post, author, reader, moderator, monkeypatch
):
    long_ago = timezone.now() - timedelta(days=200)
    with monkeypatch.context() as patched:  # decided 200 days ago (six months to appeal)
        patched.setattr(timezone, "now", lambda: long_ago)
        statement = decided(moderator, post, by=reader)
    client = client_for(author)

    page = client.get(statement_url(statement)).text
    response = client.post(statement_url(statement), {"text": "I was away for months."})

    assert sv("statements", "The time to appeal this decision has passed.") in page
    assert 'name="text"' not in page
    assert response.status_code == 400
    assert sv("moderation", "The time to appeal this decision has passed.") in response.text
    assert "I was away for months." in response.text
    assert 'name="text"' not in response.text  # no form that cannot be sent
    assert not Appeal.objects.exists()


def test_a_decided_appeal_shows_the_outcome_with_its_reasons(
    post, author, moderator, second_moderator
):
    statement = decided(moderator, post)
    appeal = actions.appeal(appellant=author, statement=statement, text="Please look again.")
    actions.decide_appeal(
        moderator=second_moderator,
        appeal=appeal,
        outcome="reversed",
        reason="The post answers the question; it was not off topic.",
    )

    page = client_for(author).get(statement_url(statement)).text

    assert sv("appeal status", "Decision reversed") in page
    assert "The post answers the question; it was not off topic." in page


# --- the statement's own language, and its reference on one line -----------------------


class _LangOf(HTMLParser):
    """For each text of interest, the ``lang`` of the nearest element around it."""

    VOID = frozenset({"br", "input", "img", "meta", "link", "hr", "source", "wbr"})

    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self.texts = texts
        self.stack: list[str | None] = []
        self.found: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(dict(attrs).get("lang"))

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for text in self.texts:
            if text in data:
                self.found[text] = next((lang for lang in reversed(self.stack) if lang), None)


def test_the_statements_texts_are_marked_with_its_language_on_a_page_in_the_other(
    post, author, moderator
):
    statement = decided(moderator, post, explanation="Off topic.\nAnd hurtful to another member.")
    assert statement.language == "sv"
    texts = [
        statement.restriction_text,
        statement.content_excerpt,
        statement.ground_text,
        "And hurtful to another member.",  # the facts (a line of them)
        statement.redress_text,
    ]
    assert all(texts)

    page = client_for(author).get(statement_url(statement).replace("/sv/", "/en/", 1)).text

    assert '<html lang="en"' in page
    parser = _LangOf(texts)
    parser.feed(page)
    assert parser.found == dict.fromkeys(texts, "sv")


def test_references_are_kept_on_one_line(post, author, moderator):
    statement = decided(moderator, post)
    client = client_for(author)
    one_line = f'<span class="reference">{statement.reference}</span>'

    assert one_line in client.get(DECISIONS).text
    assert one_line in client.get(statement_url(statement)).text
