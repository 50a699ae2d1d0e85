"""Questions for professionals (issue 6, item 5; decisions/0037): a thread's author asks
verified professionals when starting the thread or later; the first professional
answer is kept and labels the thread in its community's list."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Thread
from patientvoice.communities.tests.factories import (
    PHONE_BODY,
    CommunityFactory,
    ThreadFactory,
)
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.tests.factories import community_moderator, flagged
from patientvoice.professionals import questions
from patientvoice.professionals.errors import InvalidQuestionField, QuestionThreadLocked
from patientvoice.professionals.models import (
    FIELDS_BY_PROFESSION,
    Credential,
    Profession,
    ProfessionalQuestion,
    QuestionField,
)
from patientvoice.professionals.queries import forget_credential
from patientvoice.professionals.question_queries import answered_label, question_state

from .question_factories import answer, client_for, expire, fresh, professional, question

pytestmark = pytest.mark.django_db


def _start_url(community: Any) -> str:
    with translation.override("en"):
        return reverse("communities:thread_create", args=[community.slug])


def _ask_url(thread: Thread) -> str:
    with translation.override("en"):
        return reverse("professionals:ask", args=[thread.public_id])


def _thread_form(**extra: str) -> dict[str, str]:
    return {
        "title": "Can I take ibuprofen with my blood pressure pills?",
        "body": "My doctor prescribed ramipril and my knee hurts.",
        **extra,
    }


# --- asking when starting a thread ----------------------------------------------------------


def test_a_member_asks_professionals_when_starting_a_discussion():
    member = UserFactory.create()
    community = CommunityFactory.create(members=[member])

    response = client_for(member).post(
        _start_url(community), _thread_form(ask_professionals="on", question_field="medicines")
    )

    assert response.status_code == 302
    found = ProfessionalQuestion.objects.get()
    assert found.field == QuestionField.MEDICINES
    assert found.asked_by == member
    assert found.thread.title.startswith("Can I take ibuprofen")


def test_ticking_ask_without_a_field_comes_back_with_400_and_the_text_kept():
    member = UserFactory.create()
    community = CommunityFactory.create(members=[member])

    with translation.override("en"):
        response = client_for(member).post(
            _start_url(community), _thread_form(ask_professionals="on")
        )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose what your question is about" in page
    assert "My doctor prescribed ramipril" in page
    assert not Thread.objects.exists()


def test_starting_a_discussion_without_asking_marks_nothing():
    member = UserFactory.create()
    community = CommunityFactory.create(members=[member])

    response = client_for(member).post(_start_url(community), _thread_form())

    assert response.status_code == 302
    assert Thread.objects.exists()
    assert not ProfessionalQuestion.objects.exists()


def test_the_start_form_offers_the_question_and_its_fields_in_english():
    member = UserFactory.create()
    community = CommunityFactory.create(members=[member])

    with translation.override("en"):
        page = client_for(member).get(_start_url(community)).content.decode()

    assert "Ask verified healthcare professionals" in page
    assert "Medicines and pharmacy" in page


# --- asking later, changing, stopping -----------------------------------------------------


def test_the_author_asks_later_on_the_ask_page_and_is_sent_back_to_the_thread():
    thread = ThreadFactory.create()

    response = client_for(thread.author).post(
        _ask_url(thread), {"action": "ask", "field": "mental_health"}
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"/t/{thread.public_id}/")
    assert ProfessionalQuestion.objects.get(thread=thread).field == "mental_health"


def test_the_author_changes_the_field_and_the_question_keeps_its_time():
    asked = question(field="nursing")
    thread = asked.thread

    client_for(thread.author).post(_ask_url(thread), {"action": "ask", "field": "nutrition"})

    again = fresh(asked)
    assert again.field == "nutrition"
    assert again.asked_at == asked.asked_at


def test_the_author_stops_asking():
    asked = question()
    thread = asked.thread

    response = client_for(thread.author).post(_ask_url(thread), {"action": "stop"})

    assert response.status_code == 302
    assert not ProfessionalQuestion.objects.exists()


def test_an_unknown_field_comes_back_with_400_and_a_reason():
    thread = ThreadFactory.create()

    with translation.override("en"):
        response = client_for(thread.author).post(
            _ask_url(thread), {"action": "ask", "field": "astrology"}
        )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ProfessionalQuestion.objects.exists()


def test_a_locked_thread_cannot_be_asked_with_409():
    thread = ThreadFactory.create()
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)

    with translation.override("en"):
        response = client_for(thread.author).post(
            _ask_url(thread), {"action": "ask", "field": "nursing"}
        )

    assert response.status_code == 409
    assert "locked" in response.content.decode()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("visitor", 302),
        ("author", 200),
        ("other_member", 403),
        ("professional", 403),
        ("outsider_of_members_only", 404),
        ("moderator", 403),
    ],
)
def test_who_may_open_the_ask_page(who: str, expected: int):
    member = UserFactory.create()
    community = CommunityFactory.create(members_only=True, members=[member])
    thread = ThreadFactory.create(community=community)
    people = {
        "visitor": None,
        "author": thread.author,
        "other_member": member,
        "professional": _member_professional(community),
        "outsider_of_members_only": UserFactory.create(),
        "moderator": community_moderator(community),
    }
    person = people[who]
    mfa = who in ("professional", "moderator")

    response = client_for(person, mfa=mfa).get(_ask_url(thread))

    assert response.status_code == expected


def _member_professional(community: Any) -> Any:
    nurse = professional()
    community_actions.join_community(user=nurse, community=community)
    return nurse


def test_the_action_refuses_someone_else_and_someone_who_cannot_see():
    thread = ThreadFactory.create(community=CommunityFactory.create(private=True))

    with pytest.raises(Http404):
        questions.mark_question(asker=UserFactory.create(), thread=thread, field="nursing")
    other = UserFactory.create()
    community_actions.join_community(user=other, community=thread.community)
    with pytest.raises(PermissionDenied):
        questions.mark_question(asker=other, thread=thread, field="nursing")


def test_the_action_refuses_a_field_not_on_the_list_and_a_locked_thread():
    asker = UserFactory.create()
    thread = ThreadFactory.create(author=asker)

    with pytest.raises(InvalidQuestionField):
        questions.mark_question(asker=asker, thread=thread, field="")
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    thread.refresh_from_db()
    with pytest.raises(QuestionThreadLocked):
        questions.mark_question(asker=asker, thread=thread, field="nursing")


# --- the first professional answer --------------------------------------------------------


def test_a_professionals_reply_becomes_the_first_answer(django_capture_on_commit_callbacks):
    asked = question()
    nurse = professional()

    reply = answer(django_capture_on_commit_callbacks, asked.thread, nurse)

    again = fresh(asked)
    assert again.first_answer_post == reply
    assert again.first_answer_profession == Profession.NURSE
    assert again.first_answer_at == reply.published_at
    assert again.answer_seconds is not None


def test_a_members_reply_is_no_answer(django_capture_on_commit_callbacks):
    asked = question()

    answer(django_capture_on_commit_callbacks, asked.thread, UserFactory.create())

    assert not fresh(asked).is_answered


def test_the_askers_own_reply_is_no_answer_even_when_they_are_a_professional(
    django_capture_on_commit_callbacks,
):
    nurse = professional()
    asked = question(author=nurse)

    answer(django_capture_on_commit_callbacks, asked.thread, nurse)

    assert not fresh(asked).is_answered


def test_a_later_professional_reply_does_not_replace_the_first(django_capture_on_commit_callbacks):
    asked = question()
    first = answer(django_capture_on_commit_callbacks, asked.thread, professional())

    answer(django_capture_on_commit_callbacks, asked.thread, professional("pharmacist"))

    again = fresh(asked)
    assert again.first_answer_post == first
    assert again.first_answer_profession == Profession.NURSE


def test_the_hook_run_twice_changes_nothing(django_capture_on_commit_callbacks):
    asked = question()
    reply = answer(django_capture_on_commit_callbacks, asked.thread, professional())

    assert questions.answer_published(post=reply) is False
    assert fresh(asked).first_answer_post == reply


def test_a_held_reply_by_a_professional_is_no_answer_until_published(
    django_capture_on_commit_callbacks,
):
    asked = question()

    answer(django_capture_on_commit_callbacks, asked.thread, professional(), body=PHONE_BODY)

    assert not fresh(asked).is_answered


def test_an_answer_given_while_verified_still_counts_after_expiry(
    django_capture_on_commit_callbacks,
):
    asked = question()
    nurse = professional()
    reply = answer(django_capture_on_commit_callbacks, asked.thread, nurse)
    Credential.objects.filter(user=nurse).update(expires_at=timezone.now())
    forget_credential(nurse.pk)

    questions.recompute_first_answer(fresh(asked))

    assert fresh(asked).first_answer_post == reply


def test_a_reply_after_expiry_is_no_answer(django_capture_on_commit_callbacks):
    asked = question()
    nurse = professional()
    expire(nurse)

    answer(django_capture_on_commit_callbacks, asked.thread, nurse)

    assert not fresh(asked).is_answered


def test_a_hidden_first_answer_hands_over_to_the_next(django_capture_on_commit_callbacks):
    asked = question()
    first = answer(django_capture_on_commit_callbacks, asked.thread, professional())
    second = answer(django_capture_on_commit_callbacks, asked.thread, professional("pharmacist"))
    moderator = community_moderator(asked.thread.community)

    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.decide(
            moderator=moderator,
            case=flagged(first),
            action="hide",
            reason_code="community_guidelines",
            explanation="Off topic for this discussion.",
        )

    again = fresh(asked)
    assert again.first_answer_post == second
    assert again.first_answer_profession == Profession.PHARMACIST


def test_marking_a_thread_already_answered_by_a_professional_counts_the_answer(
    django_capture_on_commit_callbacks,
):
    asker = UserFactory.create()
    thread = ThreadFactory.create(author=asker)
    reply = answer(django_capture_on_commit_callbacks, thread, professional())

    asked = questions.mark_question(asker=asker, thread=thread, field="nursing")

    assert asked.first_answer_post == reply
    assert asked.answer_seconds == 0


def test_a_first_answer_deleted_by_its_author_hands_over_at_once(
    django_capture_on_commit_callbacks,
):
    asked = question()
    nurse, doctor = professional(), professional("physician")
    first = answer(django_capture_on_commit_callbacks, asked.thread, nurse)
    second = answer(django_capture_on_commit_callbacks, asked.thread, doctor)

    community_actions.delete_post(user=nurse, post=first)

    assert fresh(asked).first_answer_post == second
    community_actions.delete_post(user=doctor, post=second)
    assert not fresh(asked).is_answered


# --- the thread list label ------------------------------------------------------------------


def test_the_thread_list_says_question_for_professionals_then_who_answered(
    django_capture_on_commit_callbacks,
):
    asked = question()
    community = asked.thread.community
    with translation.override("en"):
        url = community.get_absolute_url()

        before = client_for(None).get(url).content.decode()
        answer(django_capture_on_commit_callbacks, asked.thread, professional())
        after = client_for(None).get(url).content.decode()

    assert "Question for professionals" in before
    assert "Answered by a verified registered nurse" in after
    assert "Question for professionals" not in after


def test_the_swedish_label_names_the_profession_in_lower_case():
    with translation.override("sv"):
        label = answered_label(Profession.NURSE)

    assert label == "Besvarad av verifierad vårdpersonal: sjuksköterska"


def test_the_community_page_labels_every_question_without_a_query_per_thread(
    django_capture_on_commit_callbacks, django_assert_num_queries
):
    community = CommunityFactory.create()
    nurse = professional()
    for n in range(12):
        asked = question(community)
        if n % 2:
            answer(django_capture_on_commit_callbacks, asked.thread, nurse)
    for _ in range(5):
        ThreadFactory.create(community=community)
    client = client_for(None)
    with translation.override("en"):
        url = community.get_absolute_url()

    # community, thread count, threads (with labels), tags (2), guidelines
    with (
        django_assert_num_queries(7),
        translation.override("en"),
    ):  # +1: the site's funding notices, read once the cache is cold (decisions/0038)
        page = client.get(url).content.decode()

    assert page.count("Question for professionals") == 6
    assert page.count("Answered by a verified registered nurse") == 6


# --- the thread page's state (for the lead) -------------------------------------------------


def test_question_state_names_the_field_and_the_first_answer(django_capture_on_commit_callbacks):
    asked = question(field="medicines")
    reply = answer(django_capture_on_commit_callbacks, asked.thread, professional("pharmacist"))

    state = question_state(asked.thread)

    assert state is not None
    assert state.field == "medicines"
    assert state.first_answer_post_id == reply.pk
    with translation.override("en"):
        assert state.label == "Answered by a verified pharmacist"
        assert state.field_label == "Medicines and pharmacy"
    assert question_state(ThreadFactory.create()) is None


# --- the profession -> fields mapping -----------------------------------------------------


def test_every_profession_sees_at_least_one_field_by_default():
    assert set(FIELDS_BY_PROFESSION) == set(Profession.values)
    assert all(FIELDS_BY_PROFESSION[p] <= set(QuestionField.values) for p in Profession.values)
    assert all(FIELDS_BY_PROFESSION.values())
