"""Highlighted snippets: which words of a post's plain text match the query, and the
window around the first; ``core.markup.excerpt_with_marks`` turns that into HTML, so
a snippet never contains markup from the content, only our ``<mark>``."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.safestring import SafeString

from patientvoice.core.markup import excerpt_with_marks

from .stemming import MAX_WORD_LENGTH, WORD, normalise, stem

# Words shown before the first match, and the longest snippet in characters.
LEAD_WORDS = 8
MAX_CHARS = 240


def highlight(text: str, language: str, terms: Iterable[tuple[str, ...]]) -> SafeString:
    """A window of ``text`` around the first word that matches one of ``terms`` (as
    the index matched it: stemmed in the text's language), matched words in
    ``<mark>``. Without a match, the start of the text."""
    stems = {s for term in terms for s in term}
    spans = [m.span() for m in WORD.finditer(text)]

    def matches(start: int, end: int) -> bool:
        word = normalise(text[start:end])
        return len(word) <= MAX_WORD_LENGTH and (stem(word, language) in stems or word in stems)

    first = next((i for i, (s, e) in enumerate(spans) if matches(s, e)), None)
    # From the start of the text when the first match is near it.
    start = 0 if first is None or first <= LEAD_WORDS else spans[first - LEAD_WORDS][0]
    end = min(len(text), start + MAX_CHARS)
    if end < len(text):
        # Cut at a word boundary, not in the middle of a word.
        boundary = max((s for s, _e in spans if start < s <= end), default=end)
        end = boundary if boundary > start else end
    marked = [(s, e) for s, e in spans if start <= s and e <= end and matches(s, e)]
    return excerpt_with_marks(text, start, end, marked)
