"""Medicine names, compiled from the directory: every name, brand and synonym of each
medicine and ``safety/data/medicine_variants.csv``, with their endings, compounds and
one-typo spellings. Built from :func:`medicine_records_from_database` (active rows) or
:func:`medicine_records_from_csv` (``directory/data/medicines.csv``, for the evaluation
and for tests without a database).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .lexicon import (
    DATA,
    DIRECTORY_DATA,
    FUZZY_MIN,
    SharedLexicons,
    Trie,
    add_fuzzy,
    insert,
    nearest,
    read_rows,
    remember,
    shared_lexicons,
)
from .text import term_tokens

MEDICINES_CSV = DIRECTORY_DATA / "medicines.csv"
# Swedish and English endings a medicine name takes without becoming another word:
# "Sertralinet", "Waranets", "p-pillren", "statins".
NAME_SUFFIXES = ("en", "et", "n", "t", "s", "es", "ens", "ets", "ns", "ts", "na", "ar", "er")
COMPOUND_MIN = 5  # names this long also start compounds: "ozempicsprutan", "levaxinet"


@dataclass(frozen=True, slots=True)
class MedicineRecord:
    slug: str
    inn_en: str
    name_sv: str
    brands_sv: tuple[str, ...] = ()
    synonyms_sv: tuple[str, ...] = ()
    synonyms_en: tuple[str, ...] = ()

    def names(self) -> Iterator[str]:
        yield self.inn_en
        yield self.name_sv
        yield from self.brands_sv
        yield from self.synonyms_sv
        yield from self.synonyms_en


@dataclass(frozen=True, slots=True)
class MedicineName:
    slugs: tuple[str, ...]  # more than one: a class word ("p-piller", "SSRI")
    name: str
    size: int
    # Written in capitals in the directory ("POP", "PrEP", "ASA"): counts only when
    # the post writes it so too, as "felt a pop in my heel" is not a pill.
    acronym: bool = False


def is_acronym(name: str) -> bool:
    letters = name.strip()
    return letters.isalpha() and len(letters) <= 4 and sum(c.isupper() for c in letters) >= 2


@dataclass
class MedicineIndex:
    """Every name of every medicine, compiled: single words (with their endings) in a
    dict, the first letters of long names for compounds, longer names in a trie."""

    words: dict[str, MedicineName] = field(default_factory=dict)
    compounds: dict[str, list[tuple[str, MedicineName]]] = field(default_factory=dict)
    phrases: Trie = field(default_factory=dict)
    excluded: list[tuple[str, str, str]] = field(default_factory=list)  # slug, name, why
    fuzzy: dict[str, list[str]] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)  # a post must hold one (or a compound)
    _found: dict[str, MedicineName | None] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        records: Iterable[MedicineRecord],
        *,
        shared: SharedLexicons | None = None,
        variants: Path | None = DATA / "medicine_variants.csv",
    ) -> MedicineIndex:
        shared = shared or shared_lexicons()
        slugs_by_name: dict[tuple[str, ...], set[str]] = {}
        spelled: dict[tuple[str, ...], str] = {}
        acronyms: dict[tuple[str, ...], bool] = {}
        index = cls()
        pairs: list[tuple[str, str]] = []
        for record in records:
            pairs.extend((record.slug, name) for name in record.names() if name.strip())
        if variants is not None and variants.exists():
            known = {slug for slug, _ in pairs}  # not the variants of a retired medicine
            pairs.extend(
                (row["medicine"], row["term"])
                for row in read_rows(variants)
                if row["medicine"] in known
            )
        for slug, name in pairs:
            tokens = term_tokens(name)
            if not tokens:
                continue
            if tokens in shared.reaction_terms:
                # medicines.csv lists "illamående" under ondansetron and "håravfall"
                # under minoxidil: a reaction word is never a medicine mention.
                index.excluded.append((slug, name, "a reaction term"))
                continue
            slugs_by_name.setdefault(tokens, set()).add(slug)
            spelled.setdefault(tokens, name)
            acronyms[tokens] = acronyms.get(tokens, True) and is_acronym(name)
        for tokens, slugs in slugs_by_name.items():
            entry = MedicineName(
                tuple(sorted(slugs)), spelled[tokens], len(tokens), acronyms[tokens]
            )
            if len(tokens) == 1:
                index._add_word(tokens[0], entry)
            else:
                # "p-pillret", "seloken zocen"; not "the pills", which is any pills.
                forms = (tokens[-1],) if tokens[0] == "the" else tuple(_endings(tokens[-1]))
                for form in forms:
                    insert(index.phrases, (*tokens[:-1], form), entry)
                key = max(tokens, key=len)
                index.keys.update(forms if key == tokens[-1] else (key,))
        return index

    def _add_word(self, word: str, entry: MedicineName) -> None:
        for form in _endings(word):
            if form == word or form not in self.words:
                self.words[form] = entry
            self.keys.add(form)
        if len(word) >= COMPOUND_MIN and word.isalpha():
            self.compounds.setdefault(word[:COMPOUND_MIN], []).append((word, entry))
        if len(word) >= FUZZY_MIN and word.isalpha():
            add_fuzzy(self.fuzzy, word)

    def word(self, token: str) -> MedicineName | None:
        """The medicine a single token names: a name, a name with an ending, or a
        compound starting with a long name ("Sertralinet", "ozempicsprutan")."""
        found = self.words.get(token)
        if found is not None or len(token) <= COMPOUND_MIN:
            return found
        try:
            return self._found[token]
        except KeyError:
            found = self._compound_or_typo(token)
            remember(self._found, token, found)
            return found

    def might_name(self, words: set[str]) -> bool:
        """Whether ``words`` (of a post) could hold a medicine name (a cheap first look)."""
        if not self.keys.isdisjoint(words):
            return True
        return any(len(w) > COMPOUND_MIN and self.word(w) is not None for w in words)

    def _compound_or_typo(self, token: str) -> MedicineName | None:
        best: MedicineName | None = None
        longest = 0
        for word, entry in self.compounds.get(token[:COMPOUND_MIN], ()):
            if len(word) > longest and token.startswith(word):
                best, longest = entry, len(word)
        if best is None and len(token) >= FUZZY_MIN and token.isalpha():
            # A typo of a long name, same length ("amlodipene"); not a dropped or
            # added letter, which turns "Concerta" into "concert".
            near = nearest(token, self.fuzzy, same_length=True)
            if near is not None:
                return self.words[near]
        return best


def _endings(word: str) -> Iterator[str]:
    yield word
    if word.isalpha():
        for suffix in NAME_SUFFIXES:
            yield word + suffix


def medicine_records_from_csv(path: Path = MEDICINES_CSV) -> list[MedicineRecord]:
    """The directory's starter medicines, read straight from the file."""

    def split(value: str | None) -> tuple[str, ...]:
        return tuple(v.strip() for v in (value or "").split("|") if v.strip())

    return [
        MedicineRecord(
            slug=row["slug"],
            inn_en=row["inn_en"],
            name_sv=row["name_sv"],
            brands_sv=split(row.get("brands_sv")),
            synonyms_sv=split(row.get("synonyms_sv")),
            synonyms_en=split(row.get("synonyms_en")),
        )
        for row in read_rows(path)
    ]


def medicine_records_from_database() -> list[MedicineRecord]:
    """The active medicines of the directory (one query)."""
    from patientvoice.directory.models import Medicine

    rows = Medicine.objects.filter(is_active=True).values_list(
        "slug", "inn_en", "name_sv", "brands_sv", "synonyms_sv", "synonyms_en"
    )
    return [
        MedicineRecord(
            slug=slug,
            inn_en=inn_en,
            name_sv=name_sv,
            brands_sv=tuple(brands or ()),
            synonyms_sv=tuple(synonyms_sv or ()),
            synonyms_en=tuple(synonyms_en or ()),
        )
        for slug, inn_en, name_sv, brands, synonyms_sv, synonyms_en in rows
    ]
