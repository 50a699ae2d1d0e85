"""``{% entry_voice entry as voice %}``: who speaks for a physician's or clinic's page
and the reader's own claim (``provider_queries.entry_voice``: one query per page)."""

from __future__ import annotations

from typing import Any

from django import template

from patientvoice.reviews.provider_queries import EntryVoice, entry_voice

register = template.Library()


@register.simple_tag(takes_context=True)
def entry_voice_for(context: template.Context, entry: Any) -> EntryVoice | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if entry is None:
        return None
    return entry_voice(user, entry)
