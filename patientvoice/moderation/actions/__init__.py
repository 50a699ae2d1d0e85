"""Every write in moderation, one module per verb group (CONVENTIONS: Misago's
threads/lock.py). Import from here: ``from patientvoice.moderation import actions``;
``actions.flag(...)``."""

from .appeals import appeal, decide_appeal, reverse_decision
from .cases import assign, claim, forget_unreported_cases, open_case, release
from .decisions import REDACTION_MARK, decide
from .notes import add_note
from .reports import flag, send_notice
from .statements import mark_statement_read
from .trusted_flaggers import designate_trusted_flagger, revoke_trusted_flagger

__all__ = [
    "REDACTION_MARK",
    "add_note",
    "appeal",
    "assign",
    "claim",
    "decide",
    "decide_appeal",
    "designate_trusted_flagger",
    "flag",
    "forget_unreported_cases",
    "mark_statement_read",
    "open_case",
    "release",
    "reverse_decision",
    "revoke_trusted_flagger",
    "send_notice",
]
