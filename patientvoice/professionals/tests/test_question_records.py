"""What organisations see of questions for professionals (the median time to a first
answer on their staff page), and the data export and erasure of questions and adviser
roles (decisions/0037)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.exporting import build_export
from patientvoice.accounts.models import ErasureMode, User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.professionals.models import AdviserRole, ProfessionalQuestion
from patientvoice.professionals.question_queries import organisation_answer_stats, wait_text

from .question_factories import (
    adviser,
    answer,
    client_for,
    fresh,
    organisation_with_admin,
    professional,
    question,
)

pytestmark = pytest.mark.django_db


def _answered_after(asked: ProfessionalQuestion, seconds: int) -> None:
    ProfessionalQuestion.objects.filter(pk=asked.pk).update(answer_seconds=seconds)


# --- the organisations' statistics ----------------------------------------------------------


def test_the_median_time_to_a_first_answer_and_the_counts(django_capture_on_commit_callbacks):
    organization, _admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    nurse = professional()
    waits = [600, 3600, 7200, 90000]
    for seconds in waits:
        asked = question(community)
        answer(django_capture_on_commit_callbacks, asked.thread, nurse)
        _answered_after(asked, seconds)
    question(community)
    question()  # another organisation's (none): not counted

    stats = organisation_answer_stats(organization)

    assert (stats.answered, stats.unanswered) == (4, 1)
    assert stats.median_seconds == (3600 + 7200) / 2


def test_questions_older_than_90_days_are_not_counted():
    organization, _admin = organisation_with_admin()
    old = question(CommunityFactory.create(organization=organization))
    ProfessionalQuestion.objects.filter(pk=old.pk).update(
        asked_at=timezone.now() - timedelta(days=91)
    )

    stats = organisation_answer_stats(organization)

    assert stats.asked == 0
    assert stats.median_seconds is None


def test_the_staff_page_shows_the_median_in_words(django_capture_on_commit_callbacks):
    organization, admin = organisation_with_admin()
    asked = question(CommunityFactory.create(organization=organization))
    answer(django_capture_on_commit_callbacks, asked.thread, professional())
    _answered_after(asked, 5 * 3600)

    with translation.override("en"):
        url = reverse("organizations:staff", args=[organization.slug])
        page = client_for(admin, mfa=True).get(url).content.decode()

    assert "Median time to the first answer" in page
    assert "5 hours" in page
    assert "Advisers: verified professionals who advise your communities" in page


def test_wait_text_in_minutes_hours_and_days():
    with translation.override("en"):
        assert wait_text(30) == "1 minute"
        assert wait_text(45 * 60) == "45 minutes"
        assert wait_text(3 * 3600) == "3 hours"
        assert wait_text(5 * 86400) == "5 days"


# --- export ---------------------------------------------------------------------------------


def test_the_export_lists_the_questions_asked_and_the_adviser_roles():
    asker = UserFactory.create()
    asked = question(author=asker, field="pregnancy")
    organization, admin = organisation_with_admin()
    role = adviser(organization, admin, CommunityFactory.create(organization=organization))

    asked_part = build_export(asker)["professional_questions"]
    adviser_part = build_export(role.professional)["professional_questions"]

    [row] = asked_part["questions_asked"]
    assert row["field"] == "pregnancy"
    assert row["thread__public_id"] == str(asked.thread.public_id)
    [role_row] = adviser_part["adviser_roles"]
    assert role_row["status"] == "active"


# --- erasure --------------------------------------------------------------------------------


def _erase(user: User, mode: str) -> None:
    User.objects.filter(pk=user.pk).update(erasure_mode=mode, erasure_requested_at=timezone.now())
    user.refresh_from_db()
    account_actions.erase_account(user=user)


def test_erasing_a_professional_ends_their_roles_and_hands_their_answer_on(
    django_capture_on_commit_callbacks,
):
    asked = question()
    nurse = professional()
    answer(django_capture_on_commit_callbacks, asked.thread, nurse)
    second = answer(django_capture_on_commit_callbacks, asked.thread, professional("pharmacist"))
    organization, admin = organisation_with_admin()
    adviser(organization, admin, CommunityFactory.create(organization=organization), nurse)

    nurse_id = nurse.pk
    _erase(nurse, ErasureMode.ANONYMISE)

    assert not AdviserRole.objects.filter(professional_id=nurse_id).exists()
    assert fresh(asked).first_answer_post == second


def test_removing_everything_takes_the_question_mark_off_the_askers_thread():
    asker = UserFactory.create()
    question(author=asker)

    _erase(asker, ErasureMode.REMOVE)

    assert not ProfessionalQuestion.objects.exists()


def test_anonymising_keeps_the_question_for_the_community():
    asker = UserFactory.create()
    asked = question(author=asker)

    _erase(asker, ErasureMode.ANONYMISE)

    again = fresh(asked)
    assert again.asked_by is None
