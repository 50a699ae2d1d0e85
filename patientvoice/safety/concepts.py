"""Names of the reaction concepts in the page's language, from the detector's lexicon
(``safety/data/reactions.csv``: the first lemma of each concept in each language).

The lexicon is data, not a message catalogue: its words are the ones patients use,
written for this project in Swedish and English. A concept with no lemma in a
language is shown by its id, humanised ("hair_loss" -> "Hair loss").
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

REACTIONS_CSV = Path(__file__).resolve().parent / "data" / "reactions.csv"
UNSPECIFIED = "adverse_reaction_unspecified"


@cache
def _lemmas() -> dict[tuple[str, str], str]:
    names: dict[tuple[str, str], str] = {}
    if not REACTIONS_CSV.exists():
        return names
    with REACTIONS_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("kind") == "lemma":
                names.setdefault((row["concept"], row["language"]), row["term"])
    return names


@cache
def known_concepts() -> frozenset[str]:
    return frozenset(concept for concept, _ in _lemmas())


def humanise(concept: str) -> str:
    words = concept.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def reaction_label(concept: str, language: str | None) -> str:
    """``concept`` as a reader of ``language`` calls it ("Huvudvärk", "Headache")."""
    if not concept:
        return ""
    lang = "en" if (language or "").lower().startswith("en") else "sv"
    term = _lemmas().get((concept, lang))
    return humanise(term) if term else humanise(concept)


def reaction_choices(language: str | None) -> list[tuple[str, str]]:
    """Every concept, by its name in ``language``, for the case form."""
    return sorted(
        ((c, reaction_label(c, language)) for c in known_concepts()),
        key=lambda pair: pair[1].casefold(),
    )
