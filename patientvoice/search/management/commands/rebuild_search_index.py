"""``manage.py rebuild_search_index``: make the search index equal to the content."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from patientvoice.search.indexing import BATCH_SIZE, RebuildCounts, rebuild
from patientvoice.search.registry import kinds


class Command(BaseCommand):
    help = (
        "Index every searchable piece of content and remove rows of content that is gone "
        "or hidden, in batches (one transaction each). Safe to run again at any time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument(
            "--kind",
            action="append",
            choices=sorted(kinds()),
            help="Rebuild only this kind (may be given more than once); every kind by default.",
        )

    def handle(self, *args: Any, batch_size: int, kind: list[str] | None, **options: Any) -> None:
        verbose = options["verbosity"] >= 2

        def progress(counts: RebuildCounts) -> None:
            if verbose:
                self.stdout.write(f"  {counts.kind}: {counts.indexed} indexed so far")

        for counts in rebuild(batch_size=max(1, batch_size), progress=progress, labels=kind):
            self.stdout.write(f"{counts.kind}: {counts.indexed} indexed, {counts.removed} removed")
