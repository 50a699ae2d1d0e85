"""Remind the safety officers of cases whose deadline is near (hourly from make run's
housekeeping, or cron in production; decisions/0036)."""

from typing import Any

from django.core.management.base import BaseCommand

from patientvoice.safety.actions import escalate_due_cases


class Command(BaseCommand):
    help = (
        "E-mail every safety officer about open safety cases due within one of the days "
        "in PV_SAFETY_ESCALATE_DAYS (default 7,3,1); each case once per day listed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        escalated = escalate_due_cases()
        if options["verbosity"] > 0:
            self.stdout.write(f"Reminded the safety officers of {escalated} case(s).")
