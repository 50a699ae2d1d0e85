"""The detector's shared lexicons, read from the data files once and compiled into tries.

A trie is a nest of dicts keyed by token text (``text.term_tokens``); the key ``""``
(never a token) holds what ends there. Reactions and cues are read from
``safety/data/`` once per process (:func:`shared_lexicons`, thread-safe). Medicines
come from the directory (``medicines.py``). Also the spelling helpers both use: one
typo away, and bounded caches of word lookups.
"""

from __future__ import annotations

import csv
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import knowledge
from .indications import indications_by_medicine
from .text import term_tokens

DATA = Path(__file__).resolve().parents[1] / "data"
DIRECTORY_DATA = Path(__file__).resolve().parents[2] / "directory" / "data"
CONDITIONS_CSV = DIRECTORY_DATA / "conditions.csv"
END = ""  # the trie key of what ends at a node
_CAUSE_ENDINGS = frozenset(("", "en", "et", "n", "t", "na", "ar", "er", "erna", "arna"))

FUZZY_MIN = 8  # words this long are also found with one typo
_AMBIGUOUS_NOTE = re.compile(r"\bkept\b|keep only|match next to|short acronym|is not this")

Trie = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ReactionTerm:
    concept: str
    language: str
    term: str
    kind: str
    ambiguous: bool
    size: int  # tokens


@dataclass(frozen=True, slots=True)
class Cue:
    family: str  # negation, hypothetical, indication, not_started, pre_existing, exoneration
    kind: str  # the family's own kind, or pseudo, or terminator
    scope: str  # before or after
    language: str
    text: str
    size: int
    whole_post: bool = False  # "inga biverkningar" governs every reaction after it
    soft: bool = False  # "är det normalt att…": often asked by someone who has it


def insert(trie: Trie, tokens: Iterable[str], payload: object) -> None:
    node = trie
    for token in tokens:
        node = node.setdefault(token, {})
    node.setdefault(END, []).append(payload)


def lookup(trie: Trie, tokens: Iterable[str]) -> list[Any]:
    node: Trie | None = trie
    for token in tokens:
        node = node.get(token) if node is not None else None
    return list(node.get(END, ())) if node is not None else []


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class SharedLexicons:
    """Reactions, cues and causes: the same for every medicine list."""

    reactions: Trie = field(default_factory=dict)
    reaction_terms: set[tuple[str, ...]] = field(default_factory=set)
    always_review: frozenset[str] = frozenset()
    cues: Trie = field(default_factory=dict)
    causes: Trie = field(default_factory=dict)
    cause_prefixes: dict[str, list[str]] = field(default_factory=dict)
    cause_heads: tuple[str, ...] = ()
    indications: dict[str, frozenset[str]] = field(default_factory=dict)
    unspecified_terms: frozenset[tuple[str, ...]] = frozenset()  # ("side", "effects"), …
    # Long one-word terms by each of their one-letter deletions, for misspellings the
    # lexicon does not list ("diarhoea", "dizzyness").
    fuzzy_reactions: dict[str, list[str]] = field(default_factory=dict)

    reaction_keys: frozenset[str] = frozenset()
    _misspelt: dict[str, str | None] = field(default_factory=dict)
    _cause_words: dict[str, bool] = field(default_factory=dict)

    def misspelt_reaction(self, word: str) -> str | None:
        """The lexicon word ``word`` is one typo away from, if it is long enough."""
        if len(word) < FUZZY_MIN or not word.isalpha():
            return None
        try:
            return self._misspelt[word]
        except KeyError:
            found = nearest(word, self.fuzzy_reactions, same_length=False)
            remember(self._misspelt, word, found)
            return found

    def might_name_reaction(self, words: set[str]) -> bool:
        """Whether ``words`` (of a post) could hold a reaction term: each term has a key
        word, its longest, without which it cannot match (a cheap first look)."""
        if not self.reaction_keys.isdisjoint(words):
            return True
        return any(
            (len(w) > 4 and w.startswith(knowledge.GLUED_INTENSIFIERS))
            or (len(w) >= FUZZY_MIN and self.misspelt_reaction(w) is not None)
            for w in words
        )

    def cause_at(self, words: list[str], i: int) -> int:
        """The end (exclusive) of a cause named at ``words[i]``, or -1: a condition
        ("influensan", "MS:en", "crohn's flares"), or an everyday cause ("maten",
        "nattpasset", "a 12 hour flight")."""
        word = words[i]
        node = self.causes.get(word)
        end = -1
        j = i
        while node is not None:
            j += 1
            if END in node:
                end = j
            node = node.get(words[j]) if j < len(words) else None
        if end > 0:
            return end
        try:
            known = self._cause_words[word]
        except KeyError:
            known = self._is_cause_word(word)
            remember(self._cause_words, word, known)
        return i + 1 if known else -1

    def _is_cause_word(self, word: str) -> bool:
        for prefix in self.cause_prefixes.get(word[:3], ()):
            if word.startswith(prefix):
                return True
        for head in self.cause_heads:
            if head in word:
                at = word.rindex(head)
                # The head word with an ending ("maten"), or ending a compound of
                # at least three more letters ("thaimaten"); short heads only alone.
                if word[at + len(head) :] in _CAUSE_ENDINGS and (
                    at == 0 or (at >= 3 and len(head) >= 3)
                ):
                    return True
        return False


