"""End expired credentials and remind holders a month before (hourly from make run,
daily or hourly from cron in production; decisions/0033)."""

from typing import Any

from django.core.management.base import BaseCommand

from patientvoice.professionals.actions import expire_credentials, warn_expiring_credentials


class Command(BaseCommand):
    help = (
        "End every professional credential past its expiry (group left, holder told, "
        "audited) and tell holders once, 30 days ahead, to re-confirm."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        ended = expire_credentials()
        warned = warn_expiring_credentials()
        if options["verbosity"] > 0:
            self.stdout.write(f"Ended {ended} expired credential(s); reminded {warned} holder(s).")
