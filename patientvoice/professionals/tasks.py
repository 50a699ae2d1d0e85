"""Work for the worker: asking the registry backends about an application (their
network calls never slow a page down). Arguments are ids only."""

from __future__ import annotations

from django.tasks import task  # type: ignore[import-untyped,unused-ignore]

from . import actions, registries
from .models import RequestStatus, VerificationRequest


@task(queue_name="default")
def check_registries(*, request_id: int) -> None:
    """Ask every enabled registry backend about a waiting request and store the
    answers for the verifier. A request decided or gone meanwhile is left alone."""
    request = VerificationRequest.objects.filter(  # visibility: worker, no reader
        pk=request_id, status=RequestStatus.PENDING
    ).first()
    if request is None:
        return
    results = registries.check_request(request)
    actions.record_registry_results(request=request, results=results)
