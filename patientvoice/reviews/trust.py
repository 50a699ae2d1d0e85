"""Which reviews a moderator reads first (issue 5, item 4).

* A review from an account younger than ``PV_REVIEW_HOLD_NEW_ACCOUNT_DAYS`` or without
  a verified e-mail address is held (``account_hold_reason``); the rest counts as a
  *verified experience* (decisions/0031).
* A written experience that nearly repeats another account's review is held
  (``check_review_near_duplicate``, a text checker on core's shared pool of recent
  review texts, :class:`patientvoice.core.textchecks.newcomers.SharedTextPool`).

Both hold, never refuse: a moderator looks, and the author is told why.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from patientvoice.core.textchecks import (
    REASON_LABELS,
    CheckContext,
    Finding,
    Outcome,
    register_checker,
)
from patientvoice.core.textchecks.newcomers import SharedTextPool

REVIEW_LABEL = "reviews.review"
NEW_ACCOUNT = "review.new_account"
UNVERIFIED_EMAIL = "review.unverified_email"
NEAR_DUPLICATE = "spam.near_duplicate"

# The explanation a held review's author reads (now, and later next to the review).
HOLD_MESSAGES: dict[str, str | Promise] = {
    NEW_ACCOUNT: pgettext_lazy(
        "hold reason",
        "Reviews from new accounts are read by a moderator before others see them.",
    ),
    UNVERIFIED_EMAIL: pgettext_lazy(
        "hold reason",
        "Your e-mail address is not confirmed yet, so a moderator reads your review "
        "before others see it.",
    ),
    NEAR_DUPLICATE: pgettext_lazy(
        "hold reason",
        "It is very like a review sent from another account. A moderator will look at "
        "it before others see it.",
    ),
}

REVIEW_TEXTS = SharedTextPool("reviews")


def has_verified_email(user: Any) -> bool:
    verified: bool = EmailAddress.objects.filter(user_id=user.pk, verified=True).exists()
    return verified


def account_hold_reason(user: Any, now: datetime | None = None) -> str:
    """The hold code for a review by ``user`` now, or "" when their account counts as
    a verified experience (old enough, e-mail verified)."""
    now = now or timezone.now()
    if not has_verified_email(user):
        return UNVERIFIED_EMAIL
    if user.date_joined > now - timedelta(days=settings.PV_REVIEW_HOLD_NEW_ACCOUNT_DAYS):
        return NEW_ACCOUNT
    return ""


def content_key(pk: int | None) -> str:
    return f"{REVIEW_LABEL}:{pk}" if pk else ""


def check_review_near_duplicate(text: str, context: CheckContext) -> list[Finding]:
    """Hold a review text nearly the same as one another account sent lately."""
    author_id = context.extra.get("author_id")
    if context.kind != REVIEW_LABEL or author_id is None:
        return []
    if not REVIEW_TEXTS.others_sent(author_id, text, context.extra.get("content_key", "")):
        return []
    return [
        Finding(code=NEAR_DUPLICATE, message=HOLD_MESSAGES[NEAR_DUPLICATE], outcome=Outcome.HOLD)
    ]


def remember_review_text(author_id: int, text: str, pk: int) -> None:
    """After commit: add a stored review's text to the pool others are compared with."""
    REVIEW_TEXTS.remember(author_id, text, content_key(pk))


def register_trust_checks() -> None:
    """Called from ``ReviewsConfig.ready()``: the checker, and the explanations of
    the hold codes (``core.textchecks.reason_label`` shows them later)."""
    register_checker(check_review_near_duplicate)
    REASON_LABELS.update(HOLD_MESSAGES)
