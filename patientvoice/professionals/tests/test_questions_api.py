"""The professionals' question queue in the API: the same rule as the page."""

from __future__ import annotations

import pytest

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities.tests.factories import CommunityFactory

from .question_factories import client_for, professional, question

pytestmark = pytest.mark.django_db

URL = "/api/v1/professionals/questions"


def test_a_nurse_gets_the_questions_she_may_read_and_a_member_is_refused():
    nurse = professional()
    open_question = question(field="nursing")
    question(community=CommunityFactory.create(members_only=True), field="nursing")
    question(field="dental")  # another profession's field

    body = client_for(nurse, mfa=True).get(URL).json()

    assert [item["thread"] for item in body["items"]] == [str(open_question.thread.public_id)]
    assert body["items"][0]["answered"] is False
    every = client_for(nurse, mfa=True).get(URL, {"fields": "all"}).json()
    assert len(every["items"]) == 2  # still not the members-only one
    refused = client_for(UserFactory.create()).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert refused.json()["error"]["message"]  # the reason, in the caller's language


def test_the_queue_costs_the_same_queries_for_many_questions(django_assert_max_num_queries):
    nurse = professional()
    client = client_for(nurse, mfa=True)
    for _ in range(15):
        question(field="nursing")

    with django_assert_max_num_queries(12):
        response = client.get(URL)

    assert response.json()["count"] == 15
