"""Words and stems, the same way for the index, the query and the snippets.

snowballstemmer (pure Python, the Snowball algorithms PostgreSQL also uses) stems
Swedish and English: "biverkningar" and "biverkning" both become "biverkn",
"headaches" and "headache" both "headach". An indexed text is stemmed in its own
language; a query word is stemmed in both, because people search in either
language whatever the page's language is (docs/decisions/0021).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from typing import Any

import snowballstemmer  # type: ignore[import-untyped,unused-ignore]

from .stopwords import STOPWORDS

LANGUAGES = ("sv", "en")
_ALGORITHMS = {"sv": "swedish", "en": "english"}
# Letters and digits; the underscore separates, as in FTS5's unicode61 tokenizer.
WORD = re.compile(r"[^\W_]+")
# Longer "words" are noise (a pasted hash, a URL fragment) and would bloat the index.
MAX_WORD_LENGTH = 40
# A query uses at most this many words; the rest are ignored.
MAX_QUERY_WORDS = 8

_local = threading.local()


def _stemmer(language: str) -> Any:
    # Stemmer objects keep state while stemming: one per thread.
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    algorithm = _ALGORITHMS.get(language, "swedish")
    if algorithm not in stemmers:
        stemmers[algorithm] = snowballstemmer.stemmer(algorithm)
    return stemmers[algorithm]


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def words(text: str) -> list[str]:
    return [w for w in WORD.findall(normalise(text)) if len(w) <= MAX_WORD_LENGTH]


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    return str(_stemmer(language).stemWord(word))


def stemmed_text(text: str, language: str) -> str:
    """The words of ``text`` stemmed in ``language``, space-separated (FTS5 input)."""
    return " ".join(stem(w, language) for w in words(text))


def _query_words(q: str) -> list[str]:
    """The words of a query without stop words ("och", "the"), unless it has nothing
    else ("to be or not to be")."""
    found = words(q)
    content = [w for w in found if w not in STOPWORDS]
    return content or found


def query_terms(q: str) -> list[tuple[str, ...]]:
    """Each word of a query as the set of its stems in either language (sorted, so a
    query always gives the same SQL). Repeated words count once."""
    terms: list[tuple[str, ...]] = []
    for word in _query_words(q):
        term = tuple(sorted({stem(word, language) for language in LANGUAGES}))
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_QUERY_WORDS:
            break
    return terms


def query_words(q: str) -> list[str]:
    """The distinct words of a query, at most ``MAX_QUERY_WORDS`` (PostgreSQL stems
    them itself)."""
    seen: list[str] = []
    for word in _query_words(q):
        if word not in seen:
            seen.append(word)
        if len(seen) == MAX_QUERY_WORDS:
            break
    return seen
