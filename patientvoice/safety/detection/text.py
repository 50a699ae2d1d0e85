"""Turning a post into tokens the detector can match, with offsets into the original.

Normalising never changes the length of the text: every character maps to exactly one
character (case-folded, å/ä → a, ö → o, curly apostrophes straightened), HTML tags and
links become spaces, an entity becomes its character followed by spaces. So a token's
``start``/``end`` in the normalised text are also its offsets in the text the member
wrote, and spans need no mapping table.

Tokens are words (letters), numbers and the punctuation that ends a clause (``,``
``;`` ``:``), a sentence (``.`` ``!`` a new line, a block tag) or a question (``?``).
English contractions are expanded ("didn't" → "did", "not"; "cant" → "can", "not"),
both tokens keeping the span of the written word, so "not" is one negation cue and the
lexicon's "couldn't sleep" and a post's "couldnt sleep" are the same two tokens.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum


class Kind(IntEnum):
    WORD = 0
    NUMBER = 1
    CLAUSE = 2  # , ; : and a dash between spaces
    SENTENCE = 3  # . ! a new line, a block tag
    QUESTION = 4  # ?


# Plain ints in the hot loops (an IntEnum compares slower).
WORD, NUMBER, CLAUSE, SENTENCE, QUESTION = (int(k) for k in Kind)


@dataclass(slots=True)
class Tokens:
    """The tokens of a post as parallel lists (cheaper than an object per token):
    folded text and kind. Character offsets are worked out only when asked for
    (:meth:`span`): most tokens never need them."""

    folded: str
    words: list[str]
    kinds: list[int]
    matches: list[int]  # which piece of ``pieces`` each token came from
    pieces: list[str]  # what the token pattern matched, in order
    _offsets: list[int] = field(default_factory=list)  # start of each piece, so far

    def __len__(self) -> int:
        return len(self.words)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """The character offsets of tokens ``first`` to ``last`` (inclusive)."""
        offsets, pieces = self._offsets, self.pieces
        wanted = self.matches[last]
        position = offsets[-1] + len(pieces[len(offsets) - 1]) if offsets else 0
        while len(offsets) <= wanted:
            # Between two pieces there are only characters no pattern matched (no
            # letters or digits), so a word or number is found where it was matched.
            position = self.folded.find(pieces[len(offsets)], position)
            offsets.append(position)
            position += len(pieces[len(offsets) - 1])
        start = offsets[self.matches[first]]
        return start, offsets[wanted] + len(pieces[wanted])


class _FoldTable(dict[int, int]):
    """A ``str.translate`` table that folds one code point to exactly one code point,
    computed on first use and remembered."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        lower = char.lower()
        if len(lower) != 1:
            lower = char
        base = unicodedata.normalize("NFD", lower)[0]
        folded = base.lower() if base.isalpha() and base.isascii() else lower
        self[code] = ord(folded)
        return self[code]


_FOLD = _FoldTable(
    {
        ord("\u2019"): ord("'"),
        ord("\u2018"): ord("'"),
        ord("`"): ord("'"),
        ord("\u00b4"): ord("'"),
        ord("\u00a0"): ord(" "),
        ord("ø"): ord("o"),
        ord("Ø"): ord("o"),
        ord("æ"): ord("a"),
        ord("Æ"): ord("a"),
    }
)

_COMMON_FOLDS = tuple(
    (letter, chr(_FOLD[ord(letter)])) for letter in "åäöéèëüáàâêôøæ\u2019\u2018\u00a0"
)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]{0,15})\b[^<>]{0,500}>")
_BLOCK_TAGS = frozenset(
    str.split("br p div li ul ol h1 h2 h3 h4 h5 h6 tr td table blockquote pre hr section article")
)
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"']{1,2000}", re.IGNORECASE)

# A word, a number, a question mark, a sentence end, a clause end, or a link ("=",
# "->"). Letters outside a-z after folding (other scripts) still make words; they
# match no lexicon entry. A token's kind follows from its first character.
_TOKEN = re.compile(
    r"[a-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+(?:'[a-z]+)?"
    r"|\d+(?:[.,]\d+)*"
    r"|[?!]*\?[?!]*"
    r"|\.+(?!\w)|!+|\n"
    r"|[,;](?!\d)|:(?!\w)|(?<=\s)[-–—](?=\s)"
    r"|=+>?|->|→"
)
_FIRST_CHAR_KIND = {
    **dict.fromkeys("0123456789", NUMBER),
    "?": QUESTION,
    **dict.fromkeys(".!\n", SENTENCE),
    **dict.fromkeys(",;:-–—", CLAUSE),
}
# The words of a folded text for a first look: what is left outside a-z after folding
# is not in any lexicon.
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")

# English contractions written with or without the apostrophe.
_CONTRACTIONS: dict[str, tuple[str, ...]] = {
    "can't": ("can", "not"),
    "cant": ("can", "not"),
    "cannot": ("can", "not"),
    "won't": ("will", "not"),
    "wont": ("will", "not"),
    "shan't": ("shall", "not"),
    "ain't": ("is", "not"),
    "dont": ("do", "not"),
    "doesnt": ("does", "not"),
    "didnt": ("did", "not"),
    "isnt": ("is", "not"),
    "wasnt": ("was", "not"),
    "arent": ("are", "not"),
    "werent": ("were", "not"),
    "havent": ("have", "not"),
    "hasnt": ("has", "not"),
    "hadnt": ("had", "not"),
    "couldnt": ("could", "not"),
    "wouldnt": ("would", "not"),
    "shouldnt": ("should", "not"),
    "im": ("i", "am"),
    "ive": ("i", "have"),
}
_CLITICS = {"m": "am", "ve": "have", "re": "are", "ll": "will", "d": "would"}


