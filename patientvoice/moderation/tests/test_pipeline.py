"""Held content and crisis language reach the queues through the after-publish hook."""

from __future__ import annotations

import pytest

from patientvoice.communities import actions as community_actions
from patientvoice.core.models import ContentStatus
from patientvoice.moderation import actions, queries
from patientvoice.moderation.models import Case, CaseSource, CaseStatus, Severity
from patientvoice.moderation.pipeline import open_cases_after_publish

from .factories import PHONE_BODY, PostFactory

pytestmark = pytest.mark.django_db

CRISIS_BODY = "I can't go on, I want to die. Nothing helps any more."


def test_a_held_post_opens_a_case_with_the_checkers_reasons(thread, author, moderator, commit):
    held = commit(PostFactory.create, thread=thread, author=author, body=PHONE_BODY)

    assert held.status == ContentStatus.HELD
    case = Case.objects.get(object_id=held.pk)
    assert case.source == CaseSource.PIPELINE
    assert case.reasons == held.hold_reasons == ["personal_data.phone"]
    assert case.severity == Severity.MEDIUM
    assert case.community == thread.community
    assert [c.pk for c in queries.queue(moderator)] == [case.pk]


def test_crisis_language_is_published_and_opens_an_urgent_case_first_in_the_queue(
    thread, author, moderator, commit
):
    other = commit(PostFactory.create, thread=thread, body=PHONE_BODY)

    crisis = commit(PostFactory.create, thread=thread, author=author, body=CRISIS_BODY)

    assert crisis.status == ContentStatus.PUBLISHED  # never held for it (decisions/0008)
    case = Case.objects.get(object_id=crisis.pk)
    assert case.urgent
    assert case.source == CaseSource.CRISIS
    assert case.severity == Severity.HIGH
    assert "crisis.language" in case.reasons
    assert [c.object_id for c in queries.queue(moderator)] == [crisis.pk, other.pk]


def test_the_hook_run_twice_opens_one_case(thread, author):
    held = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)
    crisis = PostFactory.create(thread=thread, author=author, body=CRISIS_BODY)

    for content in (held, crisis, held, crisis):
        open_cases_after_publish(content)

    assert Case.objects.filter(object_id=held.pk).count() == 1
    assert Case.objects.filter(object_id=crisis.pk).count() == 1


def test_a_decided_crisis_case_is_not_opened_again_until_the_text_changes(
    thread, author, moderator, commit
):
    crisis = commit(PostFactory.create, thread=thread, author=author, body=CRISIS_BODY)
    case = Case.objects.get(object_id=crisis.pk)
    actions.decide(
        moderator=moderator, case=case, action="keep", reason_code="no_violation",
        explanation="Members answered with care; we wrote to the person.",
    )  # fmt: skip

    open_cases_after_publish(crisis)  # a retried task
    assert Case.objects.filter(object_id=crisis.pk).count() == 1

    commit(community_actions.edit_post, user=author, post=crisis, body=CRISIS_BODY + " Still.")
    reopened = Case.objects.get(object_id=crisis.pk, status=CaseStatus.OPEN)
    assert reopened.urgent


def test_a_held_post_with_crisis_language_is_one_urgent_case(thread, author, commit):
    both = commit(
        PostFactory.create, thread=thread, author=author, body=f"{PHONE_BODY} {CRISIS_BODY}"
    )

    case = Case.objects.get(object_id=both.pk)
    assert case.source == CaseSource.PIPELINE
    assert case.urgent
    assert case.reasons == ["personal_data.phone", "crisis.language"]


def test_keeping_a_held_post_runs_the_hooks_and_opens_nothing_new(
    thread, author, moderator, commit
):
    held = commit(PostFactory.create, thread=thread, author=author, body=PHONE_BODY)
    case = Case.objects.get(object_id=held.pk)

    commit(
        actions.decide, moderator=moderator, case=case, action="keep",
        reason_code="no_violation", explanation="A public helpline number.",
    )  # fmt: skip

    held.refresh_from_db()
    assert held.status == ContentStatus.PUBLISHED
    assert Case.objects.filter(object_id=held.pk).count() == 1


def test_an_edit_that_is_held_opens_a_new_case(post, author, commit):
    commit(community_actions.edit_post, user=author, post=post, body=PHONE_BODY)

    case = Case.objects.get(object_id=post.pk)
    assert case.source == CaseSource.PIPELINE
    assert case.author == author


def test_a_published_post_opens_no_case(thread, commit):
    post = commit(PostFactory.create, thread=thread, body="Morning walks help me most.")

    assert not Case.objects.filter(object_id=post.pk).exists()
