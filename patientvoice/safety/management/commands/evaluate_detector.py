"""``manage.py evaluate_detector``: precision, recall and F1 of the side-effect detector
on the labelled corpus (``safety/data/evaluation.jsonl``), overall, per language, per
half of the corpus (odd and even ids) and per category, and how often the detected
spans overlap the labelled ones. ``--verbose`` lists the misses and false alarms.

A text counts as detected when the detector returns a detection with a confidence at
or above ``--threshold`` (default 0.5). Medicines come from the directory's starter
file (``directory/data/medicines.csv``), which the corpus is labelled against, or
with ``--database`` from the directory's active medicines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from patientvoice.safety.detection import Detector
from patientvoice.safety.detection.evaluation import (
    CORPUS,
    THRESHOLD,
    Outcome,
    Score,
    evaluate,
    load_corpus,
)

GOAL_RECALL = 0.9
GOAL_PRECISION = 0.7


class Command(BaseCommand):
    help = (
        "Measure the side-effect detector on the labelled corpus: precision, recall and "
        "F1 overall, per language, per half and per category; --verbose lists the "
        "misses and false alarms."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--threshold",
            type=float,
            default=THRESHOLD,
            help=f"confidence from which a text counts as detected (default {THRESHOLD})",
        )
        parser.add_argument(
            "--verbose", action="store_true", help="list the misses and false alarms"
        )
        parser.add_argument(
            "--corpus", default=str(CORPUS), help="a corpus in the same JSON-lines format"
        )
        parser.add_argument(
            "--database",
            action="store_true",
            help="use the directory's active medicines instead of medicines.csv",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        threshold = options["threshold"]
        if not 0 <= threshold <= 1:
            raise CommandError("--threshold must be between 0 and 1.")
        path = Path(options["corpus"])
        try:
            examples = load_corpus(path)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"{path}: cannot read the corpus ({exc})") from exc
        detector = (
            Detector.from_database() if options["database"] else Detector.from_directory_csv()
        )
        report = evaluate(detector, examples, threshold=threshold)

        write = self.stdout.write
        write(f"{len(examples)} texts, threshold {threshold:.2f}")
        write(f"{'':22} {'precision':>9} {'recall':>7} {'F1':>6} {'TP':>4} {'FP':>4} {'FN':>4}")
        write(_line("overall", report.overall))
        for name, score in sorted(report.by_language.items()):
            write(_line(f"language {name}", score))
        for name, score in sorted(report.by_half.items()):
            write(_line(f"half {name}", score))
        for name, score in sorted(report.by_category.items()):
            write(_line(name, score))
        write(f"span match rate (true positives): {report.span_match_rate:.3f}")
        met = report.overall.recall >= GOAL_RECALL and report.overall.precision >= GOAL_PRECISION
        write(
            f"goal recall >= {GOAL_RECALL} at precision >= {GOAL_PRECISION}: "
            + ("met" if met else "NOT met")
        )
        if options["verbose"]:
            write(f"\nMisses ({len(report.misses)}):")
            for outcome in report.misses:
                write(_outcome(outcome))
            write(f"\nFalse alarms ({len(report.false_alarms)}):")
            for outcome in report.false_alarms:
                write(_outcome(outcome))


def _line(name: str, score: Score) -> str:
    return (
        f"{name:22} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f} "
        f"{score.tp:>4} {score.fp:>4} {score.fn:>4}"
    )


def _outcome(outcome: Outcome) -> str:
    example, best = outcome.example, outcome.best
    found = "nothing found"
    if best is not None:
        reasons = ", ".join(best.reasons) or "no reasons"
        found = f"{best.reaction} + {best.medicine or '/'.join(best.medicine_candidates)} "
        found += f"{best.confidence:.2f} ({reasons})"
    return f"  {example.id} [{example.category}] {example.text!r}\n      {found}"
