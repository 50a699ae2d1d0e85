"""``manage.py import_medicines FILE.csv``: load medicines from a CSV file, the
starter set (``directory/data/medicines.csv``) or a full catalogue.

Idempotent: rows are matched by slug and updated; medicines missing from the file are
left alone. Rejected rows are listed with their line and reason; a long import shows a
progress line every 1,000 rows; the summary counts created, updated, unchanged and
rejected rows. Exit status 1 when the columns are wrong (nothing imported) or rows
were rejected.

Columns (lists ``|``-separated): ``slug, inn_en, name_sv, brands_sv, synonyms_sv,
synonyms_en, prescription`` (rx, otc, mixed), ``forms`` (tablet, capsule,
oral-solution, injection, inhaler, nasal-spray, eye-drops, cream, patch, suppository,
other); optional ``atc_code`` (N02BE01), ``strength``, ``fass_url``, ``leaflet_url``.
See ``directory/importing_medicines.py``.
"""

from __future__ import annotations

from typing import Any

from patientvoice.directory.actions import ImportResult, Progress, import_medicines
from patientvoice.directory.import_command import ImportCommand
from patientvoice.directory.importing_medicines import MedicineRow, parse_medicines
from patientvoice.directory.importing_records import Parsed


class Command(ImportCommand):
    help = (
        "Import medicines from a CSV file (idempotent by slug). Columns: slug, inn_en, "
        "name_sv, brands_sv, synonyms_sv, synonyms_en, prescription (rx|otc|mixed), forms "
        "(tablet, capsule, oral-solution, injection, inhaler, nasal-spray, eye-drops, "
        "cream, patch, suppository, other); optional: atc_code, strength, fass_url, "
        "leaflet_url. Lists are |-separated."
    )
    label = "Medicines"

    def parse(self, text: str) -> Parsed[Any]:
        return parse_medicines(text)

    def write(self, rows: list[MedicineRow], progress: Progress | None) -> ImportResult:
        return import_medicines(rows=rows, progress=progress)
