"""The detector measured on the labelled corpus: the issue's goal is recall >= 0.9 at
precision >= 0.7. These tests compute the figures; a change that drops them fails."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from patientvoice.safety.detection import Detector
from patientvoice.safety.detection.evaluation import Report, evaluate, load_corpus
from patientvoice.safety.management.commands.evaluate_detector import Command

HELD_OUT = Path(__file__).with_name("heldout.jsonl")


@pytest.fixture(scope="module")
def report() -> Report:
    return evaluate(Detector.from_directory_csv(), load_corpus())


def test_the_corpus_meets_the_goal(report):
    assert report.overall.total >= 300
    assert report.overall.recall >= 0.9
    assert report.overall.precision >= 0.7


@pytest.mark.parametrize("language", ["sv", "en"])
def test_each_language_meets_the_goal(report, language):
    score = report.by_language[language]

    assert score.recall >= 0.9
    assert score.precision >= 0.7


@pytest.mark.parametrize("half", ["odd", "even"])
def test_each_half_of_the_corpus_meets_the_goal(report, half):
    score = report.by_half[half]

    assert score.recall >= 0.9
    assert score.precision >= 0.7


def test_detected_spans_overlap_the_labelled_ones(report):
    assert report.span_match_rate >= 0.9


def test_posts_written_apart_from_the_corpus_stay_close_to_the_goal():
    # Posts written for this test, not used to write the rules at first (the decision
    # record gives the figures from before they were looked at). The lexicon was not
    # written with them, so some words are missing: the bar is lower.
    held_out = evaluate(Detector.from_directory_csv(), load_corpus(HELD_OUT))

    assert held_out.overall.recall >= 0.8
    assert held_out.overall.precision >= 0.8


def test_the_command_prints_the_figures_and_lists_the_mistakes():
    out = io.StringIO()

    call_command(Command(), verbose=True, corpus=str(HELD_OUT), stdout=out)

    printed = out.getvalue()
    assert "overall" in printed
    assert "language sv" in printed
    assert "half odd" in printed
    assert "span match rate" in printed
    assert "Misses (" in printed
    assert "False alarms (" in printed


def test_the_command_refuses_a_threshold_outside_zero_to_one():
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command(Command(), threshold=1.5, stdout=io.StringIO())


def test_the_command_says_when_the_corpus_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match="cannot read the corpus"):
        call_command(Command(), corpus=str(tmp_path / "missing.jsonl"), stdout=io.StringIO())
