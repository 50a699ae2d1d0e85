"""Text checks that every piece of content passes through before it is published.

A checker is a callable ``(text, context) -> list[Finding]``. Register new ones in
:data:`CHECKERS` (order is the order findings are shown). Later issues add the
side-effect detector here.
"""

from __future__ import annotations

from collections.abc import Callable

from .base import CheckContext, Finding, Outcome
from .crisis import check_crisis_language
from .links import check_links_from_new_accounts
from .personal_data import check_personal_data

Checker = Callable[[str, CheckContext], list[Finding]]

CHECKERS: list[Checker] = [
    check_personal_data,
    check_links_from_new_accounts,
    check_crisis_language,
]


def run_checks(text: str, context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for checker in CHECKERS:
        findings.extend(checker(text, context))
    return findings


__all__ = ["CHECKERS", "CheckContext", "Checker", "Finding", "Outcome", "run_checks"]
