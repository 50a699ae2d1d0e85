"""``{% load safety %}``: the link members use to report a side effect themselves
(issue 7, item 5; decisions/0036)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("safety/includes/report_yourself.html")
def report_yourself() -> dict[str, Any]:
    """``{% report_yourself %}`` next to content whose id is in
    ``safety.queries.own_signalled_ids(request.user, kind, ids)``: shown to its author
    only."""
    from patientvoice.directory.medicine_views import SIDE_EFFECT_REPORT_URL

    return {"side_effect_report_url": SIDE_EFFECT_REPORT_URL}


@register.inclusion_tag("safety/includes/composer_notice.html")
def side_effect_notice() -> dict[str, Any]:
    """``{% side_effect_notice %}`` in every composer: side effects may be forwarded."""
    return {}


@register.simple_tag
def safety_officer(user: Any) -> bool:
    """``{% safety_officer user as officer %}``: whether to link the safety queue (the
    account page; not the header, which every page pays for)."""
    from patientvoice.safety.permissions import is_safety_officer

    return is_safety_officer(user)
