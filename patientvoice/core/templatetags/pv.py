from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.urls import translate_url
from django.utils.encoding import escape_uri_path, iri_to_uri
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context: dict[str, Any], code: str) -> str:
    """The current page in another language (same path under the other prefix)."""
    request = context.get("request")
    if request is None:
        return f"/{code}/"
    path = escape_uri_path(request.path)
    url = _path_in(path, code, get_language()) if len(path) <= 512 else _translated(path, code)
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{iri_to_uri(query)}" if query and url != f"/{code}/" else url


def _translated(path: str, code: str) -> str:
    url = translate_url(path, code)
    return url if url.startswith(f"/{code}/") else f"/{code}/"


@lru_cache(maxsize=4096)
def _path_in(path: str, code: str, current: str | None) -> str:
    """``path`` in language ``code``: resolving and reversing costs every page's header
    ~0.2 ms, and the answer depends only on the URL configuration (and the language
    the path was resolved in)."""
    return _translated(path, code)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def hold_reason(code: str) -> Any:
    """The translated explanation of a stored hold reason code."""
    from patientvoice.core.textchecks import reason_label

    return reason_label(code)


@register.simple_tag
def error_summary(form: Any) -> list[tuple[str, str]]:
    """``{% error_summary form as lines %}``: the lines of a refused form's summary."""
    from patientvoice.core.formrendering import error_summary_lines

    return error_summary_lines(form)
