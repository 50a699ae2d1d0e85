"""The data export (GDPR art. 15 and 20): every app registers what it holds about a person.

An exporter is ``fn(user) -> JSON-serialisable`` and declares the models it covers.
A test walks every model with a relation to the user model and fails when one is not
covered by an exporter or listed in :data:`NOT_EXPORTED` with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import models
from django.utils import timezone

Exporter = Callable[[Any], Any]


@dataclass(frozen=True)
class RegisteredExporter:
    key: str
    fn: Exporter
    models: tuple[str, ...]  # "app_label.ModelName", lower-cased


_EXPORTERS: dict[str, RegisteredExporter] = {}

# Models that reference a user but hold nothing that is theirs to take away.
NOT_EXPORTED: dict[str, str] = {
    "accounts.user_groups": "covered by the account section",
    "accounts.user_user_permissions": "covered by the account section",
}


def register_exporter(key: str, *, models: list[str]) -> Callable[[Exporter], Exporter]:
    def decorator(fn: Exporter) -> Exporter:
        _EXPORTERS[key] = RegisteredExporter(key, fn, tuple(m.lower() for m in models))
        return fn

    return decorator


def exporters() -> dict[str, RegisteredExporter]:
    return dict(_EXPORTERS)


def covered_models() -> set[str]:
    return {model for e in _EXPORTERS.values() for model in e.models}


def build_export(user: Any) -> dict[str, Any]:
    """The whole archive for ``user``, one section per exporter, keys sorted."""
    archive: dict[str, Any] = {
        "format": "patientvoice-export",
        "format_version": 1,
        "generated_at": timezone.now().isoformat(),
    }
    for key in sorted(_EXPORTERS):
        archive[key] = _EXPORTERS[key].fn(user)
    return archive


def rows(qs: models.QuerySet[Any], *fields: str) -> list[dict[str, Any]]:
    """Plain dictionaries for the archive: datetimes as ISO text, identifiers as text."""
    return [{k: _plain(v) for k, v in values.items()} for values in qs.values(*fields)]


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value