def normalise(text: str) -> str:
    """The text folded for matching, exactly as long as ``text``."""
    if "<" in text:
        text = _TAG.sub(_blank_tag, text)
    if "&" in text:
        text = _ENTITY.sub(_entity, text)
    if "://" in text or "www." in text:
        text = _LINK.sub(lambda m: " " * len(m.group()), text)
    lowered = text.lower()
    if len(lowered) != len(text):  # a letter whose lower case is two ("İ")
        return text.translate(_FOLD)
    if "`" in lowered:
        lowered = lowered.replace("`", "'")
    if lowered.isascii():
        return lowered
    # str.replace is far cheaper than str.translate: fold the usual letters that way
    # and translate what is left (emoji stay as they are).
    for letter, plain in _COMMON_FOLDS:
        if letter in lowered:
            lowered = lowered.replace(letter, plain)
    if lowered.isascii():
        return lowered
    return _NON_ASCII.sub(lambda m: m.group().translate(_FOLD), lowered)


def _blank_tag(match: re.Match[str]) -> str:
    length = len(match.group())
    if match.group(1).lower() in _BLOCK_TAGS:
        return "\n" + " " * (length - 1)
    return " " * length


def _entity(match: re.Match[str]) -> str:
    source = match.group()
    decoded = html.unescape(source)
    if len(decoded) != 1:
        return source
    if decoded.isspace():
        decoded = " "
    return decoded + " " * (len(source) - 1)


def tokenise(text: str, *, folded: str | None = None) -> Tokens:
    """The tokens of ``text`` (``folded``: the text already normalised)."""
    if folded is None:
        folded = normalise(text)
    pieces = _TOKEN.findall(folded)
    kind_of = _FIRST_CHAR_KIND
    kinds = [kind_of.get(piece[0], WORD) for piece in pieces]
    if (
        "'" in folded
        or "\n" in folded
        or "=" in folded
        or ">" in folded
        or "!" in folded
        or (not _CONTRACTIONS.keys().isdisjoint(pieces))
    ):
        return _tokenise_carefully(folded, pieces, kinds)
    return Tokens(folded, pieces, kinds, list(range(len(pieces))), pieces)


def _tokenise_carefully(folded: str, pieces: list[str], kinds: list[int]) -> Tokens:
    """Contractions ("didn't" → "did", "not"), repeated line ends, "->" and "!?"."""
    words: list[str] = []
    token_kinds: list[int] = []
    matches: list[int] = []
    last = -1
    for index, (piece, kind) in enumerate(zip(pieces, kinds, strict=True)):
        parts: tuple[str, ...] = (piece,)
        if kind == WORD:
            if "'" in piece or piece in _CONTRACTIONS:
                parts = _expand(piece)
            elif piece[0] in "=→":
                parts = ("=",)  # "metformin = diarré", "zoloft → yr"
        elif piece[0] == "-" and len(piece) > 1:
            parts, kind = ("=",), WORD  # "zoloft -> yr"
        elif piece[0] == "!" and "?" in piece:
            kind = QUESTION
        elif piece == "\n" and last >= SENTENCE:
            continue  # "Sov dåligt!\n" ends one sentence, not two
        for part in parts:
            words.append(part)
            token_kinds.append(kind)
            matches.append(index)
        last = kind
    return Tokens(folded, words, token_kinds, matches, pieces)


def quick_words(folded: str) -> set[str]:
    """The words of a normalised text, for a cheap first look (contractions expanded,
    as :func:`tokenise` does)."""
    found = set(_WORD.findall(folded))
    if "'" in folded or not found.isdisjoint(_CONTRACTIONS):
        for word in [w for w in found if "'" in w or w in _CONTRACTIONS]:
            found.update(_expand(word))
    return found


def _expand(word: str) -> tuple[str, ...]:
    if word in _CONTRACTIONS:
        return _CONTRACTIONS[word]
    head, _, tail = word.partition("'")
    if tail == "t" and head.endswith("n"):
        return (head[:-1], "not") if len(head) > 1 else ("not",)
    if tail in _CLITICS:
        return (head, _CLITICS[tail])
    # "prozac's", "parkinson's": the possessive adds nothing to match on.
    return (head,)


def term_tokens(term: str) -> tuple[str, ...]:
    """A lexicon term as the token texts a post would give (for building the tries)."""
    tokens = tokenise(term)
    return tuple(w for w, k in zip(tokens.words, tokens.kinds, strict=True) if k <= NUMBER)


SWEDISH_WORDS = frozenset(
    str.split(
        "och att det som en på är av för med jag har inte till den om men var så kan de ett "
        "vi han hon mig min mitt mina när från eller bara också efter hade nu fick blev mår "
        "sen sedan ingen inga inget nån någon vad hur idag igår har haft tar tog får känner "
        "jätte typ asså mycket lite väldigt helt sjukt dag vecka veckor"
    )
)
ENGLISH_WORDS = frozenset(
    str.split(
        "the and to of a i in it is that my for with have was not but on this be at as so "
        "had me they about when all from can got get gave been am are just feel felt since "
        "day week weeks really very after what how does do did any no"
    )
)
_SWEDISH_FOLDED = frozenset(w.translate(_FOLD) for w in SWEDISH_WORDS)
_ENGLISH_FOLDED = frozenset(w.translate(_FOLD) for w in ENGLISH_WORDS)


def guess_language(words: Iterable[str]) -> str:
    """``sv`` or ``en``, whichever has more of its common words among ``words``
    (folded token texts); Swedish when it is a tie, as most posts here are."""
    counts = Counter(words)
    swedish = sum(counts[w] for w in _SWEDISH_FOLDED.intersection(counts))
    english = sum(counts[w] for w in _ENGLISH_FOLDED.intersection(counts))
    return "en" if english > swedish else "sv"
