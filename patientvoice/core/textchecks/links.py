"""Link rules for new accounts: the classic spam pattern is a fresh account posting links."""

from __future__ import annotations

import re
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from .base import CheckContext, Finding, Outcome

LINK_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>()]+")
NEW_ACCOUNT_AGE = timedelta(days=2)
NEW_ACCOUNT_PUBLISHED = 3
MAX_LINKS_FOR_NEW_ACCOUNTS = 1


def check_links_from_new_accounts(text: str, context: CheckContext) -> list[Finding]:
    if context.author_is_trusted:
        return []
    is_new = (
        context.author_joined_at is None
        or timezone.now() - context.author_joined_at < NEW_ACCOUNT_AGE
        or context.author_published_count < NEW_ACCOUNT_PUBLISHED
    )
    links = list(LINK_RE.finditer(text))
    if not is_new or len(links) <= MAX_LINKS_FOR_NEW_ACCOUNTS:
        return []
    return [
        Finding(
            code="spam.links_from_new_account",
            message=pgettext_lazy(
                "text check",
                "New accounts can include one link per text. A moderator will check this "
                "text before others can see it.",
            ),
            outcome=Outcome.HOLD,
            spans=tuple(m.span() for m in links),
        )
    ]
