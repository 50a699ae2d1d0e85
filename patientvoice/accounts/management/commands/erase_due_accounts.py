"""Erase accounts whose grace period has passed (run daily by cron, hourly by make run)."""

from typing import Any

from django.core.management.base import BaseCommand

from patientvoice.accounts.actions import erase_due_accounts


class Command(BaseCommand):
    help = "Erase every account whose deletion grace period has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = erase_due_accounts()
        if options["verbosity"] > 0:
            self.stdout.write(f"Erased {erased} account(s).")
