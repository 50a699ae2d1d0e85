"""Work for the worker: the safety officers' deadline reminders, for deployments that
schedule tasks rather than commands (``manage.py escalate_safety_cases`` runs the same
action hourly from make run's housekeeping)."""

from __future__ import annotations

from django.tasks import task  # type: ignore[import-untyped,unused-ignore]

from . import actions


@task(queue_name="default")
def escalate_due_cases() -> int:
    return actions.escalate_due_cases()
