"""Claims, replies and disputes for the provider's-voice tests, made through the real
actions."""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.reviews import provider_actions
from patientvoice.reviews.models import ProviderClaim, Review, ReviewReply

from .factories import acting_staff


def approved_claim(
    entry: Any, user: User | None = None, role: str = "Verksamhetschef"
) -> ProviderClaim:
    """``user`` (a new member with a second factor when None) speaks for ``entry``."""
    user = user or with_second_factor(UserFactory.create())
    claim = provider_actions.request_claim(user=user, entry=entry, role=role)
    return provider_actions.decide_claim(
        staff=acting_staff(), claim=claim, approve=True, reason="Checked by phone."
    )


def reply(
    review: Review, claim: ProviderClaim, body: str = "Tack, vi ser över väntetiderna."
) -> ReviewReply:
    result = provider_actions.reply_to_review(author=claim.user, review=review, body=body)
    content = result.content
    assert isinstance(content, ReviewReply)
    return content
