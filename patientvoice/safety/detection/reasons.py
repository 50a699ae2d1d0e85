"""Why a detection's confidence is what it is, and how much each reason weighs.

A detection starts at ``BASE``; ``RAISE`` and ``LOWER`` add and take away, then each
reason in ``SCALE`` multiplies (docs/decisions/0035 gives the reasoning).
"""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    """Why a detection's confidence is what it is."""

    CAUSAL_LINK = "causal_link"  # raised: "utslag AV lamotrigin", "Cipralex GÖR att…"
    DECHALLENGE = "dechallenge"  # raised: it went away when the medicine was stopped
    REPORTED_QUESTION = "reported_question"  # "anyone else get…?": the writer has it
    DISTANCE = "distance"  # lowered: medicine in another sentence
    FAR = "far"  # lowered: medicine several sentences away
    AMBIGUOUS_TERM = "ambiguous_term"  # "trött", "yr", "numb": everyday words
    MISSPELT = "misspelt"  # the reaction word is one typo from the lexicon's
    UNSPECIFIED = "unspecified"  # "biverkningar", "side effects": no reaction named
    CLASS_NAME = "class_name"  # "p-piller", "SSRI": a class, not one medicine
    NEGATED = "negated"  # "ingen huvudvärk", "no headaches at all"
    NEGATED_ELSEWHERE = "negated_elsewhere"  # the writer denies this reaction elsewhere
    HYPOTHETICAL = "hypothetical"  # "kan det ge…", "worried about…", from the leaflet
    ASKS_IF_NORMAL = "asks_if_normal"  # "is it normal to…?": often asked by one who has it
    QUESTION = "question"  # "is hair loss common with…?"
    NOT_STARTED = "not_started"  # the writer has not started the medicine
    INDICATION = "indication"  # "Alvedon mot huvudvärk", "helped my anxiety"
    KNOWN_INDICATION = "known_indication"  # the medicine is taken for this reaction
    OTHER_CAUSE = "other_cause"  # "feber pga förkylning", "my afib gives me…"
    MEDICINE_DENIED = "medicine_denied"  # "inte atorvastatinet den här gången"
    PRE_EXISTING = "pre_existing"  # "it was the same before I started"


BASE = 0.8
RAISE = {Reason.CAUSAL_LINK: 0.1, Reason.DECHALLENGE: 0.05, Reason.REPORTED_QUESTION: 0.05}
LOWER = {
    Reason.DISTANCE: 0.1,
    Reason.FAR: 0.1,
    Reason.AMBIGUOUS_TERM: 0.15,
    Reason.MISSPELT: 0.05,
    Reason.UNSPECIFIED: 0.05,
    Reason.CLASS_NAME: 0.05,
}
SCALE = {
    Reason.NEGATED: 0.2,
    Reason.NEGATED_ELSEWHERE: 0.5,
    Reason.HYPOTHETICAL: 0.4,
    Reason.ASKS_IF_NORMAL: 0.7,
    Reason.QUESTION: 0.45,
    Reason.NOT_STARTED: 0.4,
    Reason.INDICATION: 0.35,
    Reason.KNOWN_INDICATION: 0.5,
    Reason.OTHER_CAUSE: 0.4,
    Reason.MEDICINE_DENIED: 0.25,
    Reason.PRE_EXISTING: 0.4,
}
