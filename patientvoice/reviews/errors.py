"""What the review actions refuse, with a translated message for the person.

Views and the API show ``str(error)`` and answer ``error.status``; the form keeps what
was typed. A suspended or banned member gets moderation's ``MemberSanctioned``
(403), as when they post.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


class ReviewError(ValueError):
    """A review the action cannot take, said in the person's language."""

    status = 400
    default_message: str | Promise = pgettext_lazy(
        "review error", "This review cannot be saved. Please check it and try again."
    )

    def __init__(self, message: str | Promise | None = None, **params: Any) -> None:
        self.message = message if message is not None else self.default_message
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        text = str(self.message)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text


class ReviewExists(ReviewError):
    """The member has reviewed this entry already (one review per member per entry).
    ``review`` is theirs, for a link to edit it."""

    status = 409
    default_message = pgettext_lazy(
        "review error",
        "You have already reviewed this. You can edit your review instead of writing a new one.",
    )

    def __init__(self, review: Any = None) -> None:
        self.review = review
        super().__init__()


class InvalidScores(ReviewError):
    """A required dimension is missing or not 1..5. ``dimension`` is its key."""

    default_message = pgettext_lazy(
        "review error", "Please rate “%(dimension)s” from 1 to 5 stars."
    )

    def __init__(self, dimension: str, label: str | Promise) -> None:
        self.dimension = dimension
        super().__init__(None, dimension=label)


# The conflict-of-interest question left unanswered (actions and the form say the same).
CONFLICT_UNANSWERED = pgettext_lazy("review error", "Please answer the question about ties to it.")


class InvalidReview(ReviewError):
    """A structured answer that does not fit (an unknown side effect, a stop without a
    reason, a waiting time out of range...). ``field`` names the form field."""

    def __init__(self, field: str, message: str | Promise, **params: Any) -> None:
        self.field = field
        super().__init__(message, **params)


class ConflictDeclared(ReviewError):
    """The member declared a conflict of interest with the entry."""

    status = 403
    default_message = pgettext_lazy(
        "review error",
        "Thank you for being open about it. Because of that connection you cannot "
        "review this: reviews here come only from people without ties to what they "
        "rate.",
    )


class ConflictKnown(ReviewError):
    """We know of a conflict (permissions.known_conflict): the member is staff of an
    organisation that makes or markets the medicine, or speaks for the physician or
    clinic (or one they work with) through an approved claim."""

    status = 403
    default_message = pgettext_lazy(
        "review error",
        "You cannot review this, because you work for an organisation that makes or markets it.",
    )
    provider_message = pgettext_lazy(
        "review error",
        "You cannot review this, because you speak for it here, or for a physician or "
        "clinic it works with.",
    )

    @classmethod
    def for_entry(cls, entry: Any) -> ConflictKnown:
        """The refusal in words that fit ``entry`` (a medicine's maker, a provider)."""
        from patientvoice.directory.models import Medicine

        return cls() if isinstance(entry, Medicine) else cls(cls.provider_message)


class ReviewingTooFast(ReviewError):
    """More reviews in a day than ``PV_REVIEWS_PER_DAY``."""

    status = 429
    default_message = pgettext_lazy(
        "review error",
        "You have written many reviews today. Thank you! Please wait until tomorrow "
        "before you send more: your text is still here.",
    )


class ReviewNotEditable(ReviewError):
    """A review a moderator has hidden cannot be edited back into view."""

    status = 403
    default_message = pgettext_lazy(
        "review error",
        "A moderator has hidden this review, so it cannot be edited. You can appeal "
        "the decision, or delete the review.",
    )


# --- the provider's voice (decisions/0032) -------------------------------------------------


class ClaimError(ReviewError):
    default_message = pgettext_lazy("claim error", "This claim cannot be saved. Please check it.")


class ClaimNeedsMfa(ClaimError):
    """A physician's claim needs two-step verification on the account (until the
    verified-professional status of issue 6 replaces it)."""

    status = 403
    default_message = pgettext_lazy(
        "claim error",
        "To speak for yourself as a physician, first turn on two-step verification "
        "for your account. Your text is still here.",
    )


class ClaimExists(ClaimError):
    status = 409
    default_message = pgettext_lazy(
        "claim error", "You have already asked to speak for this page, or you already do."
    )


class ClaimDecided(ClaimError):
    status = 409
    default_message = pgettext_lazy(
        "claim error", "Someone has already decided this claim. Reload the list."
    )


class ClaimNotApproved(ClaimError):
    """Only an approved claim can be revoked."""

    status = 409
    default_message = pgettext_lazy(
        "claim error",
        "Only an approved claim can be revoked, and this one is not approved (any more). "
        "Reload the list.",
    )


class NotAProvider(ReviewError):
    """A reply or dispute by someone without an approved claim on the reviewed entry."""

    status = 403
    default_message = pgettext_lazy(
        "reply error",
        "Only the physician or clinic that was reviewed can do this, once staff have "
        "approved their claim to the page. Your text is still here.",
    )


class ReplyExists(ReviewError):
    status = 409
    default_message = pgettext_lazy(
        "reply error",
        "This review has a reply already. You can edit that reply instead.",
    )


class ReplyNotEditable(ReviewError):
    status = 403
    default_message = pgettext_lazy(
        "reply error", "A moderator has hidden this reply, so it cannot be edited."
    )


class NotTheReviewer(ReviewError):
    status = 403
    default_message = pgettext_lazy(
        "reply error", "Only the person who wrote the review can answer this."
    )


class DisputeExists(ReviewError):
    status = 409
    default_message = pgettext_lazy(
        "dispute error",
        "You have disputed this review already. A moderator will decide, and you will "
        "be told the outcome.",
    )


class DisputeClosed(ReviewError):
    status = 409
    default_message = pgettext_lazy("dispute error", "This dispute has been decided already.")
