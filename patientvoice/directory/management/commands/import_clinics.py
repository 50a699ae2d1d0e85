"""``manage.py import_clinics FILE.csv``: load clinics from a CSV file.

Behaves as ``import_medicines`` (idempotent by slug, rejected rows with line and
reason, progress every 1,000 rows, a summary, exit status 1 on wrong columns or
rejected rows).

Columns: ``slug, name, kind`` (primary_care, hospital_department, specialist, dental,
pharmacy, psychiatry, rehabilitation, other), ``region`` (one of the 21 regions:
stockholm, uppsala, sormland, ostergotland, jonkoping, kronoberg, kalmar, gotland,
blekinge, skane, halland, vastra_gotaland, varmland, orebro, vastmanland, dalarna,
gavleborg, vasternorrland, jamtland_harjedalen, vasterbotten, norrbotten),
``municipality``; optional ``address``, ``postcode`` (112 34), ``website``, ``hsa_id``
(SE2321000016-ABCD). See ``directory/importing_providers.py``.
"""

from __future__ import annotations

from typing import Any

from patientvoice.directory.actions import ImportResult, Progress, import_clinics
from patientvoice.directory.import_command import ImportCommand
from patientvoice.directory.importing_providers import ClinicRow, parse_clinics
from patientvoice.directory.importing_records import Parsed


class Command(ImportCommand):
    help = (
        "Import clinics from a CSV file (idempotent by slug). Columns: slug, name, kind "
        "(primary_care, hospital_department, specialist, dental, pharmacy, psychiatry, "
        "rehabilitation, other), region (stockholm, uppsala, sormland, ..., norrbotten), "
        "municipality; optional: address, postcode, website, hsa_id."
    )
    label = "Clinics"

    def parse(self, text: str) -> Parsed[Any]:
        return parse_clinics(text)

    def write(self, rows: list[ClinicRow], progress: Progress | None) -> ImportResult:
        return import_clinics(rows=rows, progress=progress)
