"""Who may do what in the directory. Entries are public reference data (anyone may
read them); members suggest missing ones and acting site staff decide."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from patientvoice.accounts.permissions import is_acting_staff


def can_suggest_entry(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_active", False)
    )


def check_suggest_entry(user: Any) -> None:
    if not can_suggest_entry(user):
        raise PermissionDenied


def can_decide_suggestion(user: Any) -> bool:
    """Site staff with their powers active (a second factor in this session)."""
    return is_acting_staff(user)


def check_decide_suggestion(user: Any) -> None:
    if not can_decide_suggestion(user):
        raise PermissionDenied
