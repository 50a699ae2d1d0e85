"""Every write of the safety app (decisions/0036), one module per verb group; callers
write ``from patientvoice.safety import actions; actions.open_case(...)``."""

from .cases import clean_case, close_case, open_case, record_case_view, update_case
from .erasure import erase_safety_data
from .escalation import escalate_due_cases, escalation_days, safety_officers
from .follow_ups import answer_follow_up, compose, mark_message_read, send_follow_up
from .roles import grant_safety_officer, revoke_safety_officer
from .signals import (
    day_zero_of,
    decide_not_a_case,
    open_signals,
    open_signals_from_escalation,
    record_officer_sight,
    record_queue_view,
    record_signal_view,
    record_staff_sight,
    reporter_ref_for,
)

__all__ = [
    "answer_follow_up",
    "clean_case",
    "close_case",
    "compose",
    "day_zero_of",
    "decide_not_a_case",
    "erase_safety_data",
    "escalate_due_cases",
    "escalation_days",
    "grant_safety_officer",
    "mark_message_read",
    "open_case",
    "open_signals",
    "open_signals_from_escalation",
    "record_case_view",
    "record_officer_sight",
    "record_queue_view",
    "record_signal_view",
    "record_staff_sight",
    "reporter_ref_for",
    "revoke_safety_officer",
    "safety_officers",
    "send_follow_up",
    "update_case",
]
