"""Who sees safety signals and cases (decisions/0036).

* A **safety officer** is a member of the group "safety officers" with powers active:
  a second factor on the account and, in a request, a session that logged in with it
  (decisions/0015). Site staff are not safety officers by being staff: the queue shows
  health data, and only the people the operator named for pharmacovigilance see it
  ("sees what the case needs, nothing more"). An API token never carries the role.
* Signals, cases and follow-ups are seen by safety officers only; everyone else gets
  403 with the reason (the queue's address is no secret; what is in it is).
* A **safety message** (a follow-up as its recipient reads it) is seen by its
  recipient only; anyone else gets 404.
* Staff with powers active give and take the role (``actions.grant_safety_officer``,
  or group membership in the Django admin, which also needs a second factor).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import pgettext

from patientvoice.accounts.permissions import is_acting_staff, privileges_active

from .models import FollowUpAttempt, SafetyCase, SafetyMessage, SafetySignal

SAFETY_OFFICER_GROUP = "safety officers"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _in_group(user: Any) -> bool:
    cached = getattr(user, "_pv_safety_officer_group", None)
    if cached is None:
        cached = bool(user.groups.filter(name=SAFETY_OFFICER_GROUP).exists())
        user._pv_safety_officer_group = cached
    return bool(cached)


def holds_safety_officer_role(user: Any) -> bool:
    """In the group, whether or not the powers are active now."""
    return _signed_in(user) and _in_group(user)


def is_safety_officer(user: Any) -> bool:
    """The role with its powers active (second factor, and a session that used it).
    Asked several times a page, answered once per user object (a request's)."""
    if not _signed_in(user):
        return False
    cached = getattr(user, "_pv_safety_officer", None)
    if cached is None:
        cached = _in_group(user) and privileges_active(user)
        user._pv_safety_officer = cached
    return bool(cached)


def forget_role(user: Any) -> None:
    """After the role changed: ask again."""
    for name in ("_pv_safety_officer", "_pv_safety_officer_group"):
        user.__dict__.pop(name, None)


def check_safety_officer(user: Any) -> None:
    """Raise ``PermissionDenied`` with the reason unless ``user`` is an active officer."""
    if is_safety_officer(user):
        return
    if holds_safety_officer_role(user):
        raise PermissionDenied(
            pgettext(
                "safety permission",
                "Safety officers must log in with two-step verification. Log out and log "
                "in again with your second factor.",
            )
        )
    raise PermissionDenied(
        pgettext("safety permission", "Only safety officers can see safety signals and cases.")
    )


def can_manage_safety_officers(user: Any) -> bool:
    """Site staff with their powers active give and take the role."""
    return is_acting_staff(user) and privileges_active(user)


def check_manage_safety_officers(user: Any) -> None:
    if not can_manage_safety_officers(user):
        raise PermissionDenied(
            pgettext(
                "safety permission",
                "Only site staff, logged in with two-step verification, give the safety "
                "officer role.",
            )
        )


# --- signals and cases --------------------------------------------------------------------


def visible_signals(user: Any, qs: QuerySet[SafetySignal]) -> QuerySet[SafetySignal]:
    return qs if is_safety_officer(user) else qs.none()


def visible_cases(user: Any, qs: QuerySet[SafetyCase]) -> QuerySet[SafetyCase]:
    return qs if is_safety_officer(user) else qs.none()


def visible_follow_ups(user: Any, qs: QuerySet[FollowUpAttempt]) -> QuerySet[FollowUpAttempt]:
    return qs if is_safety_officer(user) else qs.none()


def access_signal(user: Any, public_id: UUID | str) -> SafetySignal:
    """The signal for an active safety officer; 403 for others, 404 if there is none."""
    check_safety_officer(user)
    found = (
        visible_signals(user, SafetySignal.objects.filter(public_id=public_id))
        .select_related("medicine", "community")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_case(user: Any, public_id: UUID | str) -> SafetyCase:
    check_safety_officer(user)
    found = (
        visible_cases(user, SafetyCase.objects.filter(public_id=public_id))
        .select_related("signal", "signal__medicine", "suspect_medicine")
        .first()
    )
    if found is None:
        raise Http404
    return found


# --- the member's messages ----------------------------------------------------------------


def visible_messages(user: Any, qs: QuerySet[SafetyMessage]) -> QuerySet[SafetyMessage]:
    """A member's own safety messages; nobody else's, not even staff's."""
    if not _signed_in(user):
        return qs.none()
    return qs.filter(recipient_id=user.pk)


def access_message(user: Any, public_id: UUID | str) -> SafetyMessage:
    found = (
        visible_messages(user, SafetyMessage.objects.filter(public_id=public_id))
        .select_related("attempt")
        .first()
    )
    if found is None:
        raise Http404
    return found
