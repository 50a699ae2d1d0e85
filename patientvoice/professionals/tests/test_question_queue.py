"""The professionals' queue of questions (decisions/0037): only acting professionals,
only threads they may read, their fields first, advised communities first, unanswered
first, then the oldest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Thread
from patientvoice.communities.tests.factories import PHONE_BODY, CommunityFactory
from patientvoice.core.testing.visibility import assert_cannot_see
from patientvoice.professionals.question_views import PER_PAGE

from . import factories
from .question_factories import (
    adviser,
    answer,
    client_for,
    expire,
    organisation_with_admin,
    professional,
    question,
)

pytestmark = pytest.mark.django_db


def _url(query: str = "") -> str:
    with translation.override("en"):
        return reverse("professionals:questions") + query


def _titles(response: Any) -> list[str]:
    return [q.thread.title for q in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("visitor", 302),
        ("member", 403),
        ("verifier", 403),
        ("staff", 403),
        ("professional_without_two_step_login", 403),
        ("expired_professional", 403),
        ("professional", 200),
    ],
)
def test_who_may_open_the_queue(who: str, expected: int):
    def expired() -> Any:
        nurse = professional()
        expire(nurse)
        return nurse

    people: dict[str, Callable[[], Any]] = {
        "visitor": lambda: None,
        "member": UserFactory.create,
        "verifier": factories.verifier,
        "staff": factories.staff,
        "professional_without_two_step_login": professional,
        "expired_professional": expired,
        "professional": professional,
    }
    person = people[who]()
    mfa = who not in ("visitor", "member", "professional_without_two_step_login")

    response = client_for(person, mfa=mfa).get(_url())

    assert response.status_code == expected


def test_an_expired_professional_reads_why_and_how_to_re_confirm():
    nurse = professional()
    expire(nurse)

    with translation.override("en"):
        response = client_for(nurse, mfa=True).get(_url())

    assert response.status_code == 403
    assert "expired" in response.content.decode()


def test_a_pharmacist_sees_medicine_questions_and_all_fields_on_request():
    medicines = question(field="medicines")
    teeth = question(field="dental")
    client = client_for(professional("pharmacist"), mfa=True)

    mine = _titles(client.get(_url()))
    every = _titles(client.get(_url("?fields=all")))

    assert mine == [medicines.thread.title]
    assert set(every) == {medicines.thread.title, teeth.thread.title}


def test_unanswered_come_first_then_the_oldest(django_capture_on_commit_callbacks):
    oldest = question(field="nursing")
    older = question(field="nursing")
    newest = question(field="nursing")
    answer(django_capture_on_commit_callbacks, oldest.thread, professional())

    titles = _titles(client_for(professional(), mfa=True).get(_url()))

    assert titles == [older.thread.title, newest.thread.title, oldest.thread.title]


def test_questions_of_an_advised_community_come_first():
    organization, admin = organisation_with_admin()
    advised = CommunityFactory.create(organization=organization)
    older = question(field="nursing")
    newer = question(advised, field="nursing")
    nurse = professional()
    adviser(organization, admin, advised, nurse)

    response = client_for(nurse, mfa=True).get(_url())

    assert _titles(response) == [newer.thread.title, older.thread.title]
    with translation.override("en"):
        assert "You advise this community" in response.content.decode()


def test_an_invitation_not_accepted_yet_puts_nothing_first():
    organization, admin = organisation_with_admin()
    advised = CommunityFactory.create(organization=organization)
    older = question(field="nursing")
    newer = question(advised, field="nursing")
    nurse = professional()
    adviser(organization, admin, advised, nurse, accept=False)

    titles = _titles(client_for(nurse, mfa=True).get(_url()))

    assert titles == [older.thread.title, newer.thread.title]


def test_the_queue_leaves_out_own_locked_and_held_questions():
    nurse = professional()
    question(author=nurse, field="nursing")
    locked = question(field="nursing")
    Thread.objects.filter(pk=locked.thread_id).update(is_locked=True)
    question(field="nursing", body=PHONE_BODY)
    open_one = question(field="nursing")

    titles = _titles(client_for(nurse, mfa=True).get(_url("?fields=all")))

    assert titles == [open_one.thread.title]


def test_a_professional_never_sees_members_only_or_private_questions_of_other_communities():
    nurse = professional()
    members_only = question(CommunityFactory.create(members_only=True), field="nursing")
    private = question(CommunityFactory.create(private=True), field="nursing")

    assert_cannot_see(client_for(nurse, mfa=True), members_only.thread)
    assert_cannot_see(client_for(nurse, mfa=True), private.thread)


def test_a_professional_who_is_a_member_sees_the_members_only_question():
    nurse = professional()
    community = CommunityFactory.create(members_only=True)
    community_actions.join_community(user=nurse, community=community)
    asked = question(community, field="nursing")

    assert _titles(client_for(nurse, mfa=True).get(_url())) == [asked.thread.title]


def test_the_queue_has_a_fixed_query_count(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    organization, admin = organisation_with_admin()
    advised = CommunityFactory.create(organization=organization)
    nurse = professional()
    adviser(organization, admin, advised, nurse)
    answerer = professional()
    for n in range(PER_PAGE + 5):
        asked = question(advised if n % 3 == 0 else None, field="nursing")
        if n % 4 == 0:
            answer(django_capture_on_commit_callbacks, asked.thread, answerer)
    client = client_for(nurse, mfa=True)
    client.get(_url())

    # session, user, second factor (check_professional; the credential is cached after
    # the first request), count, page
    with django_assert_num_queries(5):
        response = client.get(_url())

    assert len(response.context["page"].object_list) == PER_PAGE
