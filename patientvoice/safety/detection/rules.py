"""The rules that read what a post says about a reaction: which medicine goes with
it, and what lowers or raises the confidence that the writer reports it as a side
effect (negation, hypotheticals, questions, indications, other causes…).
"""

from __future__ import annotations

from bisect import bisect_left

from . import knowledge
from .analysis import Analysis, CueMention, Medicine, Reaction
from .lexicon import SharedLexicons
from .reasons import Reason
from .text import NUMBER, QUESTION, WORD

LINK_DISTANCE = 6  # tokens between a reaction and a medicine tied by a causal word
FAR_SENTENCES = 2


def _names_side_effects(a: Analysis, reaction: Reaction, terms: frozenset[tuple[str, ...]]) -> bool:
    """ "biverkningar", "side effects", and phrases with them ("sexuella biverkningar")."""
    if reaction.term.concept in knowledge.UNSPECIFIED:
        return True
    words = tuple(a.words[reaction.start : reaction.end])
    return len(words) > 1 and any(
        words[i : i + len(term)] == term
        for i in range(len(words))
        for term in terms
        if term[0] == words[i]
    )


class PostFacts:
    """What holds for the whole post."""

    def __init__(self, a: Analysis, unspecified_terms: frozenset[tuple[str, ...]]) -> None:
        self.not_started = any(c.cue.family == "not_started" for c in a.cues)
        self.first_stop = next(
            (i for i, w in enumerate(a.words) if w in knowledge.STOP_WORDS), len(a.words)
        )
        self.negated_concepts: set[str] = set()
        # "inga (sexuella) biverkningar": denying side effects denies the rest of the
        # post, up to a "men" (negations.csv, "ingen biverkning").
        self.denied_from = len(a.words)
        self.negated = {id(r) for r in a.reactions if _negated(a, r)}
        for reaction in a.reactions:
            if id(reaction) in self.negated:
                self.negated_concepts.add(reaction.term.concept)
                if _names_side_effects(a, reaction, unspecified_terms):
                    self.denied_from = min(self.denied_from, reaction.end)


def pair(a: Analysis, reaction: Reaction) -> tuple[Medicine, bool]:
    """The medicine this reaction goes with, and whether a causal word ties them."""
    position = bisect_left(a.medicine_starts, reaction.start)
    candidates = a.medicines[max(0, position - 2) : position + 2]

    def rank(medicine: Medicine) -> tuple[bool, int, bool, int]:
        apart = abs(a.sentence[medicine.start] - a.sentence[reaction.start])
        return (
            _linked(a, reaction, medicine),
            -apart,
            # In another sentence, the medicine named first is the one the writer
            # took: "I'm on methotrexate… mouth ulcers. Is the folic acid to stop this?"
            apart > 0 and medicine.start < reaction.start,
            -_gap(reaction, medicine),
        )

    chosen = max(candidates, key=rank)
    return chosen, _linked(a, reaction, chosen)


def _gap(reaction: Reaction, medicine: Medicine) -> int:
    if medicine.start >= reaction.end:
        return medicine.start - reaction.end
    return max(0, reaction.start - medicine.end)


def _linked(a: Analysis, reaction: Reaction, medicine: Medicine) -> bool:
    if a.clause[medicine.start] != a.clause[reaction.start]:
        return False
    if _gap(reaction, medicine) > LINK_DISTANCE:
        return False
    low, high = sorted((reaction.end, medicine.end, reaction.start, medicine.start))[1:3]
    between = a.words[low:high]
    return any(w in knowledge.CAUSAL_LINKS for w in between) or high == low


def reasons_for(
    a: Analysis,
    shared: SharedLexicons,
    post: PostFacts,
    reaction: Reaction,
    medicine: Medicine,
    linked: bool,
) -> list[Reason]:
    reasons: list[Reason] = []
    concept = reaction.term.concept
    sentences_apart = abs(a.sentence[medicine.start] - a.sentence[reaction.start])
    if linked:
        reasons.append(Reason.CAUSAL_LINK)
    elif sentences_apart:
        reasons.append(Reason.DISTANCE)
        if sentences_apart > FAR_SENTENCES:
            reasons.append(Reason.FAR)
    if reaction.term.ambiguous and not linked:
        reasons.append(Reason.AMBIGUOUS_TERM)
    if reaction.misspelt:
        reasons.append(Reason.MISSPELT)
    if concept in knowledge.UNSPECIFIED:
        reasons.append(Reason.UNSPECIFIED)
    if len(medicine.name.slugs) > 1:
        reasons.append(Reason.CLASS_NAME)
    if id(reaction) in post.negated or (
        post.denied_from <= reaction.start and not _blocked(a, post.denied_from, reaction.start)
    ):
        reasons.append(Reason.NEGATED)
    elif concept in post.negated_concepts:
        reasons.append(Reason.NEGATED_ELSEWHERE)
    reported = _reported_question(a, reaction)
    if reported:
        reasons.append(Reason.REPORTED_QUESTION)
    hypothetical = _hypothetical(a, reaction)
    if hypothetical is not None:
        reasons.append(Reason.ASKS_IF_NORMAL if hypothetical.cue.soft else Reason.HYPOTHETICAL)
    elif not reported and _question(a, reaction):
        reasons.append(Reason.QUESTION)
    if post.not_started:
        reasons.append(Reason.NOT_STARTED)
    indication = _indication(a, reaction, medicine, post)
    if indication is not None:
        reasons.append(indication)
    if (
        indication is None
        and any(concept in shared.indications.get(s, ()) for s in medicine.name.slugs)
        and not _worsening(a, reaction)
    ):
        reasons.append(Reason.KNOWN_INDICATION)
    if _other_cause(a, shared, reaction, medicine, linked):
        reasons.append(Reason.OTHER_CAUSE)
    if _medicine_denied(a, medicine):
        reasons.append(Reason.MEDICINE_DENIED)
    if any(
        c.cue.family == "pre_existing"
        and c.start >= reaction.end
        and a.sentence[c.start] == a.sentence[reaction.start]
        for c in a.cues
    ):
        reasons.append(Reason.PRE_EXISTING)
    return reasons


