"""Queue the daily e-mail summaries that are due. Run hourly (make run's housekeeping,
cron in production): each person gets at most one a day, from 08:00. Each summary is
claimed (a conditional update of ``last_digest_at``) before it is queued, so two runs
at once, or a run while a slow worker is still sending, never queue one twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from patientvoice.notifications.actions import claim_digest
from patientvoice.notifications.queries import digests_due
from patientvoice.notifications.tasks import send_digest


class Command(BaseCommand):
    help = "Queue the daily notification e-mails that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        queued = 0
        for user_id in digests_due(now):
            if claim_digest(user_id=user_id, now=now):
                send_digest.enqueue(user_id=user_id)
                queued += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"Queued {queued} daily summaries.")
