"""Reading a medicines file: the starter set (``data/medicines.csv``) or a full
catalogue. Pure parsing, no database: the ``import_medicines`` command and the data
migration ``0004_starter_medicines`` read files through :func:`parse_medicines`.

Columns (UTF-8, comma-separated, a header row; lists are ``|``-separated):

=============  ========  ==========================================================
column         required  content
=============  ========  ==========================================================
slug           yes       lowercase letters, digits and hyphens: ``paracetamol``
inn_en         yes       the English INN: ``Paracetamol``
name_sv        yes       the Swedish substance name: ``Paracetamol``
brands_sv      yes       Swedish brand names: ``Alvedon|Panodil`` (may be empty)
synonyms_sv    yes       Swedish spellings and everyday names (may be empty)
synonyms_en    yes       English spellings and everyday names (may be empty)
prescription   yes       ``rx``, ``otc`` or ``mixed``
forms          yes       from tablet, capsule, oral-solution, injection, inhaler,
                         nasal-spray, eye-drops, cream, patch, suppository, other
atc_code       no        ``N02BE01`` (letters are upper-cased)
strength       no        free text: ``500 mg``
fass_url       no        an http(s) address on FASS
leaflet_url    no        an http(s) address of the package leaflet
=============  ========  ==========================================================
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .importing_records import (
    Parsed,
    length_problem,
    parse_rows,
    slug_problem,
    split_list,
    url_problem,
)
from .models import ATC_PATTERN, MedicineForm, Prescription

# Read at call time (not bound at import) so a test can point the migration elsewhere.
STARTER_FILE = Path(__file__).resolve().parent / "data" / "medicines.csv"
COLUMNS = (
    "slug", "inn_en", "name_sv", "brands_sv", "synonyms_sv", "synonyms_en", "prescription", "forms",
)  # fmt: skip
OPTIONAL_COLUMNS = ("atc_code", "strength", "fass_url", "leaflet_url")
ATC_RE = re.compile(ATC_PATTERN)
MAX_NAME = 200


@dataclass(frozen=True)
class MedicineRow:
    line: int
    slug: str
    inn_en: str
    name_sv: str
    prescription: str
    brands_sv: list[str] = field(default_factory=list)
    synonyms_sv: list[str] = field(default_factory=list)
    synonyms_en: list[str] = field(default_factory=list)
    forms: list[str] = field(default_factory=list)
    atc_code: str = ""
    strength: str = ""
    fass_url: str = ""
    leaflet_url: str = ""

    def fields(self) -> dict[str, object]:
        """The model fields, without the slug (the key)."""
        return {
            "inn_en": self.inn_en,
            "name_sv": self.name_sv,
            "brands_sv": self.brands_sv,
            "synonyms_sv": self.synonyms_sv,
            "synonyms_en": self.synonyms_en,
            "prescription": self.prescription,
            "forms": self.forms,
            "atc_code": self.atc_code,
            "strength": self.strength,
            "fass_url": self.fass_url,
            "leaflet_url": self.leaflet_url,
        }


def _build(line: int, values: dict[str, str]) -> MedicineRow | str:
    """The row, or why it cannot be imported (in English, for the operator)."""
    problem = slug_problem(values["slug"])
    if problem:
        return problem
    for column in ("inn_en", "name_sv"):
        if not values[column]:
            return f"{column} is empty"
    problem = length_problem(
        values, {"inn_en": MAX_NAME, "name_sv": MAX_NAME, "strength": MAX_NAME}
    )
    if problem:
        return problem
    if values["prescription"] not in Prescription.values:
        allowed = ", ".join(Prescription.values)
        return f"prescription {values['prescription']!r} is not one of {allowed}"
    forms = split_list(values["forms"])
    unknown = [f for f in forms if f not in MedicineForm.values]
    if unknown:
        return f"forms {', '.join(map(repr, unknown))} not in {', '.join(MedicineForm.values)}"
    atc_code = values["atc_code"].upper()
    if atc_code and not ATC_RE.match(atc_code):
        return f"atc_code {values['atc_code']!r} is not an ATC code such as N02BE01"
    lists = {c: split_list(values[c]) for c in ("brands_sv", "synonyms_sv", "synonyms_en")}
    if any(len(name) > MAX_NAME for names in lists.values() for name in names):
        return f"a brand name or synonym is longer than {MAX_NAME} characters"
    for column in ("fass_url", "leaflet_url"):
        problem = url_problem(column, values[column])
        if problem:
            return problem
    return MedicineRow(
        line=line,
        slug=values["slug"],
        inn_en=values["inn_en"],
        name_sv=values["name_sv"],
        prescription=values["prescription"],
        forms=forms,
        atc_code=atc_code,
        strength=values["strength"],
        fass_url=values["fass_url"],
        leaflet_url=values["leaflet_url"],
        **lists,
    )


def parse_medicines(text: str) -> Parsed[MedicineRow]:
    """Check every row of the file's text. Raises ``ImportFileError`` when the header
    lacks a column or has an unknown one; otherwise returns the good rows and, for each
    bad one, its line number and why. A slug seen twice keeps its first row."""
    return parse_rows(text, required=COLUMNS, optional=OPTIONAL_COLUMNS, build=_build)


def read_medicines_file(path: Path | None = None) -> Parsed[MedicineRow]:
    return parse_medicines((path or STARTER_FILE).read_text(encoding="utf-8"))
