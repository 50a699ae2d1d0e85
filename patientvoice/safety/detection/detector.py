"""Deciding what the mentions in a post mean: which reaction goes with which medicine,
and how sure we are that the writer reports it as something the medicine did.

Every reaction mention is paired with the medicine mention that is tied to it (a word
like "av", "from", "gave me" between them) or else the nearest one, preferring the
same sentence. Its confidence starts from how closely the two are tied and is lowered
by what the rest of the post says about it; each reason is recorded. See
docs/decisions/0035-side-effect-detector.md for the rules and the figures.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from . import knowledge
from .analysis import Analysis, analyse
from .lexicon import SharedLexicons, shared_lexicons
from .medicines import (
    MedicineIndex,
    MedicineRecord,
    medicine_records_from_csv,
    medicine_records_from_database,
)
from .reasons import BASE, LOWER, RAISE, SCALE, Reason
from .rules import PostFacts, pair, reasons_for
from .text import normalise, quick_words

__all__ = ["Detection", "Detector", "Reason", "default_detector", "detect"]

MAX_TEXT = 200_000  # characters; longer posts are read up to here (bad input, not a crash)


@dataclass(frozen=True, slots=True)
class Detection:
    """A possible adverse reaction: a reaction mention tied to a medicine mention.

    Spans are ``[start, end)`` character offsets into the text as given (Python string
    indices). ``medicine`` is the slug, or ``None`` when the writer named a class
    ("p-piller", "SSRI"); ``medicine_candidates`` lists the slugs the name may mean.
    """

    medicine: str | None
    medicine_candidates: tuple[str, ...]
    reaction: str
    medicine_span: tuple[int, int]
    reaction_span: tuple[int, int]
    confidence: float
    reasons: tuple[Reason, ...]
    always_review: bool  # a concept a safety officer must never miss (README)


class Detector:
    """Compiled lexicons and the rules. Build one per medicine list and reuse it."""

    def __init__(self, medicines: MedicineIndex, shared: SharedLexicons | None = None) -> None:
        self.shared = shared or shared_lexicons()
        self.medicines = medicines

    @classmethod
    def from_records(cls, records: list[MedicineRecord]) -> Detector:
        shared = shared_lexicons()
        return cls(MedicineIndex.build(records, shared=shared), shared)

    @classmethod
    def from_directory_csv(cls) -> Detector:
        """Medicines from ``directory/data/medicines.csv`` (no database needed)."""
        return cls.from_records(medicine_records_from_csv())

    @classmethod
    def from_database(cls) -> Detector:
        """The directory's active medicines."""
        return cls.from_records(medicine_records_from_database())

    def detect(self, text: str, *, language: str | None = None) -> list[Detection]:
        """Possible adverse reactions in ``text``, most confident first."""
        if not text or not text.strip():
            return []
        folded = normalise(text[:MAX_TEXT])
        # Most posts name no medicine or no reaction: a set lookup says so cheaply.
        words = quick_words(folded)
        if not self.medicines.might_name(words) or not self.shared.might_name_reaction(words):
            return []
        analysis = analyse(text[:MAX_TEXT], folded, self.shared, self.medicines, language)
        if not analysis.reactions or not analysis.medicines:
            return []
        return _decide(analysis, self.shared)


def _decide(a: Analysis, shared: SharedLexicons) -> list[Detection]:
    post = PostFacts(a, shared.unspecified_terms)
    best: dict[tuple[tuple[str, ...], str], Detection] = {}
    for reaction in a.reactions:
        if reaction.term.concept in knowledge.NOT_REACTIONS:
            continue
        medicine, linked = pair(a, reaction)
        reasons = reasons_for(a, shared, post, reaction, medicine, linked)
        confidence = BASE
        for reason in reasons:
            confidence += RAISE.get(reason, 0.0) - LOWER.get(reason, 0.0)
        for reason in reasons:
            confidence *= SCALE.get(reason, 1.0)
        slugs = medicine.name.slugs
        detection = Detection(
            medicine=slugs[0] if len(slugs) == 1 else None,
            medicine_candidates=slugs,
            reaction=reaction.term.concept,
            medicine_span=a.tokens.span(medicine.start, medicine.end - 1),
            reaction_span=a.tokens.span(reaction.start, reaction.end - 1),
            confidence=round(min(1.0, max(0.0, confidence)), 2),
            reasons=tuple(reasons),
            always_review=reaction.term.concept in shared.always_review,
        )
        key = (slugs, detection.reaction)
        if key not in best or best[key].confidence < detection.confidence:
            best[key] = detection
    # "Biverkningar" says something happened without naming it (README): next to a
    # named reaction for the same medicine it adds nothing.
    named = {slugs for slugs, concept in best if concept not in knowledge.UNSPECIFIED}
    found = [
        d
        for (slugs, concept), d in best.items()
        if concept not in knowledge.UNSPECIFIED or slugs not in named
    ]
    return sorted(found, key=lambda d: (-d.confidence, d.reaction_span))


_default: Detector | None = None
_default_stamp: tuple[object, ...] | None = None
_checked_at = 0.0
_default_lock = threading.Lock()
# How often a process asks whether the directory's medicines changed (one small
# aggregate query): an import, an edit in the admin or a new medicine reaches every
# worker within this many seconds, without anyone having to tell them.
RECHECK_SECONDS = 60.0


def _medicines_stamp() -> tuple[object, ...]:
    from django.db.models import Count, Max

    from patientvoice.directory.models import Medicine

    found = Medicine.objects.aggregate(count=Count("pk"), changed=Max("updated_at"))
    return (found["count"], found["changed"])


def default_detector() -> Detector:
    """The detector over the directory's active medicines, built on first use and
    built again when the medicines have changed (checked every ``RECHECK_SECONDS``)."""
    global _default, _default_stamp, _checked_at
    now = time.monotonic()
    if _default is not None and now - _checked_at < RECHECK_SECONDS:
        return _default
    with _default_lock:
        if _default is None or now - _checked_at >= RECHECK_SECONDS:
            stamp = _medicines_stamp()
            if _default is None or stamp != _default_stamp:
                _default = Detector.from_database()
                _default_stamp = stamp
            _checked_at = now
        return _default


def reset_default_detector(detector: Detector | None = None) -> None:
    """Forget the default detector (the next use builds it afresh), or set one."""
    global _default, _default_stamp, _checked_at
    with _default_lock:
        _default = detector
        _default_stamp = None
        # A detector set by hand (tests) is used as it is until the next check.
        _checked_at = time.monotonic() if detector is not None else 0.0


def detect(text: str, *, language: str | None = None) -> list[Detection]:
    """Possible adverse reactions in ``text`` (see :meth:`Detector.detect`)."""
    return default_detector().detect(text, language=language)
