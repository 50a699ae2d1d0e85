"""Finding the mentions in a post: reactions, medicines, cues, and the clauses they
sit in. The detector (``detector.py``) decides what the mentions mean.

Order matters (README, "Longest match wins"): reactions are matched first, longest
first; a medicine name that is also read as a reaction is dropped; a cue inside a
reaction phrase ("kan inte sova", "no appetite") is dropped, and a reaction inside a
longer cue ("orolig för", "inga biverkningar") is the cue's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate

from . import knowledge
from .lexicon import END, FUZZY_MIN, Cue, ReactionTerm, SharedLexicons, Trie
from .medicines import MedicineIndex, MedicineName
from .text import CLAUSE, NUMBER, SENTENCE, WORD, Tokens, guess_language, tokenise

MAX_SKIPS = 2  # pronouns and intensifiers in a row inside a reaction phrase


@dataclass(slots=True)
class Reaction:
    start: int  # token indices, end exclusive
    end: int
    term: ReactionTerm
    misspelt: bool = False  # found one typo away from a lexicon word


@dataclass(slots=True)
class Medicine:
    start: int
    end: int
    name: MedicineName


@dataclass(slots=True)
class CueMention:
    start: int
    end: int
    cue: Cue


@dataclass
class Analysis:
    text: str  # as written
    tokens: Tokens
    words: list[str]  # folded token texts
    kinds: list[int]  # text.WORD, NUMBER, CLAUSE, SENTENCE, QUESTION
    language: str
    sentence: list[int]  # sentence number of each token
    clause: list[int]  # clause number of each token (clauses end at , ; : and sentences)
    # Running counts, so "how many words between i and j" costs two lookups: words
    # that are not fillers, and clause ends, before each token.
    counted: list[int]
    boundaries: list[int]
    reactions: list[Reaction] = field(default_factory=list)
    medicines: list[Medicine] = field(default_factory=list)
    cues: list[CueMention] = field(default_factory=list)
    medicine_at: dict[int, Medicine] = field(default_factory=dict)  # by start token
    medicine_starts: list[int] = field(default_factory=list)

    def clause_end_kind(self, index: int) -> int:
        """The punctuation that ends the clause holding token ``index``."""
        kinds = self.kinds
        for k in range(index, len(kinds)):
            if kinds[k] >= CLAUSE:
                return kinds[k]
        return SENTENCE

    def clause_start(self, index: int) -> int:
        clause = self.clause[index]
        while index > 0 and self.clause[index - 1] == clause:
            index -= 1
        return index


def analyse(
    text: str,
    folded: str,
    shared: SharedLexicons,
    medicines: MedicineIndex,
    language: str | None,
) -> Analysis:
    """The mentions in a post ``text``, given also its normalised form
    (``text.normalise``)."""
    tokens = tokenise(folded, folded=folded)
    words, kinds = tokens.words, tokens.kinds
    # Running counts, in C (itertools.accumulate) rather than a Python loop.
    fillers = knowledge.FILLERS
    clause_ends = list(accumulate([k >= CLAUSE for k in kinds], initial=0))
    sentence_ends = list(accumulate([k >= SENTENCE for k in kinds], initial=0))
    counted = list(
        accumulate(
            [k < CLAUSE and w not in fillers for w, k in zip(words, kinds, strict=True)], initial=0
        )
    )
    clause = clause_ends[:-1]
    sentence = sentence_ends[:-1]
    boundaries = clause_ends
    analysis = Analysis(
        text=text,
        tokens=tokens,
        words=words,
        kinds=kinds,
        language=language if language in ("sv", "en") else guess_language(words),
        sentence=sentence,
        clause=clause,
        counted=counted,
        boundaries=boundaries,
    )
    analysis.reactions = _reactions(analysis, shared)
    analysis.medicines = _medicines(analysis, medicines)
    analysis.medicine_at = {m.start: m for m in analysis.medicines}
    analysis.medicine_starts = [m.start for m in analysis.medicines]
    analysis.cues = _cues(analysis, shared.cues)
    return analysis


def _walk(
    trie: Trie, kinds: list[int], words: list[str], i: int, first: Trie
) -> tuple[int, list[object]]:
    """The longest term starting at token ``i`` whose first token led to ``first``:
    (end, payloads), or (-1, [])."""
    node = first
    best_end, best = (i + 1, node[END]) if END in node else (-1, [])
    j, skipped, n = i + 1, 0, len(words)
    while j < n and node:
        word = words[j]
        child = node.get(word)
        if child is None and len(word) > 3 and word[-1] == "s":
            child = node.get(word[:-1])  # "stomach aches" for "stomach ache"
        if child is None:
            kind = kinds[j]
            if kind == NUMBER or word in knowledge.NUMBER_WORDS:
                child = node.get("<num>")
            elif word in knowledge.WEIGHT_UNITS:
                child = node.get("<unit>")
            if child is None:
                if word in knowledge.PHRASE_SKIP and skipped < MAX_SKIPS and kind == WORD:
                    j += 1
                    skipped += 1
                    continue
                break
        node = child
        j += 1
        skipped = 0
        if END in node:
            best_end, best = j, node[END]
    return best_end, best


def _reactions(analysis: Analysis, shared: SharedLexicons) -> list[Reaction]:
    trie = shared.reactions
    kinds, words = analysis.kinds, analysis.words
    # Where a term can start, found word by distinct word rather than token by token:
    # the first word of a term, with a glued intensifier ("jätteyr"), or one typo off.
    starts: dict[str, tuple[Trie, bool]] = {}
    for word in set(words):
        first = trie.get(word)
        misspelt = False
        if first is None and len(word) > 4 and word.startswith(knowledge.GLUED_INTENSIFIERS):
            for prefix in knowledge.GLUED_INTENSIFIERS:
                if word.startswith(prefix):
                    first = trie.get(word[len(prefix) :])
                    break
        if first is None and len(word) >= FUZZY_MIN:
            near = shared.misspelt_reaction(word)
            first = trie.get(near) if near else None
            misspelt = first is not None
        if first is not None:
            starts[word] = (first, misspelt)
    found: list[tuple[int, int, list[object], bool]] = []
    for i in [i for i, word in enumerate(words) if word in starts]:
        if kinds[i] != WORD:
            continue
        first, misspelt = starts[words[i]]
        end, terms = _walk(trie, kinds, words, i, first)
        if end > 0:
            found.append((i, end, terms, misspelt))
    chosen: list[Reaction] = []
    taken: set[int] = set()
    # Longest first, then leftmost: "svullna läppar" (angioedema) over "svullna".
    for start, end, terms, misspelt in sorted(found, key=lambda f: (f[0] - f[1], f[0])):
        if any(k in taken for k in range(start, end)):
            continue
        term = _choose(terms, analysis.language)
        if term is None:
            continue
        taken.update(range(start, end))
        chosen.append(Reaction(start, end, term, misspelt))
    chosen.sort(key=lambda r: r.start)
    return chosen


def _choose(terms: list[object], language: str) -> ReactionTerm | None:
    """The term in the post's language if there is one. An ambiguous word of the other
    language is not read at all: English "dog" is not Swedish "dog" (died)."""
    fallback: ReactionTerm | None = None
    for term in terms:
        assert isinstance(term, ReactionTerm)
        if term.language == language:
            return term
        if not term.ambiguous and fallback is None:
            fallback = term
    return fallback


def _medicines(analysis: Analysis, index: MedicineIndex) -> list[Medicine]:
    in_reaction: set[int] = set()
    for reaction in analysis.reactions:
        in_reaction.update(range(reaction.start, reaction.end))
    kinds, words = analysis.kinds, analysis.words
    found: list[Medicine] = []
    # Words that may start a name, found once per distinct word.
    candidates = {w for w in set(words) if w in index.phrases or index.word(w) is not None}
    i, n = 0, len(words)
    while i < n:
        if words[i] not in candidates or kinds[i] != WORD or i in in_reaction:
            i += 1
            continue
        end, name = -1, None
        first = index.phrases.get(words[i])
        if first is not None:
            end, names = _walk(index.phrases, kinds, words, i, first)
            if names:
                assert isinstance(names[0], MedicineName)
                name = names[0]
        if name is None:
            name = index.word(words[i])
            end = i + 1
        if name is not None and name.acronym:
            start, stop = analysis.tokens.span(i, end - 1)
            if sum(c.isupper() for c in analysis.text[start:stop]) < 2:
                name = None
        if name is not None and not any(k in in_reaction for k in range(i, end)):
            found.append(Medicine(i, end, name))
            i = end
        else:
            i += 1
    return found


def _cues(analysis: Analysis, trie: Trie) -> list[CueMention]:
    """Cue phrases, read as if each medicine mention were one token ``<med>`` ("kan
    Sertralin ge" reads as "kan <med> ge")."""
    words, medicine_at = analysis.words, analysis.medicine_at
    n = len(words)

    def step(k: int) -> tuple[str, int]:
        medicine = medicine_at.get(k)
        return ("<med>", medicine.end) if medicine is not None else (words[k], k + 1)

    found: list[CueMention] = []
    firsts = set(words).intersection(trie)
    if medicine_at and "<med>" in trie:
        firsts.add("<med>")
    k = 0
    while k < n:
        if words[k] not in firsts and k not in medicine_at:
            k += 1
            continue
        key, after = step(k)
        node = trie.get(key)
        if node is None:
            k = after
            continue
        best_end, best = -1, None
        j = after
        while node is not None:
            if END in node:
                best_end, best = j, node[END]
            if j >= n:
                break
            key, following = step(j)
            node = node.get(key)
            j = following
        if best is None:
            k = after
            continue
        for cue in best:
            assert isinstance(cue, Cue)
            # A one-word cue counts in its own language only: Swedish "för" folds to
            # English "for", and English "men" is not Swedish "men" (but).
            if cue.size == 1 and cue.language != analysis.language:
                continue
            found.append(CueMention(k, best_end, cue))
        k = best_end
    return _resolve_overlaps(analysis, found)


def _resolve_overlaps(analysis: Analysis, cues: list[CueMention]) -> list[CueMention]:
    kept: list[CueMention] = []
    dropped_reactions: set[int] = set()
    for cue in cues:
        inside = [r for r in analysis.reactions if r.start < cue.end and cue.start < r.end]
        if not inside:
            kept.append(cue)
        elif all(
            cue.start <= r.start and r.end <= cue.end and r.end - r.start < cue.end - cue.start
            for r in inside
        ):
            kept.append(cue)
            dropped_reactions.update(id(r) for r in inside)
        # else: a negation word inside a reaction phrase ("kan inte sova") is the phrase's
    if dropped_reactions:
        analysis.reactions = [r for r in analysis.reactions if id(r) not in dropped_reactions]
    return kept
