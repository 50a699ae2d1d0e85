"""Measuring the detector on the labelled corpus (``safety/data/evaluation.jsonl``).

A text counts as detected when the detector returns a detection at or above the
threshold. Precision, recall and F1 of the ``adr`` label, overall, per language, per
category and per half of the corpus (odd and even ids: a check that rules were not
tuned to one half); for detected true positives, how often the reaction and medicine
spans overlap the labelled ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .detector import Detection, Detector
from .lexicon import DATA

CORPUS = DATA / "evaluation.jsonl"
THRESHOLD = 0.5


@dataclass(frozen=True)
class Example:
    id: str
    language: str
    text: str
    adr: bool
    category: str
    medicine_span: tuple[int, int] | None
    reaction_span: tuple[int, int] | None


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, label: bool, flagged: bool) -> None:
        if label and flagged:
            self.tp += 1
        elif flagged:
            self.fp += 1
        elif label:
            self.fn += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


@dataclass
class Outcome:
    example: Example
    flagged: bool
    best: Detection | None


@dataclass
class Report:
    threshold: float
    overall: Score = field(default_factory=Score)
    by_language: dict[str, Score] = field(default_factory=dict)
    by_category: dict[str, Score] = field(default_factory=dict)
    by_half: dict[str, Score] = field(default_factory=dict)
    span_matches: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def span_match_rate(self) -> float:
        return self.span_matches / self.overall.tp if self.overall.tp else 1.0

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.example.adr and not o.flagged]

    @property
    def false_alarms(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.flagged and not o.example.adr]


def load_corpus(path: Path = CORPUS) -> list[Example]:
    examples = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            examples.append(
                Example(
                    id=row["id"],
                    language=row["language"],
                    text=row["text"],
                    adr=bool(row["adr"]),
                    category=row["category"],
                    medicine_span=tuple(row["medicine_span"]) if row["medicine_span"] else None,
                    reaction_span=tuple(row["reaction_span"]) if row["reaction_span"] else None,
                )
            )
    return examples


def _overlaps(a: tuple[int, int] | None, b: tuple[int, int]) -> bool:
    return a is not None and a[0] < b[1] and b[0] < a[1]


def half(example_id: str) -> str:
    """``odd`` or ``even``, by the number in the id."""
    digits = "".join(c for c in example_id.rsplit("-", 1)[-1] if c.isdigit())
    return "odd" if int(digits or 0) % 2 else "even"


def evaluate(
    detector: Detector, examples: Iterable[Example], *, threshold: float = THRESHOLD
) -> Report:
    report = Report(threshold=threshold)
    for example in examples:
        detections = detector.detect(example.text, language=example.language)
        flagged_ones = [d for d in detections if d.confidence >= threshold]
        flagged = bool(flagged_ones)
        best = detections[0] if detections else None
        report.outcomes.append(Outcome(example, flagged, best))
        for score in (
            report.overall,
            report.by_language.setdefault(example.language, Score()),
            report.by_category.setdefault(example.category, Score()),
            report.by_half.setdefault(half(example.id), Score()),
        ):
            score.add(example.adr, flagged)
        if example.adr and any(
            _overlaps(example.reaction_span, d.reaction_span)
            and _overlaps(example.medicine_span, d.medicine_span)
            for d in flagged_ones
        ):
            report.span_matches += 1
    return report
