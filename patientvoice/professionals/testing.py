"""Where a verification request can be seen, for the visibility test helper
(core/testing/visibility.py): the verifiers' queue and the API lists. None is
exhaustive (an applicant does not see the queue, a verifier does not see others'
requests in "my requests"), so they guard ``assert_cannot_see`` only. The verifier's
detail page answers 403 to everyone who is not a verifier, whatever the address, so
it gives nothing away and is not listed as a detail surface (which expects 404)."""

from __future__ import annotations

from patientvoice.communities.models import Thread
from patientvoice.core.testing.visibility import ListSurface, public_id_and, register

from .models import VerificationRequest

_MARKERS = public_id_and(whole=["licence_number"])
# A visitor is sent to log in (302): that says nothing about any request.
_REFUSED = frozenset({200, 302, 401, 403, 404})

register(
    VerificationRequest,
    ListSurface(
        "professionals.queue",
        url=lambda r: "/sv/professionals/verify/",
        markers=_MARKERS,
        exhaustive=False,
        hidden_statuses=_REFUSED,
    ),
    ListSurface(
        "professionals.api_my_requests",
        url=lambda r: "/api/v1/professionals/me/requests",
        markers=_MARKERS,
        exhaustive=False,
        hidden_statuses=_REFUSED,
    ),
    ListSurface(
        "professionals.api_queue",
        url=lambda r: "/api/v1/professionals/verification-requests",
        markers=_MARKERS,
        exhaustive=False,
        hidden_statuses=_REFUSED,
    ),
)

# The professionals' queue of questions (decisions/0037) lists threads: a professional
# must never find there a thread they may not read. Everyone who is not an acting
# professional gets 403 (or is sent to log in), which shows nothing; "all fields" so that
# a thread in any field is listed to a professional who may read it. Not exhaustive:
# only threads marked as questions are listed.
register(
    Thread,
    ListSurface(
        "professionals.questions",
        url=lambda t: "/sv/professionals/questions/?fields=all",
        markers=public_id_and(whole=["title"]),
        exhaustive=False,
        hidden_statuses=_REFUSED,
    ),
)
