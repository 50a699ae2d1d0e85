"""Validate the side-effect detector's data files in this folder.

Plain Python (3.12+), no Django. Run it from anywhere:

    python patientvoice/safety/data/check_data.py

It checks that every file has its columns and allowed values, that no term is listed
twice, that every line of evaluation.jsonl parses and that its spans point at what they
claim: a reaction span must contain a lexicon term of that concept (in the text's
language; either language for ``mixed_language``), a medicine span a name, brand or
synonym of that medicine from ``directory/data/medicines.csv`` or a variant from
``medicine_variants.csv``. It prints every problem, a few warnings (things to look at,
not errors) and the counts, and exits with status 1 when there is a problem.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
MEDICINES = HERE.parents[1] / "directory" / "data" / "medicines.csv"

LANGUAGES = ("sv", "en")
REACTION_COLUMNS = ["concept", "language", "term", "kind", "meddra_code", "note"]
REACTION_KINDS = {"lemma", "inflection", "colloquial", "misspelling"}
CUE_COLUMNS = ["language", "cue", "kind", "scope", "note"]
CUE_FILES = {
    "negations.csv": {"negation", "pseudo", "terminator"},
    "hypotheticals.csv": {"hypothetical", "pseudo"},
    "indications.csv": {"indication", "pseudo"},
}
SCOPES = {"before", "after"}
VARIANT_COLUMNS = ["medicine", "language", "term", "kind", "note"]
VARIANT_KINDS = {"inflection", "colloquial", "misspelling"}
MEDICINE_NAME_COLUMNS = ("slug", "inn_en", "name_sv", "brands_sv", "synonyms_sv", "synonyms_en")

# What a pharmacovigilance reviewer decides for each kind of case (README.md).
POSITIVE_CATEGORIES = {
    "adr",
    "adr_inflected",
    "adr_misspelt",
    "adr_far",
    "past_resolved",
    "third_person",
}
NEGATIVE_CATEGORIES = {
    "negated",
    "hypothetical",
    "indication",
    "symptom_of_disease",
    "no_reaction",
    "reaction_only",
    "other_cause",
}
EITHER_CATEGORIES = {"emoji_html_noise", "mixed_language"}
CATEGORIES = POSITIVE_CATEGORIES | NEGATIVE_CATEGORIES | EITHER_CATEGORIES
EVALUATION_KEYS = {
    "id",
    "language",
    "text",
    "adr",
    "medicine",
    "reaction",
    "medicine_span",
    "reaction_span",
    "category",
}
MINIMUM_CONCEPTS = 120
MINIMUM_SENTENCES = 400

CONCEPT_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
ID_RE = re.compile(r"^(sv|en)-\d{3,}$")
# Swedish suffixes a name takes without being a new word: Sertralinet, Waranets, p-pillrets.
SWEDISH_SUFFIXES = ("en", "et", "n", "t", "s", "ens", "ets", "ns", "ts", "na", "erna", "arna")


def fold(text: str) -> str:
    """Case-fold and normalise apostrophes and whitespace, as the comparisons need."""
    text = text.replace("\u2019", "'").replace("\u00a0", " ")
    return " ".join(text.casefold().split())


def contains_term(haystack: str, term: str) -> bool:
    """True when ``term`` occurs in ``haystack`` as whole words (a token sequence)."""
    return re.search(r"(?<!\w)" + re.escape(fold(term)) + r"(?!\w)", fold(haystack)) is not None


def starts_word(haystack: str, name: str) -> bool:
    """True when a word of ``haystack`` starts with ``name`` (inflections: "Sertralinet")."""
    return re.search(r"(?<!\w)" + re.escape(fold(name)), fold(haystack)) is not None


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def warning(self, where: str, message: str) -> None:
        self.warnings.append(f"{where}: {message}")


def read_csv(path: Path, columns: Sequence[str], report: Report) -> list[dict[str, str]]:
    """Rows of a CSV file whose header must be exactly ``columns``."""
    if not path.exists():
        report.problem(path.name, "file is missing")
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        if header != list(columns):
            report.problem(path.name, f"columns are {header}, expected {list(columns)}")
            return []
        rows: list[dict[str, str]] = []
        for line, values in enumerate(reader, start=2):
            if len(values) != len(columns):
                report.problem(
                    f"{path.name}:{line}", f"{len(values)} fields, expected {len(columns)}"
                )
                continue
            rows.append({"_line": str(line), **dict(zip(columns, values, strict=True))})
        return rows


def check_text_value(where: str, column: str, value: str, report: Report) -> None:
    if not value:
        report.problem(where, f"{column} is empty")
    elif value != value.strip() or "  " in value:
        report.problem(where, f"{column} {value!r} has extra spaces")
    elif value != value.lower():
        report.problem(where, f"{column} {value!r} is not lower case")


def load_medicines(path: Path, report: Report) -> dict[str, set[str]]:
    """Every name of every medicine, by slug, from the directory's medicines.csv."""
    names: dict[str, set[str]] = {}
    if not path.exists():
        report.problem(str(path), "medicines.csv is missing")
        return names
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            slug = row["slug"]
            found = names.setdefault(slug, set())
            for column in MEDICINE_NAME_COLUMNS:
                found.update(n.strip() for n in (row.get(column) or "").split("|") if n.strip())
    return names


