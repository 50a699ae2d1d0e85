"""What moderation actions refuse, with a translated message for the person.

Views and the API show ``str(error)``; permission refusals stay Django's
``PermissionDenied`` (403) and ``Http404`` (content the person may not know exists).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


class ModerationError(ValueError):
    """A request the action cannot carry out, said in the person's language."""

    default_message: str | Promise = pgettext_lazy(
        "moderation", "This cannot be done. Please check and try again."
    )

    def __init__(self, message: str | Promise | None = None, **params: Any) -> None:
        self.message = message if message is not None else self.default_message
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class FlagLimit(ModerationError):
    """More flags (or notices) in an hour than ``PV_FLAGS_PER_HOUR``. The flags sent
    before stay."""

    default_message = pgettext_lazy(
        "moderation",
        "You have sent many reports in a short time. Your earlier reports are kept; "
        "please wait a while before you send more.",
    )


class InvalidReport(ModerationError):
    default_message = pgettext_lazy("moderation", "The report is not complete.")


class NoticeTargetNotFound(ModerationError):
    """The address in a notice names nothing the sender could have seen (said the same
    way whether it does not exist or is private)."""

    default_message = pgettext_lazy(
        "moderation",
        "We could not find anything at that address. Copy the address of the post or "
        "profile from your browser and try again.",
    )


class InvalidDecision(ModerationError):
    default_message = pgettext_lazy("moderation", "The decision is not complete.")


class CaseClosed(ModerationError):
    default_message = pgettext_lazy(
        "moderation", "Someone has already decided this item. Reload the queue."
    )


class CaseClaimed(ModerationError):
    default_message = pgettext_lazy("moderation", "Another moderator has already taken this item.")


class ContentGone(ModerationError):
    default_message = pgettext_lazy(
        "moderation", "The content no longer exists; only the author can still be acted on."
    )


class AppealNotAllowed(ModerationError):
    default_message = pgettext_lazy("moderation", "This decision can no longer be appealed.")


class AppealClosed(ModerationError):
    default_message = pgettext_lazy(
        "moderation", "Someone has already decided this appeal. Reload the page."
    )


class MemberSanctioned(PermissionDenied):
    """A suspended or banned member tries to post."""

    message = pgettext_lazy(
        "moderation",
        "You cannot post here at the moment, because of a moderation decision. "
        "You were told why by e-mail and under My account, where you can also appeal.",
    )

    def __init__(self) -> None:
        super().__init__(str(self.message))


class PostingTooFast(PermissionDenied):
    """A member, or a network address, sends posts faster than people write them."""

    status = 429
    message = pgettext_lazy(
        "moderation",
        "You have posted a lot in a short time. Wait a while and send it again: your text "
        "is still here.",
    )

    def __init__(self) -> None:
        super().__init__(str(self.message))
