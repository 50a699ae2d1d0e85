"""Text checks that every piece of content passes through before it is published.

A checker is a callable ``(text, context) -> list[Finding]``. Register new ones in
:data:`CHECKERS` (order is the order findings are shown). Later issues add the
side-effect detector here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from .address import check_street_address
from .base import CheckContext, Finding, Outcome
from .crisis import check_crisis_language
from .links import check_links_from_new_accounts
from .newcomers import check_duplicate, check_first_posts
from .personal_data import check_personal_data

Checker = Callable[[str, CheckContext], list[Finding]]

CHECKERS: list[Checker] = [
    check_personal_data,
    check_street_address,
    check_links_from_new_accounts,
    check_duplicate,
    check_first_posts,
    check_crisis_language,
]


# Short explanations of stored hold reasons, shown to the author next to held content.
REASON_LABELS: dict[str, str | Promise] = {
    "personal_data.personnummer": pgettext_lazy(
        "hold reason", "It seems to contain a personal identity number."
    ),
    "personal_data.phone": pgettext_lazy("hold reason", "It seems to contain a phone number."),
    "personal_data.email": pgettext_lazy("hold reason", "It seems to contain an e-mail address."),
    "personal_data.address": pgettext_lazy("hold reason", "It seems to contain a street address."),
    "spam.links_from_new_account": pgettext_lazy(
        "hold reason", "It has several links, and your account is new."
    ),
    "spam.duplicate": pgettext_lazy("hold reason", "You sent the same text a moment ago."),
    "review.first_posts": pgettext_lazy(
        "hold reason", "The first posts of a new account are read by a moderator first."
    ),
    "crisis.language": pgettext_lazy(
        "hold reason",
        "It suggests a risk of self-harm. It was published, and its author was shown where "
        "to get help at once.",
    ),
    "review.required": pgettext_lazy(
        "hold reason", "Texts here are checked before they are shown."
    ),
}


def reason_label(code: str) -> str | Promise:
    return REASON_LABELS.get(
        code, pgettext_lazy("hold reason", "A moderator needs to look at it first.")
    )


def register_checker(checker: Checker) -> Checker:
    """Add a checker from another app (e.g. the side-effect detector) without editing
    core. Usable as a decorator; registering twice is harmless."""
    if checker not in CHECKERS:
        CHECKERS.append(checker)
    return checker


def run_checks(text: str, context: CheckContext) -> list[Finding]:
    findings: list[Finding] = []
    for checker in CHECKERS:
        findings.extend(checker(text, context))
    return findings


__all__ = [
    "CHECKERS",
    "REASON_LABELS",
    "CheckContext",
    "Checker",
    "Finding",
    "Outcome",
    "reason_label",
    "register_checker",
    "run_checks",
]
