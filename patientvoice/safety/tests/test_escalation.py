"""Reminders to the safety officers before a case's deadline (decisions/0036)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.utils import timezone

from patientvoice.safety import actions
from patientvoice.safety.models import CaseEscalation

from .factories import UserFactory, case_for, officer, signal

pytestmark = [pytest.mark.django_db, pytest.mark.urls("patientvoice.safety.tests.urls")]


def a_case_due_in(days: float, *, by=None, serious: bool = False):
    """An open case whose deadline is ``days`` from now."""
    length = 15 if serious else 90
    day_zero = timezone.now() - timedelta(days=length) + timedelta(days=days)
    return case_for(signal(day_zero=day_zero), by or officer(), hospitalisation=serious)


def test_officers_are_reminded_once_at_each_configured_day(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PV_SAFETY_ESCALATE_DAYS = "7,3,1"
    first, second = officer(preferred_language="en"), officer()
    case = a_case_due_in(6.5, by=first)

    with django_capture_on_commit_callbacks(execute=True):
        assert actions.escalate_due_cases() == 1
        assert actions.escalate_due_cases() == 0

    assert sorted(m.to[0] for m in mailoutbox) == sorted([first.email, second.email])
    english = next(m for m in mailoutbox if m.to == [first.email])
    assert case.reference in english.body
    assert "due in 6 days" in english.body
    assert "headache" not in english.body.lower()

    later = timezone.now() + timedelta(days=4)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.escalate_due_cases(now=later) == 1
        assert actions.escalate_due_cases(now=later) == 0
    assert len(mailoutbox) == 4
    assert sorted(CaseEscalation.objects.values_list("days_before", flat=True)) == [3, 7]


def test_a_case_found_late_gets_one_reminder_for_the_nearest_day(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PV_SAFETY_ESCALATE_DAYS = "7,3,1"
    person = officer()
    a_case_due_in(2, by=person, serious=True)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("escalate_safety_cases", verbosity=0)

    assert len(mailoutbox) == 1
    assert sorted(CaseEscalation.objects.values_list("days_before", flat=True)) == [3, 7]


def test_closed_cases_and_far_deadlines_are_not_reminded(settings, mailoutbox):
    settings.PV_SAFETY_ESCALATE_DAYS = "7"
    person = officer()
    a_case_due_in(30, by=person)
    closing = a_case_due_in(1, by=person)
    actions.close_case(officer=person, case=closing, reason="Rapporterad.")

    assert actions.escalate_due_cases() == 0
    assert mailoutbox == []


def test_members_and_officers_without_a_second_factor_are_not_told(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PV_SAFETY_ESCALATE_DAYS = "7"
    UserFactory.create()
    person = officer()
    a_case_due_in(1, by=person)
    Authenticator.objects.filter(user=person).delete()

    with django_capture_on_commit_callbacks(execute=True):
        assert actions.escalate_due_cases() == 1

    assert mailoutbox == []


def test_the_days_setting_ignores_what_is_not_a_number_of_days(settings):
    settings.PV_SAFETY_ESCALATE_DAYS = "1, 7,x,3,,400,7"

    assert actions.escalation_days() == [7, 3, 1]
