"""What the data export tells a member about safety records, and what erasure leaves
(decisions/0036)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.exporting import build_export
from patientvoice.safety import actions
from patientvoice.safety.models import FollowUpAttempt, ReporterRef, SafetyMessage, SafetySignal

from .factories import HEADACHE_SV, UserFactory, case_for, officer, post_saying, signal

pytestmark = [pytest.mark.django_db, pytest.mark.urls("patientvoice.safety.tests.urls")]

DAY_ZERO = timezone.now() - timedelta(days=2)


def test_the_export_tells_a_member_a_signal_exists_about_what_they_wrote_and_their_messages():
    author = UserFactory.create()
    post = post_saying(HEADACHE_SV, author=author)
    found = signal(post=post, day_zero=DAY_ZERO)
    person = officer()
    case_for(found, person, narrative="Bedömning: allvarlig?")
    attempt = actions.send_follow_up(officer=person, signal=found, asked_for=["patient"])
    actions.answer_follow_up(
        user=author, message=attempt.message, consent_to_contact=False, answer="54 år."
    )

    section = build_export(author)["safety"]

    [about] = section["signals_about_what_you_wrote"]
    assert about["excerpt"] == HEADACHE_SV
    assert (about["medicine_slug"], about["reaction"], about["case_opened"]) == (
        "sertraline",
        "headache",
        True,
    )
    assert "narrative" not in about
    [message] = section["messages"]
    assert (message["your_answer"], message["consent_to_contact"]) == ("54 år.", False)
    assert build_export(person)["safety"]["as_safety_officer"]["signals_decided"][0][
        "public_id"
    ] == str(found.public_id)


def test_erasure_cuts_the_link_to_the_person_and_keeps_the_records():
    author = UserFactory.create()
    post = post_saying(HEADACHE_SV, author=author)
    found = signal(post=post, day_zero=DAY_ZERO)
    actions.send_follow_up(officer=officer(), signal=found, asked_for=[])
    account_actions.request_erasure(user=author, mode="anonymise")

    account_actions.erase_account(user=author)

    assert not ReporterRef.objects.exists()
    assert not SafetyMessage.objects.exists()
    assert SafetySignal.objects.filter(pk=found.pk, reporter_ref=found.reporter_ref).exists()
    assert FollowUpAttempt.objects.filter(signal=found).exists()
