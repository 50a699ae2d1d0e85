"""``manage.py import_conditions [FILE]``: load conditions from a CSV file (by default
the starter set shipped in ``directory/data/conditions.csv``). Idempotent: rows are
matched by slug and updated; rejected rows are listed with their line and reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from patientvoice.directory.actions import import_conditions
from patientvoice.directory.importing import (
    SHIPPED_FILE,
    ConditionFileError,
    parse_conditions,
)


class Command(BaseCommand):
    help = "Import conditions from a CSV file (default: the shipped starter set)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", nargs="?", default=str(SHIPPED_FILE), help="CSV file (UTF-8).")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        path = Path(file)
        try:
            parsed = parse_conditions(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the file ({exc})") from exc
        except ConditionFileError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        result = import_conditions(rows=parsed.rows)
        for rejected in parsed.rejected:
            self.stderr.write(f"{path}, {rejected}")
        self.stdout.write(
            f"Conditions: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {len(parsed.rejected)} rejected."
        )
        if parsed.rejected:
            # The good rows are in; the exit status tells a script that some were not.
            raise CommandError(f"{len(parsed.rejected)} rows were rejected (listed above).")
