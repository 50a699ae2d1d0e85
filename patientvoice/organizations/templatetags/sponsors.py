"""Sponsor labels and funding notices in templates (decisions/0038).

``{% load sponsors %}``

* ``{% sponsor_label user %}``: "Works for X (sponsor)" for someone who works for a
  sponsor, or nothing. One cache read (``sponsorship_queries.sponsor_labels``), no
  query when warm.
* ``{% sponsor_label user labels %}``: the same from the dictionary
  ``sponsor_labels()`` gave once for the whole page. Use this in lists.
* ``{% funding_notices community as notices %}``: the notices a page in ``community``
  (or a site page: no argument) must show, for
  ``{% include "organizations/includes/funding_disclosure.html" with sponsorships=notices %}``.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ..sponsorship_queries import FundingNotice, SponsorLabel, funding_disclosures, sponsor_labels

register = template.Library()


@register.simple_tag
def sponsor_label(user: Any, labels: dict[int, SponsorLabel] | None = None) -> SafeString:
    if user is None:
        return mark_safe("")
    found = (labels if labels is not None else sponsor_labels()).get(getattr(user, "pk", None) or 0)
    if found is None:
        return mark_safe("")
    return mark_safe(  # a template's output, escaped there
        render_to_string("organizations/includes/sponsor_label.html", {"label": found}).strip()
    )


@register.simple_tag
def funding_notices(community: Any = None) -> tuple[FundingNotice, ...]:
    return funding_disclosures(community)
