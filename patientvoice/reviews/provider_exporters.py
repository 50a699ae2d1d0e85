"""What the provider's voice holds about a person (data export) and how it forgets
them (erasure): their claims, their replies (with earlier versions), their disputes
and their review notices. Replies are treated like reviews: never-shown ones go in both
modes, published ones in "remove" mode. Claims and notices go with the account
(cascade); a dispute stays, as a former member's, because its moderation case does."""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import register_exporter, rows
from patientvoice.accounts.models import ErasureMode
from patientvoice.core.models import ContentStatus

from .models import ProviderClaim, ReviewDispute, ReviewNotice, ReviewReply, ReviewReplyRevision


@register_exporter(
    "review_provider",
    models=[
        "reviews.ProviderClaim",
        "reviews.ReviewReply",
        "reviews.ReviewDispute",
        "reviews.ReviewNotice",
    ],
)
def export_provider_voice(user: Any) -> dict[str, Any]:
    return {
        "claims": rows(
            ProviderClaim.objects.filter(user=user).order_by("created_at", "pk"),
            "public_id",
            "physician__slug",
            "clinic__slug",
            "role",
            "evidence",
            "status",
            "reason",
            "created_at",
            "decided_at",
        ),
        "replies": rows(
            ReviewReply.objects.filter(author=user).order_by("created_at", "pk"),
            "public_id",
            "review__public_id",
            "body",
            "language",
            "status",
            "author_role",
            "created_at",
            "published_at",
            "edited_at",
        ),
        "reply_revisions": rows(
            ReviewReplyRevision.objects.filter(reply__author=user).order_by("created_at", "pk"),
            "reply__public_id",
            "body",
            "created_at",
        ),
        # Disputes the person sent, and the answers they gave about their own reviews.
        "disputes": rows(
            ReviewDispute.objects.filter(provider=user).order_by("created_at", "pk"),
            "public_id",
            "review__public_id",
            "reason",
            "text",
            "status",
            "created_at",
            "decided_at",
        ),
        "dispute_answers": rows(
            ReviewDispute.objects.filter(review__author=user)
            .exclude(context_answer="")
            .order_by("created_at", "pk"),
            "public_id",
            "context_question",
            "context_answer",
            "context_answered_at",
        ),
        "notices": rows(
            ReviewNotice.objects.filter(recipient=user).order_by("created_at", "pk"),
            "kind",
            "text",
            "created_at",
            "read_at",
        ),
    }


@register_eraser("review_provider")
def erase_provider_voice(user: Any, mode: str) -> None:
    replies = ReviewReply.objects.filter(author=user)
    if mode != ErasureMode.REMOVE:
        replies = replies.exclude(status=ContentStatus.PUBLISHED)
    replies.delete()