def _words_between(a: Analysis, low: int, high: int) -> tuple[int, bool]:
    """How many words stand between tokens ``low`` and ``high`` (fillers not counted),
    and whether a clause or sentence ends there."""
    if high <= low:
        return 0, False
    return a.counted[high] - a.counted[low], a.boundaries[high] != a.boundaries[low]


def _blocked(a: Analysis, low: int, high: int) -> bool:
    """A terminator ("men", "but", "förutom") between ``low`` and ``high``."""
    return any(c.cue.kind == "terminator" and low <= c.start < high for c in a.cues)


def _cue_near(
    a: Analysis,
    reaction: Reaction,
    family: str,
    *,
    before: int = 0,
    after: int = 0,
    kind: str | None = None,
    same_sentence: bool = False,
    short: int = 3,
) -> CueMention | None:
    """A cue of ``family`` governing the reaction: ending at most ``before`` words
    before it or starting at most ``after`` words after it, in the same clause (or
    sentence), with no terminator between. One-word cues ("mot", "for", "may") are
    common words: they reach at most ``short`` words."""
    for cue in a.cues:
        if cue.cue.family != family or (kind and cue.cue.kind != kind):
            continue
        if cue.end <= reaction.start and cue.cue.scope == "before" and before:
            gap, boundary = _words_between(a, cue.end, reaction.start)
            limit = before if cue.cue.size > 1 else min(before, short)
        elif cue.start >= reaction.end and cue.cue.scope == "after" and after:
            gap, boundary = _words_between(a, reaction.end, cue.start)
            limit = after
        else:
            continue
        low, high = sorted((cue.start, reaction.start))
        if same_sentence:
            boundary = a.sentence[cue.start] != a.sentence[reaction.start]
        if gap <= limit and not boundary and not _blocked(a, low + 1, high):
            return cue
    return None


def _negated(a: Analysis, reaction: Reaction) -> bool:
    if _cue_near(a, reaction, "negation", before=4, kind="negation"):
        return True
    for cue in a.cues:
        if cue.cue.family != "negation":
            continue
        # "inte ens huvudvärk" denies; "inte ens gå" (not even walk) does not.
        even = cue.cue.kind == "pseudo" and cue.cue.text in ("inte ens", "not even")
        if even and cue.end == reaction.start:
            return True
        if (
            cue.cue.whole_post
            and cue.end <= reaction.start
            and not _blocked(a, cue.end, reaction.start)
        ):
            return True
        if cue.cue.kind == "negation" and cue.cue.scope == "after" and cue.start >= reaction.end:
            gap, boundary = _words_between(a, reaction.end, cue.start)
            between = a.words[reaction.end : cue.start]
            tied = any(w in knowledge.SUBORDINATORS for w in between)
            medicine = any(reaction.end <= m.start < cue.start for m in a.medicines)
            if gap <= 2 and not boundary and not tied and not medicine:
                return True
    return False


def _reported_question(a: Analysis, reaction: Reaction) -> bool:
    return any(
        c.cue.family == "hypothetical"
        and c.cue.kind == "pseudo"
        and a.sentence[c.start] == a.sentence[reaction.start]
        for c in a.cues
    )


def _hypothetical(a: Analysis, reaction: Reaction) -> CueMention | None:
    cue = _cue_near(a, reaction, "hypothetical", before=6, after=3, kind="hypothetical")
    if cue is not None and cue.cue.text == "may" and _is_month(a, cue.start):
        return None  # "in May I got gallstones"
    return cue


def _is_month(a: Analysis, index: int) -> bool:
    before = a.words[index - 1] if index > 0 else ""
    after = index + 1 < len(a.words) and a.kinds[index + 1] == NUMBER
    return before in knowledge.BEFORE_MONTH or after


