"""Reading the conditions file (``data/conditions.csv``): rows in, checked rows out.

Pure parsing, no database: the ``import_conditions`` command and the data migration
both read the file through :func:`parse_conditions`, then write what it accepted.

Columns: ``slug, icd10, category, name_sv, name_en, synonyms_sv, synonyms_en``;
synonyms are separated by ``|``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .models import ICD10_PATTERN, ConditionCategory

SHIPPED_FILE = Path(__file__).resolve().parent / "data" / "conditions.csv"
COLUMNS = ("slug", "icd10", "category", "name_sv", "name_en", "synonyms_sv", "synonyms_en")
SYNONYM_SEPARATOR = "|"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ICD10_RE = re.compile(ICD10_PATTERN)
MAX_SLUG = 80
MAX_NAME = 120


class ConditionFileError(ValueError):
    """The file as a whole cannot be read (wrong columns); no row is imported."""


@dataclass(frozen=True)
class ConditionRow:
    line: int
    slug: str
    icd10: str
    category: str
    name_sv: str
    name_en: str
    synonyms_sv: list[str] = field(default_factory=list)
    synonyms_en: list[str] = field(default_factory=list)

    def fields(self) -> dict[str, object]:
        """The model fields, without the slug (the key)."""
        return {
            "icd10": self.icd10,
            "category": self.category,
            "name_sv": self.name_sv,
            "name_en": self.name_en,
            "synonyms_sv": self.synonyms_sv,
            "synonyms_en": self.synonyms_en,
        }


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class ParsedFile:
    rows: list[ConditionRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)


def _synonyms(value: str) -> list[str]:
    found = (s.strip() for s in value.split(SYNONYM_SEPARATOR))
    return list(dict.fromkeys(s for s in found if s))


def _problem(values: dict[str, str], synonyms: list[str]) -> str | None:
    """Why a row cannot be imported, or ``None``. Reasons are for the operator running
    the command (English, like other command output)."""
    slug = values["slug"]
    if not slug:
        return "slug is empty"
    if len(slug) > MAX_SLUG or not SLUG_RE.match(slug):
        return f"slug {slug!r} is not lowercase letters, digits and hyphens (at most {MAX_SLUG})"
    for column in ("name_sv", "name_en"):
        if not values[column]:
            return f"{column} is empty"
        if len(values[column]) > MAX_NAME:
            return f"{column} is longer than {MAX_NAME} characters"
    if values["category"] not in ConditionCategory.values:
        return (
            f"category {values['category']!r} is not one of {', '.join(ConditionCategory.values)}"
        )
    if values["icd10"] and not ICD10_RE.match(values["icd10"]):
        return f"icd10 {values['icd10']!r} is not an ICD-10 code such as E10 or K90.0"
    if any(len(s) > MAX_NAME for s in synonyms):
        return f"a synonym is longer than {MAX_NAME} characters"
    return None


def parse_conditions(text: str) -> ParsedFile:
    """Check every row of the file's text. Raises :class:`ConditionFileError` when the
    file is empty or its header lacks a column; otherwise returns the good rows and,
    for each bad one, its line number (as an editor counts them) and why it was
    rejected. A slug seen twice keeps its first row; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = [column.strip() for column in next(reader, [])]
    if not header:
        raise ConditionFileError("the file is empty")
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ConditionFileError(f"the header lacks the columns {', '.join(missing)}")
    parsed = ParsedFile()
    first_line: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            reason = f"{len(record)} columns, expected {len(header)}"
            parsed.rejected.append(RejectedRow(line, reason))
            continue
        values = {column: cell.strip() for column, cell in zip(header, record, strict=True)}
        values["icd10"] = values["icd10"].upper()
        synonyms_sv = _synonyms(values["synonyms_sv"])
        synonyms_en = _synonyms(values["synonyms_en"])
        problem = _problem(values, synonyms_sv + synonyms_en)
        if problem is None and values["slug"] in first_line:
            problem = f"slug {values['slug']!r} is already on line {first_line[values['slug']]}"
        if problem is not None:
            parsed.rejected.append(RejectedRow(line, problem))
            continue
        first_line[values["slug"]] = line
        parsed.rows.append(
            ConditionRow(
                line=line,
                slug=values["slug"],
                icd10=values["icd10"],
                category=values["category"],
                name_sv=values["name_sv"],
                name_en=values["name_en"],
                synonyms_sv=synonyms_sv,
                synonyms_en=synonyms_en,
            )
        )
    return parsed


def read_conditions_file(path: Path = SHIPPED_FILE) -> ParsedFile:
    return parse_conditions(path.read_text(encoding="utf-8"))
