"""``manage.py import_physicians FILE.csv``: load physicians (and other named
professionals) from a CSV file. Import their clinics first.

Behaves as ``import_medicines`` (idempotent by slug, rejected rows with line and
reason, progress every 1,000 rows, a summary, exit status 1 on wrong columns or
rejected rows). A row naming a clinic slug that does not exist is rejected.

Columns: ``slug, name, profession`` (physician, nurse, midwife, psychologist,
physiotherapist, occupational_therapist, dentist, pharmacist, dietitian, counsellor,
other); optional ``specialty``, ``workplaces`` (clinic slugs, ``|``-separated; they
replace the physician's workplaces), ``licence_id``. See
``directory/importing_providers.py``.
"""

from __future__ import annotations

from typing import Any

from patientvoice.directory.actions import ImportResult, Progress, import_physicians
from patientvoice.directory.import_command import ImportCommand
from patientvoice.directory.importing_providers import (
    PhysicianRow,
    parse_physicians,
    reject_unknown_workplaces,
)
from patientvoice.directory.importing_records import Parsed
from patientvoice.directory.models import Clinic


class Command(ImportCommand):
    help = (
        "Import physicians from a CSV file (idempotent by slug; import clinics first). "
        "Columns: slug, name, profession (physician, nurse, midwife, psychologist, "
        "physiotherapist, occupational_therapist, dentist, pharmacist, dietitian, "
        "counsellor, other); optional: specialty, workplaces (|-separated clinic slugs), "
        "licence_id."
    )
    label = "Physicians"

    def parse(self, text: str) -> Parsed[Any]:
        parsed = parse_physicians(text)
        # Every slug (not an IN list of the named ones: a large file would pass
        # SQLite's limit on query parameters).
        known = set(Clinic.objects.values_list("slug", flat=True))
        return reject_unknown_workplaces(parsed, known)

    def write(self, rows: list[PhysicianRow], progress: Progress | None) -> ImportResult:
        return import_physicians(rows=rows, progress=progress)
