from __future__ import annotations

from typing import Any

from patientvoice.accounts.exporting import register_exporter, rows

from .models import PersonalAccessToken


@register_exporter("api_tokens", models=["api.PersonalAccessToken"])
def export_tokens(user: Any) -> list[dict[str, Any]]:
    return rows(
        PersonalAccessToken.objects.filter(user=user),
        "name", "prefix", "scope", "created_at", "last_used_at", "expires_at", "revoked_at",
    )  # fmt: skip