def load_shared(data: Path = DATA, conditions: Path = CONDITIONS_CSV) -> SharedLexicons:
    shared = SharedLexicons(indications=indications_by_medicine())
    always_review: set[str] = set()
    keys: set[str] = set()
    for row in read_rows(data / "reactions.csv"):
        tokens = term_tokens(row["term"])
        if not tokens:
            continue
        note = row["note"]
        if "always review" in note:
            always_review.add(row["concept"])
        term = ReactionTerm(
            concept=row["concept"],
            language=row["language"],
            term=row["term"],
            kind=row["kind"],
            ambiguous=bool(_AMBIGUOUS_NOTE.search(note)),
            size=len(tokens),
        )
        shared.reaction_terms.add(tokens)
        for variant in _number_variants(tokens):
            insert(shared.reactions, variant, term)
            keys.update(_key_forms(variant))
    shared.always_review = frozenset(always_review)
    unspecified = {t for t in shared.reaction_terms if _is_unspecified(shared.reactions, t)}
    shared.unspecified_terms = frozenset(unspecified)
    shared.reaction_keys = frozenset(keys)
    for tokens in shared.reaction_terms:
        if len(tokens) == 1 and len(tokens[0]) >= FUZZY_MIN and tokens[0].isalpha():
            add_fuzzy(shared.fuzzy_reactions, tokens[0])
    for name, family in (
        ("negations.csv", "negation"),
        ("hypotheticals.csv", "hypothetical"),
        ("indications.csv", "indication"),
    ):
        for row in read_rows(data / name):
            kind = row["kind"]
            if "has not started the medicine" in row["note"]:
                family_here, kind = "not_started", "not_started"
            else:
                family_here = family
            soft = "often asked by someone who has it" in row["note"]
            _add_cue(
                shared.cues,
                family_here,
                kind,
                row["scope"],
                row["language"],
                row["cue"],
                unspecified,
                soft=soft,
            )
    for family, language, cue, kind, scope in knowledge.EXTRA_CUES:
        _add_cue(shared.cues, family, kind, scope, language, cue, unspecified)
    _load_causes(shared, conditions)
    return shared


