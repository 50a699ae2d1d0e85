"""The moderation kind "expert_note": "Report" works for notes, and moderators hide,
remove and restore them with a statement of reasons."""

from __future__ import annotations

import pytest

from patientvoice.core.models import ContentStatus
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.models import Case, CaseSource, StatementOfReasons
from patientvoice.reviews.tests.factories import acting_staff

from .factories import UserFactory, a_review, client_for, note, post

pytestmark = pytest.mark.django_db


def _decide(target, action: str):
    report = moderation_actions.flag(
        reporter=UserFactory.create(), kind="expert_note", obj=target, reason="spam"
    )
    return moderation_actions.decide(
        moderator=acting_staff(), case=report.case, action=action,
        reason_code="terms_advertising", explanation="This note advertises a product.",
    )  # fmt: skip


def test_a_member_reports_a_note_from_the_report_page():
    written = note(target=a_review())

    response = client_for(UserFactory.create()).post(
        f"/en/moderation/flag/expert_note/{written.public_id}/",
        {"reason": "spam", "explanation": "An advert."},
    )

    assert response.status_code == 302
    assert Case.objects.filter(kind="expert_note", object_id=written.pk).exists()


@pytest.mark.parametrize(("action", "status"), [("hide", "hidden"), ("remove", "removed")])
def test_a_moderator_hides_or_removes_a_note_with_a_statement_of_reasons(action, status):
    written = note(target=a_review())

    _decide(written, action)

    written.refresh_from_db()
    assert written.status == status
    assert StatementOfReasons.objects.filter(recipient=written.author).exists()


def test_restoring_a_hidden_note_publishes_it_again():
    written = note(target=post())
    _decide(written, "hide")

    moderation_actions.decide(
        moderator=acting_staff(),
        case=moderation_actions.open_case(kind="expert_note", obj=written, source=CaseSource.FLAG),
        action="restore",
        reason_code="terms_advertising",
        explanation="On a second look it is fine.",
    )

    written.refresh_from_db()
    assert written.status == ContentStatus.PUBLISHED
