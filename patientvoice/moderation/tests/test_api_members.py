"""The moderation API for members: flags, their statements of reasons and appeals, with
the pages' rules and the API's one error shape."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext, pgettext_lazy

from patientvoice.accounts.models import User
from patientvoice.api import actions as api_actions
from patientvoice.api.tests.conftest import assert_error
from patientvoice.communities.models import Post
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.moderation import actions
from patientvoice.moderation.errors import FlagLimit
from patientvoice.moderation.models import Appeal, Case, Report, StatementOfReasons

from .factories import CommunityFactory, PostFactory, ThreadFactory, UserFactory, flagged

pytestmark = pytest.mark.django_db

ROWS = 12  # enough that one query per row would show
# A signed-in API call: the session and the user (communities/tests/test_query_counts.py).
API_SIGNED_IN = 2


def swedish(text: str | Promise) -> str:
    """``text`` in Swedish, the language of these requests (the site's default), as the
    API sends it: JSON, not HTML-escaped."""
    with translation.override("sv"):
        return str(text)


def send(client: Client, method: str, url: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(url, data, content_type="application/json")


def signed_in(user: User) -> Client:
    client = Client()
    log_in(client, user)
    return client


def with_token(user: User, scope: str) -> Client:
    _token, raw = api_actions.create_token(user=user, name="test", scope=scope)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def flag_body(target: Any, kind: str = "post", **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "target": str(target.public_id), "reason": "spam", **fields}


def hide(moderator: User, case: Case) -> Any:
    return actions.decide(
        moderator=moderator, case=case, action="hide", reason_code="community_guidelines",
        explanation="Hurtful words about another member.",
    )  # fmt: skip


# --- flags --------------------------------------------------------------------------------


def test_a_member_flags_a_post_and_gets_a_reference(post, reader):
    response = send(signed_in(reader), "post", "/api/v1/flags", flag_body(post))

    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get()
    assert body["reference"] == report.reference
    assert body["reference"].startswith("PV-")
    assert body["case_status"] == "open"
    assert body["reason"] == "spam"
    assert report.reporter == reader
    assert report.object_id == post.pk


def test_flagging_again_answers_200_with_the_first_reference(post, reader):
    client = signed_in(reader)
    first = send(client, "post", "/api/v1/flags", flag_body(post))

    again = send(client, "post", "/api/v1/flags", flag_body(post, reason="harassment"))

    assert again.status_code == 200
    assert again.json()["reference"] == first.json()["reference"]
    assert Report.objects.count() == 1


def test_flagging_ones_own_post_is_403_with_the_reason(post, author):
    response = send(signed_in(author), "post", "/api/v1/flags", flag_body(post))

    body = assert_error(response, 403, "forbidden")
    assert body["error"]["message"] == swedish(
        pgettext_lazy("moderation", "You cannot report your own content.")
    )
    assert not Report.objects.exists()


def test_a_post_the_member_cannot_see_is_404_like_one_that_does_not_exist(reader):
    private = CommunityFactory.create(private=True)
    hidden = PostFactory.create(thread=ThreadFactory.create(community=private))
    client = signed_in(reader)

    invisible = send(client, "post", "/api/v1/flags", flag_body(hidden))
    missing = send(
        client, "post", "/api/v1/flags",
        {"kind": "post", "target": "00000000-0000-4000-8000-000000000000", "reason": "spam"},
    )  # fmt: skip

    assert_error(invisible, 404, "not_found")
    assert invisible.json() == missing.json()
    assert not Report.objects.exists()


def test_a_profile_is_flagged_by_its_public_id_into_the_site_queue(author, reader):
    response = send(
        signed_in(reader), "post", "/api/v1/flags",
        flag_body(author, kind="profile", reason="harassment"),
    )  # fmt: skip

    assert response.status_code == 201
    case = Case.objects.get()
    assert case.kind == "profile"
    assert case.community is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"reason": "illegal"},
            pgettext_lazy("moderation", "Choose what kind of illegal content it is."),
        ),
        ({"reason": "other"}, pgettext_lazy("moderation", "Tell us what is wrong with it.")),
        ({"kind": "recipe"}, pgettext_lazy("api error", "This cannot be reported.")),
    ],
    ids=["illegal-without-type", "other-without-explanation", "unknown-kind"],
)
def test_an_incomplete_flag_is_422_with_a_message(post, reader, fields, message):
    response = send(signed_in(reader), "post", "/api/v1/flags", flag_body(post, **fields))

    body = assert_error(response, 422, "invalid")
    assert body["error"]["message"] == swedish(message)
    assert not Report.objects.exists()


def test_an_unknown_reason_is_422(post, reader):
    response = send(signed_in(reader), "post", "/api/v1/flags", flag_body(post, reason="boring"))

    body = assert_error(response, 422, "invalid")
    assert body["error"]["details"][0]["loc"][-1] == "reason"


def test_a_visitor_cannot_flag(post):
    response = send(Client(), "post", "/api/v1/flags", flag_body(post))

    assert_error(response, 401, "unauthenticated")


def test_flagging_needs_a_read_and_write_token(post, reader):
    read_only = send(with_token(reader, "read"), "post", "/api/v1/flags", flag_body(post))
    read_write = send(with_token(reader, "read_write"), "post", "/api/v1/flags", flag_body(post))

    assert_error(read_only, 403, "insufficient_scope")
    assert read_write.status_code == 201


def test_flooding_is_429_and_keeps_the_earlier_flags(settings, thread, reader):
    settings.PV_FLAGS_PER_HOUR = 2
    posts = PostFactory.create_batch(3, thread=thread)
    client = signed_in(reader)

    answers = [send(client, "post", "/api/v1/flags", flag_body(p)) for p in posts]

    assert [a.status_code for a in answers[:2]] == [201, 201]
    body = assert_error(answers[2], 429, "flag_limit")
    assert body["error"]["message"] == swedish(FlagLimit.default_message)
    assert Report.objects.filter(reporter=reader).count() == 2


def test_refusals_are_in_the_language_of_the_request(reader):
    private = CommunityFactory.create(private=True)
    hidden = PostFactory.create(thread=ThreadFactory.create(community=private))

    response = signed_in(reader).post(
        "/api/v1/flags", json.dumps(flag_body(hidden)), content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="sv",
    )  # fmt: skip

    with translation.override("sv"):
        expected = pgettext("api error", "Not found.")
    assert expected != "Not found."
    assert assert_error(response, 404, "not_found")["error"]["message"] == expected


def test_my_flags_lists_only_mine_newest_first_with_a_fixed_query_count(
    thread, reader, outsider, django_assert_num_queries
):
    posts = PostFactory.create_batch(ROWS, thread=thread)
    for post in posts:
        actions.flag(reporter=reader, kind="post", obj=post, reason="spam")
    actions.flag(reporter=outsider, kind="post", obj=posts[0], reason="harassment")
    client = signed_in(reader)

    with django_assert_num_queries(API_SIGNED_IN + 2):  # count, page with cases
        response = client.get("/api/v1/flags?limit=100")

    body = response.json()
    assert body["count"] == ROWS
    references = [item["reference"] for item in body["items"]]
    assert references == [r.reference for r in Report.objects.filter(reporter=reader)]
    assert {item["reason"] for item in body["items"]} == {"spam"}


# --- statements of reasons ----------------------------------------------------------------


def test_a_member_lists_their_statements_only_with_a_fixed_query_count(
    thread, author, reader, moderator, django_assert_num_queries
):
    for _ in range(ROWS):
        hide(moderator, flagged(PostFactory.create(thread=thread, author=author)))
    hide(moderator, flagged(PostFactory.create(thread=thread, author=reader)))
    client = signed_in(author)

    with django_assert_num_queries(API_SIGNED_IN + 2):  # count, page with appeals
        response = client.get("/api/v1/moderation/statements?limit=100")

    body = response.json()
    assert body["count"] == ROWS
    first = body["items"][0]
    assert first["restriction"] == "hide"
    assert first["facts"] == "Hurtful words about another member."
    assert first["appeal"] is None
    assert first["read_at"] is None


def test_a_statement_is_for_its_recipient_and_the_cases_moderators(post, author, reader, moderator):
    statement = hide(moderator, flagged(post)).statement
    url = f"/api/v1/moderation/statements/{statement.public_id}"
    moderator_client = Client()
    log_in_with_mfa(moderator_client, moderator)

    own = signed_in(author).get(url)
    someone_else = signed_in(reader).get(url)
    moderators = moderator_client.get(url)

    assert own.status_code == 200
    assert own.json()["reference"] == statement.reference
    assert_error(someone_else, 404, "not_found")
    assert moderators.status_code == 200


def test_reading_a_statement_marks_it_read_for_its_recipient_only(post, author, moderator):
    statement = hide(moderator, flagged(post)).statement
    url = f"/api/v1/moderation/statements/{statement.public_id}/read"
    moderator_client = Client()
    log_in_with_mfa(moderator_client, moderator)

    by_moderator = moderator_client.post(url)
    after_moderator = StatementOfReasons.objects.get(pk=statement.pk).read_at
    by_author = signed_in(author).post(url)

    assert by_moderator.status_code == 200
    assert after_moderator is None
    assert by_author.status_code == 200
    assert by_author.json()["read_at"] is not None
    assert StatementOfReasons.objects.get(pk=statement.pk).read_at is not None


# --- appeals ------------------------------------------------------------------------------


def test_the_member_appeals_once(post, author, moderator):
    statement = hide(moderator, flagged(post)).statement
    url = f"/api/v1/moderation/statements/{statement.public_id}/appeal"
    client = signed_in(author)

    made = send(client, "post", url, {"text": "It was a quote from my doctor."})
    again = send(client, "post", url, {"text": "Please look again."})

    assert made.status_code == 201
    assert made.json()["status"] == "open"
    appeal = Appeal.objects.get()
    assert made.json()["public_id"] == str(appeal.public_id)
    assert appeal.text == "It was a quote from my doctor."
    body = assert_error(again, 409, "appeal_not_allowed")
    assert body["error"]["message"] == swedish(
        pgettext_lazy("moderation", "You have already appealed this decision.")
    )
    listed = client.get("/api/v1/moderation/statements").json()["items"][0]
    assert listed["appeal"]["status"] == "open"


def test_only_the_recipient_appeals(post, reader, moderator):
    statement = hide(moderator, flagged(post)).statement
    url = f"/api/v1/moderation/statements/{statement.public_id}/appeal"
    moderator_client = Client()
    log_in_with_mfa(moderator_client, moderator)

    by_reader = send(signed_in(reader), "post", url, {"text": "Not fair."})
    by_moderator = send(moderator_client, "post", url, {"text": "Not fair."})

    assert_error(by_reader, 404, "not_found")
    assert_error(by_moderator, 404, "not_found")  # may read it, may not appeal it
    assert not Appeal.objects.exists()


def test_an_empty_appeal_is_422(post, author, moderator):
    statement = hide(moderator, flagged(post)).statement
    url = f"/api/v1/moderation/statements/{statement.public_id}/appeal"

    response = send(signed_in(author), "post", url, {"text": ""})

    assert_error(response, 422, "invalid")
    assert not Appeal.objects.exists()


def test_an_appeal_needs_a_read_and_write_token(post, author, moderator):
    statement = hide(moderator, flagged(post)).statement
    url = f"/api/v1/moderation/statements/{statement.public_id}/appeal"

    response = send(with_token(author, "read"), "post", url, {"text": "Not fair."})

    assert_error(response, 403, "insufficient_scope")
    assert not Appeal.objects.exists()


def test_the_posts_text_never_reaches_a_flag_list(post: Post, reader):
    actions.flag(reporter=reader, kind="post", obj=post, reason="spam")

    text = signed_in(reader).get("/api/v1/flags").content.decode()

    assert post.body not in text
    assert "excerpt" not in text


def test_another_members_flags_are_not_listed(post, reader):
    other = UserFactory.create()
    actions.flag(reporter=other, kind="post", obj=post, reason="spam")

    response = signed_in(reader).get("/api/v1/flags")

    assert response.json()["count"] == 0
