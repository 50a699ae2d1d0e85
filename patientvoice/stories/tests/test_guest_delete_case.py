"""A guest who deletes their held comment takes its moderation case with it, unless
someone reported the comment (that sender is told the outcome)."""

from __future__ import annotations

from typing import Any

import pytest

from patientvoice.accounts.tests.factories import StaffFactory
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.models import Case
from patientvoice.stories import actions

from .factories import GuestCommentFactory

pytestmark = pytest.mark.django_db


def _cases(comment: Any) -> Any:
    return Case.objects.filter(kind="story_comment", object_id=comment.pk)


def test_deleting_a_held_guest_comment_closes_nothing_left_open(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        comment = GuestCommentFactory.create()
    assert _cases(comment).exists()

    actions.delete_guest_comment(comment=comment)

    assert not _cases(comment).exists()


def test_a_reported_comment_keeps_its_case_when_the_guest_deletes_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        comment = GuestCommentFactory.create()
    moderation_actions.flag(
        reporter=StaffFactory.create(), kind="story_comment", obj=comment, reason="spam"
    )

    actions.delete_guest_comment(comment=comment)

    assert _cases(comment).count() == 1
