"""Every write in campaigns, one module per group of verbs. Import from here:
``from patientvoice.campaigns import actions; actions.cast_vote(...)``."""

from .campaigns import (
    CampaignSettings,
    add_criterion,
    add_juror,
    advance_campaign,
    create_campaign,
    remove_criterion,
    remove_juror,
    rules_locked,
    update_campaign,
)
from .jury import publish_results, score_submission
from .submissions import (
    Entry,
    SubmittingTooFast,
    check_submissions_open,
    prepare_media,
    remove_submissions_of,
    set_submission_status,
    submit_entry,
    withdraw_submission,
)
from .votes import cast_vote, check_can_vote, remove_votes_of, review_held_vote, voting_is_open

__all__ = [
    "CampaignSettings",
    "Entry",
    "SubmittingTooFast",
    "add_criterion",
    "add_juror",
    "advance_campaign",
    "cast_vote",
    "check_can_vote",
    "check_submissions_open",
    "create_campaign",
    "prepare_media",
    "publish_results",
    "remove_criterion",
    "remove_juror",
    "remove_submissions_of",
    "remove_votes_of",
    "review_held_vote",
    "rules_locked",
    "score_submission",
    "set_submission_status",
    "submit_entry",
    "update_campaign",
    "voting_is_open",
    "withdraw_submission",
]
