from __future__ import annotations

from typing import Any

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context: dict[str, Any], code: str) -> str:
    """The current page in another language (same path under the other prefix)."""
    request = context.get("request")
    if request is None:
        return f"/{code}/"
    url = translate_url(request.get_full_path(), code)
    return url if url.startswith(f"/{code}/") else f"/{code}/"


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def hold_reason(code: str) -> Any:
    """The translated explanation of a stored hold reason code."""
    from patientvoice.core.textchecks import reason_label

    return reason_label(code)
