"""Recompute every rating summary from the published reviews (repair; decisions/0031)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from patientvoice.reviews.aggregates import rebuild_all


class Command(BaseCommand):
    help = "Recompute every rating summary from the published reviews."

    def handle(self, *args: Any, **options: Any) -> None:
        written = rebuild_all()
        self.stdout.write(f"{written} rating summaries rebuilt.")
