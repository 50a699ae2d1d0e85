"""Street addresses in public text ("Storgatan 12", "Kungsvägen 3B", "12 Baker Street").

Like phone numbers, an address lets anyone find a person; such texts are held.
"""

from __future__ import annotations

import re

from django.utils.translation import pgettext_lazy

from .base import CheckContext, Finding, Outcome

_SV_SUFFIXES = (
    "gatan|gata|vägen|väg|gränd|gränden|torget|torg|backen|allén|allé|stigen|platsen|plan|"
    "leden|stråket|kajen|esplanaden|parken|slingan|vägen"
)
SWEDISH_ADDRESS_RE = re.compile(
    rf"\b[A-ZÅÄÖÉ][a-zåäöé]+(?:{_SV_SUFFIXES})\s+\d{{1,4}}\s?[A-Za-z]?\b(?!\s*(?:mg|ml|år|st|kr|%))"
)
ENGLISH_ADDRESS_RE = re.compile(
    r"\b\d{1,4}[A-Za-z]?\s+(?:[A-Z][a-z]+\s){1,3}"
    r"(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Close|Court|Place|Way|Terrace)\b"
)


def check_street_address(text: str, context: CheckContext) -> list[Finding]:
    spans = tuple(m.span() for m in SWEDISH_ADDRESS_RE.finditer(text)) + tuple(
        m.span() for m in ENGLISH_ADDRESS_RE.finditer(text)
    )
    if not spans:
        return []
    return [
        Finding(
            code="personal_data.address",
            message=pgettext_lazy(
                "text check",
                "It looks like a street address. Remove it, or a moderator will check the "
                "text before others can see it.",
            ),
            outcome=Outcome.HOLD,
            spans=spans,
        )
    ]
