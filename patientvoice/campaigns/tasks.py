"""Background work for campaigns: a submission's responsive sizes and poster frame."""

from __future__ import annotations

from django.tasks import task  # type: ignore[import-untyped,unused-ignore]


@task(queue_name="default")
def prepare_submission_media(submission_id: int) -> None:
    from .actions import prepare_media

    prepare_media(submission_id)
