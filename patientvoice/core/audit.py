"""Writing to the audit log. Every privileged action calls :func:`record`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models

from .models import AuditEntry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from patientvoice.accounts.models import User


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one entry. ``action`` is a dotted verb: ``accounts.mfa_required``."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.handle if actor is not None and actor.pk else "system",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=_target_id(target) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        reason=reason,
        data=data or {},
        ip_address=client_ip(request) if request is not None else None,
    )


def pseudonymise_actor(user_id: int, pseudonym: str) -> int:
    """Replace an erased person's handle in the log; the entries themselves stay (law)."""
    return models.QuerySet.update(
        AuditEntry.objects.filter(actor_id=user_id), actor_label=pseudonym, ip_address=None
    )


def pseudonymise_target(target: models.Model, pseudonym: str) -> int:
    """Replace the label (an erased person's handle) of entries about ``target``;
    otherwise a row would link the pseudonym to the handle."""
    entries = AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=_target_id(target)
    )
    return models.QuerySet.update(entries, target_label=pseudonym, target_id=pseudonym[:64])


def _target_id(target: models.Model) -> str:
    return str(getattr(target, "public_id", None) or getattr(target, "pk", "") or "")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind PV_TRUSTED_PROXY_COUNT proxies, the address the
    outermost trusted proxy saw (X-Forwarded-For), as the rate limits use."""
    proxies = settings.PV_TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
        if addresses:
            return str(addresses[-min(proxies, len(addresses))])
    return request.META.get("REMOTE_ADDR") or None
