"""A task backend for browser journeys: runs a task at once, as the test settings'
ImmediateBackend does, but holds a task scheduled for later (``run_after``) the way a
real queue would until its time comes.

The journeys need this because deleting an account schedules the erasure a grace
period ahead, which ImmediateBackend refuses ("Backend does not support run_after").
"""

from __future__ import annotations

from typing import Any

from django.tasks import TaskResult, TaskResultStatus  # type: ignore[import-untyped,unused-ignore]
from django.tasks.backends.immediate import (  # type: ignore[import-untyped,unused-ignore]
    ImmediateBackend,
)
from django.utils import timezone
from django.utils.crypto import get_random_string


class ImmediateOrHeldBackend(ImmediateBackend):  # type: ignore[misc,unused-ignore]
    supports_defer = True

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.held: list[Any] = []

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        if task.run_after is None or task.run_after <= timezone.now():
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        result: Any = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        self.held.append(result)
        return result