def check_reactions(path: Path, report: Report) -> dict[tuple[str, str], list[str]]:
    """The lexicon, as terms by (concept, language)."""
    rows = read_csv(path, REACTION_COLUMNS, report)
    terms: dict[tuple[str, str], list[str]] = defaultdict(list)
    seen: dict[tuple[str, str], str] = {}
    lemmas: set[tuple[str, str]] = set()
    for row in rows:
        where = f"{path.name}:{row['_line']}"
        concept, language, term, kind = row["concept"], row["language"], row["term"], row["kind"]
        if not CONCEPT_RE.match(concept):
            report.problem(where, f"concept {concept!r} is not an English snake_case id")
        if language not in LANGUAGES:
            report.problem(where, f"language {language!r} is not one of {LANGUAGES}")
        check_text_value(where, "term", term, report)
        if kind not in REACTION_KINDS:
            report.problem(where, f"kind {kind!r} is not one of {sorted(REACTION_KINDS)}")
        if row["meddra_code"]:
            report.problem(where, "meddra_code must stay empty (no MedDRA content is shipped)")
        key = (language, term)
        if key in seen:
            report.problem(
                where, f"{language} term {term!r} is listed twice (first on line {seen[key]})"
            )
        else:
            seen[key] = row["_line"]
        if kind == "lemma":
            lemmas.add((concept, language))
        terms[(concept, language)].append(term)
    concepts = {concept for concept, _ in terms}
    for concept in sorted(concepts):
        for language in LANGUAGES:
            if (concept, language) not in lemmas:
                report.problem(path.name, f"concept {concept!r} has no {language} lemma")
    if rows and len(concepts) < MINIMUM_CONCEPTS:
        report.problem(path.name, f"{len(concepts)} concepts, at least {MINIMUM_CONCEPTS} expected")
    return terms


def check_cues(path: Path, kinds: set[str], report: Report) -> int:
    rows = read_csv(path, CUE_COLUMNS, report)
    seen: dict[tuple[str, str, str], str] = {}
    for row in rows:
        where = f"{path.name}:{row['_line']}"
        if row["language"] not in LANGUAGES:
            report.problem(where, f"language {row['language']!r} is not one of {LANGUAGES}")
        check_text_value(where, "cue", row["cue"], report)
        if row["kind"] not in kinds:
            report.problem(where, f"kind {row['kind']!r} is not one of {sorted(kinds)}")
        if row["scope"] not in SCOPES:
            report.problem(where, f"scope {row['scope']!r} is not one of {sorted(SCOPES)}")
        key = (row["language"], row["cue"], row["scope"])
        if key in seen:
            report.problem(where, f"{key} is listed twice (first on line {seen[key]})")
        else:
            seen[key] = row["_line"]
    return len(rows)


def check_variants(path: Path, medicines: dict[str, set[str]], report: Report) -> int:
    """Adds the variants to ``medicines`` so that evaluation spans may use them."""
    rows = read_csv(path, VARIANT_COLUMNS, report)
    directory = {slug: {fold(n) for n in names} for slug, names in medicines.items()}
    seen: dict[tuple[str, str, str], str] = {}
    for row in rows:
        where = f"{path.name}:{row['_line']}"
        slug, term = row["medicine"], row["term"]
        if slug not in medicines:
            report.problem(where, f"medicine {slug!r} is not a slug in medicines.csv")
            continue
        if row["language"] not in LANGUAGES:
            report.problem(where, f"language {row['language']!r} is not one of {LANGUAGES}")
        check_text_value(where, "term", term, report)
        if row["kind"] not in VARIANT_KINDS:
            report.problem(where, f"kind {row['kind']!r} is not one of {sorted(VARIANT_KINDS)}")
        key = (slug, row["language"], term)
        if key in seen:
            report.problem(where, f"{key} is listed twice (first on line {seen[key]})")
        seen[key] = row["_line"]
        names = directory[slug]
        if fold(term) in names:
            report.problem(where, f"{term!r} is already a name of {slug} in medicines.csv")
        elif any(fold(term) == n + suffix for n in names for suffix in SWEDISH_SUFFIXES):
            report.warning(where, f"{term!r} is a name of {slug} plus a suffix; not needed")
        medicines[slug].add(term)
    return len(rows)