def _question(a: Analysis, reaction: Reaction) -> bool:
    """The reaction's clause asks: it ends in "?" and opens like a question ("kan man
    få…?", "is hair loss common…?"), not like a report ending in "??"."""
    if a.clause_end_kind(reaction.start) != QUESTION:
        return False
    i = a.clause_start(reaction.start)
    while i < reaction.start and a.words[i] in knowledge.CLAUSE_LEAD:
        i += 1
    if i >= reaction.start:  # "yrsel??": the clause is the reaction itself, a report
        return False
    opener = a.words[i]
    if opener in knowledge.QUESTION_WORDS:
        return True
    if opener not in knowledge.QUESTION_VERBS:
        return False
    after = i + 1
    return (
        a.words[after] in knowledge.SUBJECT_PRONOUNS
        or after in a.medicine_at
        or after == reaction.start
        or any(r.start == after for r in a.reactions)
    )


def _indication(
    a: Analysis, reaction: Reaction, medicine: Medicine, post: PostFacts
) -> Reason | None:
    cue = _cue_near(a, reaction, "indication", before=3, after=3, kind="indication", short=1)
    if cue is not None and cue.cue.size == 1 and reaction.term.concept in knowledge.PLACES:
        cue = None  # "vid injektionsstället" is a place, not what the medicine is for
    if cue is not None:
        if cue.start > reaction.start and post.first_stop < cue.start:
            return Reason.DECHALLENGE  # "slutade med X och huvudvärken försvann"
        return Reason.INDICATION
    # "anxious despite sertraline", "ångest trots Sertralin": lack of effect.
    for c in a.cues:
        lack = c.cue.family == "indication" and c.cue.text in ("trots", "despite")
        if lack and c.end == medicine.start and c.start > reaction.start:
            return Reason.INDICATION
    return None


def _worsening(a: Analysis, reaction: Reaction) -> bool:
    clause = a.clause[reaction.start]
    low = max(0, reaction.start - 4)
    high = min(len(a.words), reaction.end + 4)
    return any(
        a.words[k] in knowledge.WORSENING and a.clause[k] == clause for k in range(low, high)
    )


def _other_cause(
    a: Analysis, shared: SharedLexicons, reaction: Reaction, medicine: Medicine, linked: bool
) -> bool:
    """The writer blames something else: "feber pga förkylning", "diarrhea after the thai
    food", "influensan gav mig feber", "MS gives me numbness"."""
    clause = a.clause[reaction.start]
    n = len(a.words)

    def cause_within(start: int, limit: int) -> bool:
        k, words = start, 0
        while k < n and words < limit and a.clause[k] == clause:
            if k in a.medicine_at:
                return False
            if a.kinds[k] == WORD and shared.cause_at(a.words, k) > 0:
                return True
            if a.words[k] not in knowledge.FILLERS:
                words += 1
            k += 1
        return False

    # The reaction, then a cause word and a cause: "feber pga förkylning".
    for k in range(reaction.end, min(n, reaction.end + 4)):
        if a.clause[k] != clause:
            break
        blames = a.words[k] in knowledge.CAUSE_PREPOSITIONS and cause_within(k + 1, 4)
        if blames and not (linked and medicine.start > k):
            return True
    # A condition as the reaction's subject: "min psoriasis kliar", "MS:en domnar".
    for c in range(max(0, reaction.start - 2), reaction.start):
        subject = a.clause[c] == clause and c not in a.medicine_at and a.kinds[c] == WORD
        if subject and shared.cause_at(a.words, c) == reaction.start:
            return True
    # The reaction is itself the cause of another: "my AFIB gives me palpitations".
    for k in range(reaction.end, min(n, reaction.end + 2)):
        causes = a.words[k] in knowledge.CAUSAL_VERBS and a.clause[k] == clause
        if causes and any(r.start > k and a.clause[r.start] == clause for r in a.reactions):
            return True
    # A cause, a causal verb, the reaction: "influensan gav mig feber".
    for k in range(max(0, reaction.start - 4), reaction.start):
        if a.words[k] not in knowledge.CAUSAL_VERBS or a.clause[k] != clause:
            continue
        for c in range(max(0, k - 3), k):
            if a.clause[c] == clause and c not in a.medicine_at and shared.cause_at(a.words, c) > 0:
                return True
    return False


def _medicine_denied(a: Analysis, medicine: Medicine) -> bool:
    """The writer clears the medicine: "inte atorvastatinet", "not the ozempic",
    "inget med sertralinet att göra", "nothing to do with the sertraline"."""
    for cue in a.cues:
        if cue.end > medicine.start or cue.cue.scope != "before":
            continue
        family_ok = cue.cue.family == "exoneration" or (
            cue.cue.family == "negation" and cue.cue.kind == "negation"
        )
        if not family_ok:
            continue
        gap, boundary = _words_between(a, cue.end, medicine.start)
        if gap <= 2 and not boundary:
            return True
    return False
