"""What the directory's actions refuse, with a translated message for the person.

Views and the API show ``str(error)``; permission refusals stay Django's
``PermissionDenied``.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


class DirectoryError(ValueError):
    """A request the action cannot carry out, said in the person's language."""

    default_message: str | Promise = pgettext_lazy(
        "directory", "This cannot be done. Please check and try again."
    )

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message if message is not None else self.default_message
        super().__init__(str(self))

    def __str__(self) -> str:
        return str(self.message)


class InvalidSuggestion(DirectoryError):
    default_message = pgettext_lazy(
        "directory",
        "Please say what kind of entry it is and give its name (at most 200 characters).",
    )


class SuggestionLimit(DirectoryError):
    """More suggestions in a day than ``actions.SUGGESTIONS_PER_DAY``."""

    default_message = pgettext_lazy(
        "directory",
        "You have sent many suggestions today. Thank you! Please wait until tomorrow "
        "before you send more.",
    )


class SuggestionAlreadyDecided(DirectoryError):
    default_message = pgettext_lazy("directory", "Someone has already decided on this suggestion.")
