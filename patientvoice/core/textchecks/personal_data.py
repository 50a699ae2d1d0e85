"""Personal data in public text: Swedish personal identity numbers, phones, e-mail.

Members often paste their own or a relative's details when asking for help; once
published that cannot be taken back, so such posts are held for a moderator.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import pgettext_lazy

from .base import CheckContext, Finding, Outcome

# YYMMDD-NNNN, YYMMDD+NNNN (100+), YYYYMMDDNNNN, with or without the separator.
PERSONNUMMER_RE = re.compile(r"(?<![\d-])((?:19|20)?\d{2})(\d{2})(\d{2})([-+]?)(\d{4})(?![\d])")
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-zA-Z]{2,}(?![\w])")
# Swedish numbers (07x, 08, 0xx) and international +NN numbers, with the usual
# separators. Requires 8+ digits so years, doses and prices do not match. A number
# never starts inside a dashed group ("2024-05-01 2024-06-01" is two dates), and a
# day-month-year date ("01-05-2024") is not a number.
PHONE_RE = re.compile(
    r"(?<![\w+])(?<!\d-)(?!\d{2}-\d{2}-\d{4}(?!\d))"
    r"(?:\+\d{1,3}[\s-]?\(?\d{1,4}\)?|0\d{1,3})(?:[\s-]?\d){6,10}(?!\d)"
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def is_personal_identity_number(text: str) -> bool:
    """True for a valid personnummer or samordningsnummer (day + 60), check digit included."""
    match = PERSONNUMMER_RE.fullmatch(text.strip())
    return bool(match) and _valid(match)  # type: ignore[arg-type]


def _valid(match: re.Match[str]) -> bool:
    year, month, day, _sep, tail = match.groups()
    yy = year[-2:]
    month_i, day_i = int(month), int(day)
    if day_i > 60:  # samordningsnummer
        day_i -= 60
    full_year = int(year) if len(year) == 4 else 2000 + int(yy)
    try:
        date(full_year if len(year) == 4 else 2000, month_i, day_i)
    except ValueError:
        try:
            date(1900 + int(yy), month_i, day_i)  # 29 Feb in a 1900s leap year
        except ValueError:
            return False
    return luhn_valid(f"{yy}{month}{day}{tail}"[:10])


def check_personal_data(text: str, context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    pnr_spans = tuple(m.span() for m in PERSONNUMMER_RE.finditer(text) if _valid(m))
    if pnr_spans:
        findings.append(
            Finding(
                code="personal_data.personnummer",
                message=pgettext_lazy(
                    "text check",
                    "It looks like a personal identity number (personnummer). "
                    "Remove it, or a moderator will check the text before others can see it.",
                ),
                outcome=Outcome.HOLD,
                spans=pnr_spans,
            )
        )
    taken = [range(a, b) for a, b in pnr_spans]
    phone_spans = tuple(
        m.span()
        for m in PHONE_RE.finditer(text)
        if not any(m.start() in r for r in taken) and sum(c.isdigit() for c in m.group()) >= 8
    )
    if phone_spans:
        findings.append(
            Finding(
                code="personal_data.phone",
                message=pgettext_lazy(
                    "text check",
                    "It looks like a phone number. Remove it, or a moderator will check "
                    "the text before others can see it.",
                ),
                outcome=Outcome.HOLD,
                spans=phone_spans,
            )
        )
    email_spans = tuple(m.span() for m in EMAIL_RE.finditer(text))
    if email_spans:
        findings.append(
            Finding(
                code="personal_data.email",
                message=pgettext_lazy(
                    "text check",
                    "It looks like an e-mail address. Remove it, or a moderator will check "
                    "the text before others can see it.",
                ),
                outcome=Outcome.HOLD,
                spans=email_spans,
            )
        )
    return findings
