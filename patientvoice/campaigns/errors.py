"""What the campaigns' actions refuse, with a translated message, an HTTP status and a
stable code.

Views show ``str(error)`` on ``error.field`` (or above the form) and answer
``error.status``, keeping what was typed; the API answers ``error.status`` with
``error.code``.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import npgettext, pgettext_lazy

from patientvoice.moderation.errors import InvalidDecision


class CampaignError(ValueError):
    status = 400
    code = "invalid"
    field: str | None = None
    default_message: str | Promise = pgettext_lazy(
        "campaign error", "This cannot be done. Please check it and try again."
    )

    def __init__(
        self, message: str | Promise | None = None, *, field: str | None = None, **params: Any
    ) -> None:
        self.message = message if message is not None else self.default_message
        if field is not None:
            self.field = field
        self.params = params
        super().__init__(str(self))

    def __str__(self) -> str:
        text = str(self.message)
        return text % {k: str(v) for k, v in self.params.items()} if self.params else text


class InvalidCampaign(CampaignError):
    """A campaign's settings that do not fit together; ``field`` names the form field."""


class CampaignLocked(CampaignError):
    status = 409
    code = "campaign_locked"
    default_message = pgettext_lazy(
        "campaign error", "The results are published: the campaign can no longer be changed."
    )


class InvalidSubmission(CampaignError):
    """A submission's field that does not fit (or a file we cannot accept)."""


class SubmissionsClosed(CampaignError):
    status = 409
    code = "submissions_closed"
    default_message = pgettext_lazy(
        "campaign error", "This campaign does not take submissions now."
    )


class TooYoung(CampaignError):
    status = 403
    code = "too_young"
    field = "age_group"
    default_message = pgettext_lazy(
        "campaign error",
        "You must be at least %(age)s years old to take part in this campaign.",
    )


class NotEditable(CampaignError):
    status = 409
    code = "not_editable"
    default_message = pgettext_lazy("campaign error", "This submission can no longer be changed.")


class FileNotStored(CampaignError):
    status = 503
    code = "storage_failed"
    field = "file"
    default_message = pgettext_lazy(
        "campaign error",
        "We could not save the file just now. Nothing was sent; try again in a moment.",
    )


class VotingClosed(CampaignError):
    status = 409
    code = "voting_closed"
    default_message = pgettext_lazy("campaign error", "Voting is not open in this campaign now.")


class AlreadyVoted(CampaignError):
    status = 409
    code = "already_voted"
    default_message = pgettext_lazy(
        "campaign error", "You have already voted. Each person has one vote here."
    )


class AlreadyVotedInCampaign(AlreadyVoted):
    default_message = pgettext_lazy(
        "campaign error",
        "You have already used your vote in this campaign. Each person has one vote.",
    )


class NotVerified(CampaignError):
    status = 403
    code = "email_not_verified"
    default_message = pgettext_lazy(
        "campaign error",
        "Only accounts with a confirmed e-mail address can vote. Confirm your address "
        "under My account, then vote again.",
    )


class OwnSubmission(CampaignError):
    status = 403
    code = "own_submission"
    default_message = pgettext_lazy("campaign error", "You cannot vote for your own submission.")


class NotVotable(CampaignError):
    status = 409
    code = "not_votable"
    default_message = pgettext_lazy(
        "campaign error", "Only approved submissions can receive votes."
    )


class NotJuror(CampaignError):
    status = 403
    code = "not_juror"
    default_message = pgettext_lazy(
        "campaign error", "Only the campaign's jury members can score submissions."
    )


class SponsorJuror(CampaignError):
    """A sponsor's staff never rank anything (decisions/0038): no seat on a jury, no
    score, even for a juror taken on by a sponsor later."""

    status = 403
    code = "sponsor_staff"
    default_message = pgettext_lazy(
        "campaign error",
        "People who work for a sponsor cannot sit on a jury or score submissions: a sponsor "
        "funds without control. End their sponsor role first, or choose someone else.",
    )


class OwnSubmissionScore(CampaignError):
    status = 403
    code = "own_submission"
    default_message = pgettext_lazy("campaign error", "You cannot score your own submission.")


class InvalidScore(CampaignError):
    default_message = pgettext_lazy("campaign error", "Give each criterion a score from 1 to 10.")


class ScoringClosed(CampaignError):
    status = 409
    code = "scoring_closed"
    default_message = pgettext_lazy(
        "campaign error", "The results are published: scores can no longer be changed."
    )


class WrongPhase(CampaignError):
    status = 409
    code = "wrong_phase"
    default_message = pgettext_lazy(
        "campaign error", "The campaign is not in a phase where this can be done."
    )


class HeldVotesWaiting(CampaignError):
    """The results cannot be published while held votes wait for a moderator: they
    could never be reviewed afterwards."""

    status = 409
    code = "held_votes_waiting"

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__()

    def __str__(self) -> str:
        return npgettext(
            "campaign error",
            "%(count)s held vote still waits for a moderator. Count or discard it before "
            "you publish the results.",
            "%(count)s held votes still wait for a moderator. Count or discard them before "
            "you publish the results.",
            self.count,
        ) % {"count": self.count}


class FilesNotPublished(InvalidDecision):
    """Approving a submission failed because the storage could not copy its files.
    A moderation error (``InvalidDecision``), so the moderation queue shows it on the
    decision form and the decision rolls back; the moderator tries again."""

    default_message = pgettext_lazy(
        "moderation",
        "We could not publish the submission's files just now. Nothing was decided; try "
        "again in a moment.",
    )
