"""What the reviews app holds about a person (data export) and how it forgets them
(erasure), like communities' posts: held, hidden and removed reviews go in both modes;
published ones go in "remove" mode and stay as a former member's in "anonymise" mode.
Summaries are kept right either way."""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.erasure import register_eraser
from patientvoice.accounts.exporting import register_exporter, rows
from patientvoice.accounts.models import ErasureMode

from .actions import remove_reviews_of
from .models import Review, ReviewRevision


@register_exporter("reviews", models=["reviews.Review", "reviews.ReviewRevision"])
def export_reviews(user: Any) -> dict[str, Any]:
    return {
        "reviews": rows(
            Review.objects.filter(author=user).order_by("created_at", "pk"),
            "public_id",
            "kind",
            "medicine__slug",
            "physician__slug",
            "clinic__slug",
            "scores",
            "body",
            "language",
            "status",
            "on_behalf",
            "condition__slug",
            "duration",
            "still_taking",
            "stop_reason",
            "side_effects",
            "side_effects_text",
            "would_recommend",
            "waiting_minutes",
            "is_verified_experience",
            "created_at",
            "published_at",
            "edited_at",
        ),
        # What the person's reviews said before each edit.
        "review_revisions": rows(
            ReviewRevision.objects.filter(review__author=user).order_by("created_at", "pk"),
            "review__public_id",
            "scores",
            "body",
            "details",
            "created_at",
        ),
    }


@register_eraser("reviews")
def erase_reviews(user: Any, mode: str) -> None:
    remove_reviews_of(user, published_too=mode == ErasureMode.REMOVE)
