"""What a member writes besides a body is screened too (decisions/0036): a campaign
picture's title and alt text, a story's title; a picture may have no body at all."""

from __future__ import annotations

from typing import Any

import pytest

from patientvoice.campaigns.models import SubmissionKind
from patientvoice.campaigns.tests.factories import make_campaign, submit

from .factories import signals_of

pytestmark = pytest.mark.django_db


def test_a_side_effect_named_only_in_a_pictures_title_opens_a_signal(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(
            make_campaign(),
            kind=SubmissionKind.IMAGE,
            title="Sertralin gav mig fruktansvärd huvudvärk",
            text="",
        )

    [found] = signals_of(submission)
    assert (found.medicine_slug, found.reaction) == ("sertraline", "headache")


def test_a_side_effect_named_only_in_the_alt_text_opens_a_signal(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(
            make_campaign(),
            kind=SubmissionKind.IMAGE,
            title="Min vardag",
            text="",
            alt_text="Jag i sängen: Sertralin gav mig fruktansvärd huvudvärk",
        )

    assert [s.reaction for s in signals_of(submission)] == ["headache"]


def test_a_picture_with_harmless_words_opens_none(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(make_campaign(), kind=SubmissionKind.IMAGE, title="Min vardag", text="")

    assert signals_of(submission) == []