def _key_forms(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The word a post must hold for ``tokens`` to match it: the longest, also with a
    plural "s" where the matcher allows one (not on a term's first word)."""
    words = [t for t in tokens if not t.startswith("<")]  # not "<num>", "<unit>"
    key = max(words, key=len)
    return (key,) if key == tokens[0] else (key, key + "s")


def _number_variants(tokens: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """The term, and for a weight phrase its form with a number and a unit in place of
    the word weight: "gick upp i vikt" → "gick upp 12 kg", "gained weight" → "gained 30
    lbs" (README: a number-and-unit pattern is the detector's job)."""
    yield tokens
    if len(tokens) >= 3 and tokens[-2:] == ("i", "vikt"):
        yield (*tokens[:-2], "<num>", "<unit>")
    elif len(tokens) >= 2 and tokens[-1] == "weight":
        yield (*tokens[:-1], "<num>", "<unit>")


def _is_unspecified(reactions: Trie, tokens: tuple[str, ...]) -> bool:
    return any(t.concept in knowledge.UNSPECIFIED for t in lookup(reactions, tokens))


def _add_cue(
    trie: Trie,
    family: str,
    kind: str,
    scope: str,
    language: str,
    text: str,
    unspecified: set[tuple[str, ...]],
    *,
    soft: bool = False,
) -> None:
    tokens = term_tokens(text)
    if not tokens:  # "?" is the question rule's business
        return
    # "inga biverkningar", "no side effects": the writer speaks for the whole post.
    whole_post = (
        family == "negation"
        and kind == "negation"
        and any(
            tokens[i : i + len(part)] == part for part in unspecified for i in range(len(tokens))
        )
    )
    cue = Cue(family, kind, scope, language, text, len(tokens), whole_post, soft)
    for variant in _medicine_variants(tokens):
        insert(trie, variant, cue)


def _medicine_variants(tokens: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """A cue, and its forms with a medicine in it: "kan det ge" also matches "kan
    Sertralin ge", "can it cause" also "can humira cause" (``<med>`` stands for a
    medicine mention)."""
    yield tokens
    standins = knowledge.STANDINS
    if any(t in standins for t in tokens):
        yield tuple("<med>" if t in standins else t for t in tokens)
    if (
        len(tokens) >= 2
        and tokens[0] in knowledge.MODALS
        and not any(t in standins for t in tokens)
    ):
        yield (tokens[0], "<med>", *tokens[1:])


def _load_causes(shared: SharedLexicons, conditions: Path) -> None:
    """Conditions from the directory's starter list and everyday causes: what a writer
    blames instead of a medicine ("influensan gav mig feber", "fever from a cold")."""
    names: set[str] = {"afib", "diabetes"}
    if conditions.exists():
        for row in read_rows(conditions):
            for column in ["name_sv", "name_en", "synonyms_sv", "synonyms_en"]:
                names.update(n.strip() for n in row.get(column, "").split("|") if n.strip())
    prefixes: set[str] = set()
    heads = {t for n in knowledge.EVERYDAY_CAUSES_SV for t in term_tokens(n)}
    for name in names:
        tokens = term_tokens(name)
        if not tokens or tokens[0] in knowledge.NOT_CAUSES:
            continue
        if len(tokens) > 1:
            insert(shared.causes, tokens, name)
            continue
        word = tokens[0]
        if len(word) <= 2 and word not in {"ra", "ms"}:
            continue
        # Definite forms change the end of long words ("förmaksflimmer" →
        # "förmaksflimret", "hypotyreos" → "hypotyreosen"): match on the stem.
        prefixes.add(word[:-3] if len(word) >= 8 else word)
        if len(word) >= 6:
            heads.add(word)  # Swedish compounds end in it: "diabetesneuropatin"
    for word in knowledge.EVERYDAY_CAUSES_EN:
        for tokens in [term_tokens(word)]:
            insert(shared.causes, tokens, word)
            insert(shared.causes, (*tokens[:-1], tokens[-1] + "s"), word)
    for prefix in prefixes:
        shared.cause_prefixes.setdefault(prefix[:3], []).append(prefix)
    shared.cause_heads = tuple(sorted(heads))


_shared: SharedLexicons | None = None
_shared_lock = threading.Lock()


def shared_lexicons() -> SharedLexicons:
    """The reactions and cues, read once per process."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = load_shared()
    return _shared


CACHE_SIZE = 100_000


def remember(cache: dict[str, Any], key: str, value: object) -> None:
    """Remember a lookup; start over when the cache is full (words repeat a lot)."""
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = value


def deletions(word: str) -> Iterator[str]:
    for i in range(len(word)):
        yield word[:i] + word[i + 1 :]


def add_fuzzy(index: dict[str, list[str]], word: str) -> None:
    for key in (word, *deletions(word)):
        index.setdefault(key, []).append(word)


def one_typo(a: str, b: str) -> bool:
    """One letter changed, added, dropped, or two neighbours swapped."""
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if abs(len(a) - len(b)) != 1:
        return False
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def nearest(word: str, index: dict[str, list[str]], *, same_length: bool) -> str | None:
    for key in (word, *deletions(word)):
        for candidate in index.get(key, ()):
            if candidate[0] != word[0] or (same_length and len(candidate) != len(word)):
                continue
            if one_typo(word, candidate):
                return candidate
    return None
