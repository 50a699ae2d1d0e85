"""``{% load notifications %}``: the follow button and the header's unread count.

Both read through the cache (``queries``): zero queries on a warm cache, so the
thread page, the hot page, pays nothing for them (decisions/0022)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.urls import reverse
from django.utils import translation

from patientvoice.communities.models import Community, Thread

from ..queries import header_unread_count, is_following

register = template.Library()


@lru_cache(maxsize=8)
def follow_url(language: str) -> str:
    """The follow endpoint in ``language``, looked up once per language: the thread
    page keeps its URL lookups few (no ``reverse()`` per page for this button)."""
    with translation.override(language):
        return reverse("notifications:follow")


@register.inclusion_tag("notifications/follow_button.html", takes_context=True)
def follow_button(context: template.Context, target: Thread | Community) -> dict[str, Any]:
    """``{% follow_button thread %}`` or ``{% follow_button community %}``: a form that
    follows or stops following. Renders nothing for a visitor. Place it only where the
    person may read ``target`` (the view that follows checks again)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"hidden": True}
    return {
        "language": translation.get_language(),
        "kind": "thread" if isinstance(target, Thread) else "community",
        "target": target,
        "following": is_following(user, target),
        "next_url": request.get_full_path() if request is not None else "",
        "follow_url": follow_url(translation.get_language() or "sv"),
    }


@register.simple_tag(takes_context=True)
def unread_notification_count(context: template.Context) -> int:
    """``{% unread_notification_count as unread %}`` for the header."""
    request = context.get("request")
    # A page that read the count with its own row (thread_for_page) shows that one.
    known = getattr(request, "header_unread", None)
    if known is not None:
        return int(known)
    return header_unread_count(getattr(request, "user", None))
