"""Appeals (DSA art. 20): the member appeals within six months; another moderator
decides; a reversal puts back what was restricted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import pgettext

from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Thread
from patientvoice.core.models import AuditEntry, ContentStatus
from patientvoice.moderation import actions, queries
from patientvoice.moderation.errors import AppealClosed, AppealNotAllowed
from patientvoice.moderation.models import Appeal, AppealStatus, ContentLabel, Sanction

from .factories import PHONE_BODY, PostFactory, flagged

pytestmark = pytest.mark.django_db


def decided(moderator, post, action="hide", **kwargs):
    kwargs.setdefault("reason_code", "community_guidelines")
    kwargs.setdefault("explanation", "Off topic and hurtful.")
    return actions.decide(moderator=moderator, case=flagged(post), action=action, **kwargs)


def test_the_author_appeals_and_it_waits_for_another_moderator(
    post, author, moderator, second_moderator
):
    statement = decided(moderator, post).statement

    appeal = actions.appeal(
        appellant=author, statement=statement, text="It was a joke between friends."
    )

    assert appeal.status == AppealStatus.OPEN
    assert list(queries.appeal_queue(second_moderator)) == [appeal]
    assert list(queries.appeal_queue(moderator)) == []  # not against their own decision
    assert AuditEntry.objects.filter(action="moderation.appeal", actor=author).exists()


def test_only_the_recipient_can_appeal(post, reader, moderator):
    statement = decided(moderator, post).statement

    with pytest.raises(Http404):
        actions.appeal(appellant=reader, statement=statement, text="Unfair to my friend.")
    assert not Appeal.objects.exists()


def test_an_appeal_is_made_once(post, author, moderator):
    statement = decided(moderator, post).statement
    actions.appeal(appellant=author, statement=statement, text="Please look again.")

    with pytest.raises(AppealNotAllowed):
        actions.appeal(appellant=author, statement=statement, text="And again.")
    assert Appeal.objects.count() == 1


def test_an_appeal_after_six_months_is_refused(post, author, moderator, monkeypatch):
    statement = decided(moderator, post).statement
    later = statement.appeal_deadline + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    with pytest.raises(AppealNotAllowed) as refused:
        actions.appeal(appellant=author, statement=statement, text="Late, sorry.")
    # Said in the active language: Swedish, the site's default (the root conftest).
    assert str(refused.value) == pgettext(
        "moderation", "The time to appeal this decision has passed."
    )


def test_the_moderator_who_decided_cannot_decide_the_appeal(post, author, moderator):
    statement = decided(moderator, post).statement
    appeal = actions.appeal(appellant=author, statement=statement, text="Please look again.")

    with pytest.raises(PermissionDenied):
        actions.decide_appeal(
            moderator=moderator, appeal=appeal, outcome="reversed", reason="Oops."
        )

    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.OPEN


def test_a_moderator_of_another_community_cannot_decide_the_appeal(
    post, author, moderator, foreign_moderator
):
    appeal = actions.appeal(
        appellant=author, statement=decided(moderator, post).statement, text="Look again."
    )

    with pytest.raises(PermissionDenied):
        actions.decide_appeal(
            moderator=foreign_moderator, appeal=appeal, outcome="reversed", reason="Fine."
        )


def test_a_reversal_shows_the_post_again_and_tells_the_member_why(
    post, author, moderator, second_moderator, commit
):
    appeal = actions.appeal(
        appellant=author, statement=decided(moderator, post).statement, text="Not hurtful."
    )

    commit(
        actions.decide_appeal, moderator=second_moderator, appeal=appeal, outcome="reversed",
        reason="Read in context, it is friendly teasing.",
    )  # fmt: skip

    post.refresh_from_db()
    appeal.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED
    assert (appeal.status, appeal.decided_by) == (AppealStatus.REVERSED, second_moderator)
    assert appeal.decided_at is not None
    outcome = [m for m in mail.outbox if "friendly teasing" in m.body]
    assert [m.to for m in outcome] == [[author.email]]
    assert AuditEntry.objects.filter(
        action="moderation.appeal_reversed", actor=second_moderator
    ).exists()


def test_an_upheld_decision_stays(post, author, moderator, second_moderator):
    appeal = actions.appeal(
        appellant=author, statement=decided(moderator, post).statement, text="Not hurtful."
    )

    actions.decide_appeal(
        moderator=second_moderator, appeal=appeal, outcome="upheld", reason="It names and shames."
    )

    post.refresh_from_db()
    assert post.status == ContentStatus.HIDDEN
    assert Appeal.objects.get().status == AppealStatus.UPHELD
    with pytest.raises(AppealClosed):
        actions.decide_appeal(
            moderator=second_moderator, appeal=appeal, outcome="reversed", reason="Changed mind."
        )


def test_a_reversal_lifts_the_suspension(post, author, moderator, second_moderator):
    decision = decided(
        moderator, post, "suspend", suspension_until=timezone.now() + timedelta(days=30)
    )
    appeal = actions.appeal(appellant=author, statement=decision.statement, text="Unfair.")

    actions.decide_appeal(
        moderator=second_moderator, appeal=appeal, outcome="reversed", reason="Too harsh."
    )

    assert Sanction.objects.get().lifted_at is not None
    community_actions.reply_to_thread(
        author=author, thread=Thread.objects.get(pk=post.thread_id), body="Thanks", language="sv"
    )


def test_a_reversal_puts_back_the_redacted_text(thread, author, moderator, second_moderator):
    held = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)
    case = actions.open_case(kind="post", obj=held, source="pipeline", reasons=held.hold_reasons)
    decision = actions.decide(
        moderator=moderator, case=case, action="redact", reason_code="personal_data",
        explanation="A phone number.", text="Call me on [removed by moderators].",
    )  # fmt: skip
    appeal = actions.appeal(
        appellant=author, statement=decision.statement, text="It is the clinic's."
    )

    actions.decide_appeal(
        moderator=second_moderator, appeal=appeal, outcome="reversed", reason="A public number."
    )

    held.refresh_from_db()
    assert held.body == PHONE_BODY
    assert held.status == ContentStatus.PUBLISHED


def test_a_reversal_takes_the_label_away_and_unlocks(post, author, moderator, second_moderator):
    labelled = decided(moderator, post, "label", label_text="Disputed")
    reply = PostFactory.create(thread=Thread.objects.get(pk=post.thread_id))
    locked = decided(moderator, reply, "lock")
    for decision, text in ((labelled, "Not disputed."), (locked, "Please reopen.")):
        recipient = decision.statement.recipient
        appeal = actions.appeal(appellant=recipient, statement=decision.statement, text=text)
        actions.decide_appeal(
            moderator=second_moderator, appeal=appeal, outcome="reversed", reason="Ok."
        )

    assert ContentLabel.objects.get().removed_at is not None
    assert queries.labels_for("post", [post.pk]) == {}
    assert not Thread.objects.get(pk=post.thread_id).is_locked
