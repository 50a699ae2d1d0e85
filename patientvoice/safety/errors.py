"""Refusals of the safety actions, each with a translated message and the status the
pages answer with."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


class SafetyError(Exception):
    status = 400
    message: str | Promise = pgettext_lazy("safety error", "This cannot be done.")
    field: str | None = None

    def __init__(self, message: str | Promise | None = None, **params: Any) -> None:
        if message is not None:
            self.message = message
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.params if self.params else text


class InvalidInput(SafetyError):
    """A field's value is refused; ``field`` names it for the form."""

    def __init__(self, field: str, message: str | Promise, **params: Any) -> None:
        self.field = field
        super().__init__(message, **params)


class ReasonRequired(InvalidInput):
    def __init__(self, message: str | Promise | None = None) -> None:
        super().__init__(
            "reason",
            message
            or pgettext_lazy("safety error", "Say why this is not a case. The reason is kept."),
        )


class SignalDecided(SafetyError):
    status = 409
    message = pgettext_lazy(
        "safety error", "This signal is already a case. Open the case to change it."
    )


class CaseClosed(SafetyError):
    status = 409
    message = pgettext_lazy("safety error", "This case is closed.")


class AlreadyAnswered(SafetyError):
    status = 409
    message = pgettext_lazy("safety error", "You have already answered this message. Thank you.")
