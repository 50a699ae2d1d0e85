"""Registry backends: automatic checks of an application against a public register.

A backend is any class with a ``name`` and ``check(request) -> RegistryResult | None``
(:class:`RegistryBackend`); ``None`` means "not mine" (another country, another
profession). A backend may also say, without asking anyone, which applications it
can answer for: ``covers(request) -> bool`` (a backend without it is taken to cover
every application). :func:`backends_for` uses it, so the verifier's page offers "ask
the registers again" only when some register could answer.
``settings.PV_PROFESSIONAL_REGISTRIES`` lists the enabled ones by dotted path; the
default is none. After an application is sent, the task
``tasks.check_registries`` runs them in the worker (never in the request) and stores
their answers on the request (``actions.record_registry_results``); verifiers see them
beside the evidence and can ask again. A result is advice to the verifier, never a
decision: a verifier still approves or rejects.

No backend ships. None can be tested for real from here, and the ones that exist need
an agreement:

* **Sweden: HOSP** (Socialstyrelsen's register of licensed health care personnel,
  "Hälso- och sjukvårdspersonalregistret"). Employers and some others may query it
  under an agreement with Socialstyrelsen; the agreement gives access to a web service
  (or the e-service "Legitimerad yrkesutövare") answering, for a personal identity
  number or a name and date of birth, the person's licences (``Legitimation``, by the
  Swedish titles in :data:`models.SWEDISH_TITLES`), specialist certificates and any
  restriction or revocation. A backend would: map ``request.profession`` to the title,
  ask by ``request.real_name`` and ``request.licence_number`` (HOSP's
  "legitimationsnummer"), and answer ``RegistryResult(found=…, matches=…)`` with the
  licence date and specialties in ``details``. Its address, certificate and
  credentials would come from settings (``PV_HOSP_URL``, ``PV_HOSP_CERT``), with a
  short timeout, and it would return a result with ``error`` set when the register
  does not answer, so the verifier knows to check by hand.
* **Other countries**: many publish a register that anyone may search (Norway's
  Helsepersonellregisteret, Denmark's Autorisationsregister, the UK's GMC and NMC
  registers); a backend answers only for its ``request.country``.

Tests define a backend in the tests (``tests/test_registries.py``) and enable it
through the setting.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from .models import VerificationRequest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RegistryResult:
    """One register's answer about one application, shown to the verifier."""

    registry: str
    # The register knows a licence by this number (or name and profession).
    found: bool
    # The register's name and profession agree with the application; ``None`` when
    # the register cannot say.
    matches: bool | None = None
    # What the register says, in a line (for instance the licence date, a restriction).
    summary: str = ""
    # Where the verifier can look it up themselves.
    url: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    # The register did not answer (timeout, refusal): check by hand.
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["checked_at"] = timezone.now().isoformat()
        return data


class RegistryBackend(Protocol):
    """A register that may know the applicant."""

    name: str

    def check(self, request: VerificationRequest) -> RegistryResult | None: ...


def enabled_backends() -> list[RegistryBackend]:
    """Instances of the backends ``PV_PROFESSIONAL_REGISTRIES`` names."""
    return [import_string(path)() for path in settings.PV_PROFESSIONAL_REGISTRIES]


def covers(backend: RegistryBackend, request: VerificationRequest) -> bool:
    """Whether ``backend`` may answer for ``request`` (its optional ``covers``)."""
    method = getattr(backend, "covers", None)
    if method is None:
        return True
    try:
        return bool(method(request))
    except Exception:
        # Let check_request ask it and report the failure to the verifier.
        logger.exception("Registry backend %s failed to say what it covers", backend.name)
        return True


def backends_for(request: VerificationRequest) -> list[RegistryBackend]:
    """The enabled backends that may answer for ``request``'s country and profession
    (none by default: then only a verifier's own check is possible)."""
    return [backend for backend in enabled_backends() if covers(backend, request)]


def check_request(request: VerificationRequest) -> list[RegistryResult]:
    """Ask every enabled backend that covers ``request``. A backend that fails gives
    a result with ``error`` set, so the verifier sees it was not checked; the others
    still answer."""
    results: list[RegistryResult] = []
    for backend in backends_for(request):
        try:
            result = backend.check(request)
        except Exception as exc:
            logger.exception("Registry backend %s failed", getattr(backend, "name", backend))
            result = RegistryResult(
                registry=str(getattr(backend, "name", type(backend).__name__)),
                found=False,
                error=type(exc).__name__,
            )
        if result is not None:
            results.append(result)
    return results
