"""What the ``import_medicines``, ``import_clinics`` and ``import_physicians``
commands share: read the file, report rejected rows with their line and reason,
write in batches with a progress line, and summarise.

Exit status 1 (``CommandError``) when the file cannot be read or its columns are
wrong (nothing is imported), and, as ``import_conditions`` does, when some rows were
rejected (the good rows are in; a script learns that some were not).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from .actions import BATCH_SIZE, ImportResult, Progress
from .importing_records import ImportFileError, Parsed


class ProgressLine:
    """``Medicines: 3000/12000 rows (25%), about 40 s left`` on stderr after each batch
    of a long import (no dependency; a plain line, so logs of cron jobs read well)."""

    def __init__(self, label: str, write: Callable[[str], Any]) -> None:
        self.label = label
        self.write = write
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        left = elapsed / done * (total - done) if done else 0.0
        self.write(
            f"{self.label}: {done}/{total} rows ({done * 100 // max(total, 1)}%), "
            f"about {left:.0f} s left"
        )


class ImportCommand(BaseCommand):
    """Subclasses name the entries (``label``) and implement :meth:`parse` and
    :meth:`write`."""

    label = "Entries"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="CSV file (UTF-8, comma-separated, a header row).")

    def parse(self, text: str) -> Parsed[Any]:
        raise NotImplementedError

    def write(self, rows: list[Any], progress: Progress | None) -> ImportResult:
        raise NotImplementedError

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        path = Path(file)
        try:
            parsed = self.parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the file ({exc})") from exc
        except ImportFileError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        for rejected in parsed.rejected:
            self.stderr.write(f"{path}, {rejected}")
        long = len(parsed.rows) > BATCH_SIZE
        progress = ProgressLine(self.label, self.stderr.write) if long else None
        result = self.write(parsed.rows, progress)
        self.stdout.write(
            f"{self.label}: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged, {len(parsed.rejected)} rejected."
        )
        if parsed.rejected:
            raise CommandError(f"{len(parsed.rejected)} rows were rejected (listed above).")
