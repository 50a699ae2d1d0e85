"""What the professionals' actions refuse, with a translated message and an HTTP status.

Views show ``str(error)`` and answer ``error.status``, keeping what was typed; the API
answers ``error.status`` with ``error.code``.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy


class ProfessionalError(ValueError):
    status = 400
    code = "invalid"
    default_message: str | Promise = pgettext_lazy(
        "professional error", "This cannot be done. Please check it and try again."
    )

    def __init__(self, message: str | Promise | None = None, **params: Any) -> None:
        self.message = message if message is not None else self.default_message
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        text = str(self.message)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text


class InvalidApplication(ProfessionalError):
    """A field that does not fit; ``field`` names the form field."""

    def __init__(self, field: str, message: str | Promise, **params: Any) -> None:
        self.field = field
        super().__init__(message, **params)


class ApplicationNeedsMfa(ProfessionalError):
    status = 403
    code = "mfa_required"
    default_message = pgettext_lazy(
        "professional error",
        "Professionals need two-step verification. Turn it on under My account → "
        "Two-step verification, then send your request.",
    )


class ApplicationPending(ProfessionalError):
    status = 409
    code = "request_pending"
    default_message = pgettext_lazy(
        "professional error",
        "You already have a request waiting for a verifier. Withdraw it first if you "
        "want to change it.",
    )


class RequestDecided(ProfessionalError):
    status = 409
    code = "request_decided"
    default_message = pgettext_lazy(
        "professional error", "This request has already been decided or withdrawn."
    )


class ReasonRequired(ProfessionalError):
    code = "reason_required"
    default_message = pgettext_lazy(
        "professional error",
        "Give the reason (%(limit)s characters at most): the person will read it.",
    )


class ApplicantWithoutMfa(ProfessionalError):
    status = 409
    code = "applicant_without_mfa"
    default_message = pgettext_lazy(
        "professional error",
        "The applicant has turned two-step verification off. They must turn it on again "
        "before they can be approved.",
    )


class CredentialEnded(ProfessionalError):
    status = 409
    code = "credential_ended"
    default_message = pgettext_lazy(
        "professional error", "This credential has already been revoked or replaced."
    )


class EvidenceUnavailable(ProfessionalError):
    status = 503
    code = "storage_failed"
    default_message = pgettext_lazy(
        "professional error",
        "We could not save your document just now. Nothing was sent; try again in a moment.",
    )


# --- questions for professionals and advisers (decisions/0037) ------------------------------


class InvalidQuestionField(ProfessionalError):
    code = "invalid_field"
    default_message = pgettext_lazy(
        "professional question", "Choose what your question is about from the list."
    )


class QuestionThreadLocked(ProfessionalError):
    status = 409
    code = "thread_locked"
    default_message = pgettext_lazy(
        "professional question",
        "This discussion is locked, so nobody can answer it. Start a new discussion to ask "
        "verified professionals.",
    )


class AdviserNotAProfessional(ProfessionalError):
    code = "not_a_professional"
    default_message = pgettext_lazy(
        "adviser error",
        "This person is not a verified healthcare professional right now. Only verified "
        "professionals can be advisers.",
    )


class NoCommunityChosen(ProfessionalError):
    code = "no_community"
    default_message = pgettext_lazy(
        "adviser error", "Choose at least one of your organisation's communities."
    )


class CommunityNotHosted(ProfessionalError):
    code = "community_not_hosted"
    default_message = pgettext_lazy(
        "adviser error", "You can only invite advisers to communities your organisation hosts."
    )


class AlreadyAdviser(ProfessionalError):
    status = 409
    code = "already_adviser"
    default_message = pgettext_lazy(
        "adviser error",
        "This person is already invited to or an adviser of every community you chose.",
    )


class AdviserRoleClosed(ProfessionalError):
    status = 409
    code = "adviser_role_closed"
    default_message = pgettext_lazy(
        "adviser error", "This invitation or role has already been answered or ended."
    )