def warn_overlaps(
    lexicon: dict[tuple[str, str], list[str]], medicines: dict[str, set[str]], report: Report
) -> None:
    """Reaction terms that are also medicine names: the detector will see both."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for slug, names in medicines.items():
        for name in names:
            by_name[fold(name)].append(slug)
    for (concept, language), terms in sorted(lexicon.items()):
        for term in terms:
            slugs = by_name.get(fold(term))
            if slugs:
                report.warning(
                    "reactions.csv",
                    f"{language} term {term!r} ({concept}) is also a name of "
                    f"{', '.join(sorted(set(slugs)))} in medicines.csv",
                )


def as_span(span: object) -> tuple[int, int] | None:
    """``[start, end]`` as a pair of ints, or None when it is not one."""
    if (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(i, int) and not isinstance(i, bool) for i in span)
    ):
        return span[0], span[1]
    return None


def span_text(text: str, span: object, where: str, label: str, report: Report) -> str | None:
    pair = as_span(span)
    if pair is None:
        report.problem(where, f"{label} {span!r} is not [start, end]")
        return None
    start, end = pair
    if not 0 <= start < end <= len(text):
        report.problem(where, f"{label} {list(pair)} is outside the text (length {len(text)})")
        return None
    return text[start:end]


def check_evaluation(
    path: Path,
    lexicon: dict[tuple[str, str], list[str]],
    medicines: dict[str, set[str]],
    report: Report,
) -> list[dict[str, object]]:
    if not path.exists():
        report.problem(path.name, "file is missing")
        return []
    concepts = {concept for concept, _ in lexicon}
    records: list[dict[str, object]] = []
    ids: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            where = f"{path.name}:{number}"
            if not line.strip():
                report.problem(where, "empty line")
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                report.problem(where, f"not JSON: {error}")
                continue
            if not isinstance(record, dict):
                report.problem(where, "not a JSON object")
                continue
            if set(record) != EVALUATION_KEYS:
                report.problem(where, f"keys {sorted(record)}, expected {sorted(EVALUATION_KEYS)}")
                continue
            where = f"{path.name}:{number} ({record['id']})"
            if check_record(record, where, concepts, lexicon, medicines, report):
                records.append(record)
            if record["id"] in ids:
                report.problem(where, f"id repeats line {ids[str(record['id'])]}")
            ids[str(record["id"])] = number
    if len(records) < MINIMUM_SENTENCES:
        report.problem(
            path.name, f"{len(records)} sentences, at least {MINIMUM_SENTENCES} expected"
        )
    return records


def check_record(
    record: dict[str, object],
    where: str,
    concepts: set[str],
    lexicon: dict[tuple[str, str], list[str]],
    medicines: dict[str, set[str]],
    report: Report,
) -> bool:
    """Checks one evaluation line; False when it is too broken to count."""
    language, text, category = record["language"], record["text"], record["category"]
    medicine, reaction, adr = record["medicine"], record["reaction"], record["adr"]
    if language not in LANGUAGES or not isinstance(text, str) or not text:
        report.problem(where, "language must be sv or en and text a non-empty string")
        return False
    if not isinstance(record["id"], str) or not ID_RE.match(record["id"]):
        report.problem(where, "id must look like sv-001")
    elif not record["id"].startswith(f"{language}-"):
        report.problem(where, f"id does not start with its language {language!r}")
    if not isinstance(adr, bool):
        report.problem(where, f"adr {adr!r} is not true or false")
    if category not in CATEGORIES:
        report.problem(where, f"category {category!r} is not one of {sorted(CATEGORIES)}")
    elif category in POSITIVE_CATEGORIES and adr is not True:
        report.problem(where, f"category {category} is a possible ADR: adr must be true")
    elif category in NEGATIVE_CATEGORIES and adr is not False:
        report.problem(where, f"category {category} is not an ADR: adr must be false")
    if adr is True and (medicine is None or reaction is None):
        report.problem(where, "an ADR needs both a medicine and a reaction")
    if medicine is not None and medicine not in medicines:
        report.problem(where, f"medicine {medicine!r} is not a slug in medicines.csv")
    if reaction is not None and reaction not in concepts:
        report.problem(where, f"reaction {reaction!r} is not a concept in reactions.csv")
    if (medicine is None) != (record["medicine_span"] is None):
        report.problem(where, "medicine and medicine_span must both be set or both be null")
    if (reaction is None) != (record["reaction_span"] is None):
        report.problem(where, "reaction and reaction_span must both be set or both be null")

    if isinstance(medicine, str) and medicine in medicines and record["medicine_span"] is not None:
        claimed = span_text(text, record["medicine_span"], where, "medicine_span", report)
        if claimed is not None and not any(starts_word(claimed, n) for n in medicines[medicine]):
            report.problem(where, f"medicine_span {claimed!r} names no form of {medicine}")
    if isinstance(reaction, str) and reaction in concepts and record["reaction_span"] is not None:
        claimed = span_text(text, record["reaction_span"], where, "reaction_span", report)
        languages = LANGUAGES if category == "mixed_language" else (str(language),)
        terms = [t for lang in languages for t in lexicon.get((reaction, lang), [])]
        if claimed is not None and not any(contains_term(claimed, t) for t in terms):
            report.problem(
                where,
                f"reaction_span {claimed!r} contains no {'/'.join(languages)} term of {reaction}",
            )
    medicine_span, reaction_span = (
        as_span(record["medicine_span"]),
        as_span(record["reaction_span"]),
    )
    if medicine_span and reaction_span:
        (m0, m1), (r0, r1) = medicine_span, reaction_span
        if m0 < r1 and r0 < m1:
            report.warning(where, "medicine_span and reaction_span overlap")
    return True


def print_counts(
    lexicon: dict[tuple[str, str], list[str]],
    cue_counts: dict[str, int],
    variants: int,
    records: Iterable[dict[str, object]],
) -> None:
    concepts = {concept for concept, _ in lexicon}
    by_language = Counter[str]()
    for (_, language), terms in lexicon.items():
        by_language[language] += len(terms)
    print(
        f"reactions.csv: {len(concepts)} concepts, {sum(by_language.values())} terms "
        f"(sv {by_language['sv']}, en {by_language['en']})"
    )
    for name, count in cue_counts.items():
        print(f"{name}: {count} cues")
    print(f"medicine_variants.csv: {variants} variants")
    records = list(records)
    table: Counter[tuple[str, str]] = Counter()
    positives: Counter[str] = Counter()
    for record in records:
        table[(str(record["category"]), str(record["language"]))] += 1
        if record["adr"] is True:
            positives[str(record["language"])] += 1
    print(f"evaluation.jsonl: {len(records)} sentences")
    print(f"  {'category':<20}{'sv':>5}{'en':>5}{'all':>6}")
    for category in sorted({c for c, _ in table}):
        sv, en = table[(category, "sv")], table[(category, "en")]
        print(f"  {category:<20}{sv:>5}{en:>5}{sv + en:>6}")
    total = Counter(str(r["language"]) for r in records)
    print(f"  {'all':<20}{total['sv']:>5}{total['en']:>5}{len(records):>6}")
    share = sum(positives.values()) / len(records) if records else 0.0
    print(
        f"  adr true: sv {positives['sv']}, en {positives['en']}, "
        f"{sum(positives.values())} of {len(records)} ({share:.0%})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--medicines", type=Path, default=MEDICINES, help="medicines.csv to check against"
    )
    parser.add_argument("--quiet", action="store_true", help="print problems only, no warnings")
    args = parser.parse_args(argv)

    report = Report()
    medicines = load_medicines(args.medicines, report)
    lexicon = check_reactions(HERE / "reactions.csv", report)
    cue_counts = {name: check_cues(HERE / name, kinds, report) for name, kinds in CUE_FILES.items()}
    variants = check_variants(HERE / "medicine_variants.csv", medicines, report)
    warn_overlaps(lexicon, medicines, report)
    records = check_evaluation(HERE / "evaluation.jsonl", lexicon, medicines, report)

    print_counts(lexicon, cue_counts, variants, records)
    if report.warnings and not args.quiet:
        print(f"\n{len(report.warnings)} warning(s):")
        for warning in report.warnings:
            print(f"  {warning}")
    if report.problems:
        print(f"\n{len(report.problems)} problem(s):")
        for problem in report.problems:
            print(f"  {problem}")
        return 1
    print("\nNo problems.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
