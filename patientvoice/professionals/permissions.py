"""Who verifies, who acts as a professional, and who sees what (decisions/0033).

* A **verifier** is site staff, or a member of the group "verifier", with powers
  active: a second factor on the account and, in a request, a session that logged in
  with it (decisions/0015). An API token never carries the role.
* A **verification request** is seen by its applicant and by verifiers.
* A **credential** is public while it is active (the badge, and the public card at
  ``/<language>/professionals/p/<public id>/``, the same for every reader); its holder
  and verifiers see it in every state.
* **Acting as a professional** (``check_professional``) needs an active credential
  and a second factor, as the role's powers do.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import pgettext

from patientvoice.accounts.permissions import is_acting_staff, privileges_active

from .models import AdviserRole, Credential, VerificationRequest

if TYPE_CHECKING:
    from patientvoice.communities.models import Thread
    from patientvoice.organizations.models import Organization

VERIFIER_GROUP = "verifier"
PROFESSIONAL_GROUP = "verified professional"


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _in_verifier_group(user: Any) -> bool:
    cached = getattr(user, "_pv_verifier_group", None)
    if cached is None:
        cached = bool(user.groups.filter(name=VERIFIER_GROUP).exists())
        user._pv_verifier_group = cached
    return bool(cached)


def holds_verifier_role(user: Any) -> bool:
    """Staff or the verifier group, whether or not the powers are active now."""
    if not _signed_in(user):
        return False
    return bool(getattr(user, "is_staff", False)) or _in_verifier_group(user)


def is_verifier(user: Any) -> bool:
    """The role, with its powers active (second factor, and a session that used it)."""
    if not _signed_in(user) or not privileges_active(user):
        return False
    return is_acting_staff(user) or _in_verifier_group(user)


def check_verifier(user: Any) -> None:
    """Raise ``PermissionDenied`` with the reason unless ``user`` is an active verifier."""
    if is_verifier(user):
        return
    if holds_verifier_role(user):
        raise PermissionDenied(
            pgettext(
                "professional permission",
                "Verifiers must log in with two-step verification. Log out and log in "
                "again with your second factor.",
            )
        )
    raise PermissionDenied(
        pgettext("professional permission", "Only verifiers can see verification requests.")
    )


def can_revoke(user: Any) -> bool:
    """Site staff with their powers active revoke credentials."""
    return is_acting_staff(user) and privileges_active(user)


def check_revoke(user: Any) -> None:
    if not can_revoke(user):
        raise PermissionDenied(
            pgettext(
                "professional permission",
                "Only site staff, logged in with two-step verification, revoke credentials.",
            )
        )


# --- requests -----------------------------------------------------------------------------


def visible_requests(user: Any, qs: QuerySet[VerificationRequest]) -> QuerySet[VerificationRequest]:
    """Verifiers see every request; a member their own; visitors none."""
    if is_verifier(user):
        return qs
    if not _signed_in(user):
        return qs.none()
    return qs.filter(applicant_id=user.pk)


def access_request(user: Any, public_id: UUID | str) -> VerificationRequest:
    """The request, if ``user`` may see it; ``Http404`` otherwise."""
    found = (
        visible_requests(user, VerificationRequest.objects.filter(public_id=public_id))
        .select_related("applicant", "decided_by")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_request_as_verifier(user: Any, public_id: UUID | str) -> VerificationRequest:
    check_verifier(user)
    return access_request(user, public_id)


# --- credentials --------------------------------------------------------------------------


def active_q(now: datetime | None = None) -> Q:
    return Q(
        revoked_at__isnull=True, superseded_at__isnull=True, expires_at__gt=now or timezone.now()
    )


def visible_credentials(user: Any, qs: QuerySet[Credential]) -> QuerySet[Credential]:
    """Active credentials for everyone (the badge); the holder's own and, for
    verifiers and staff, all of them in every state."""
    if is_verifier(user):
        return qs
    if _signed_in(user):
        return qs.filter(active_q() | Q(user_id=user.pk))
    return qs.filter(active_q())


def visible_cards(qs: QuerySet[Credential]) -> QuerySet[Credential]:
    """Public professional cards, the same for every reader (visitors included): active
    credentials of people whose account is active and not being erased. The card shows
    what the badge shows and the conflict-of-interest declaration, nothing from the
    private profile, so it does not follow the profile's audience."""
    return qs.filter(active_q(), user__is_active=True, user__erasure_requested_at__isnull=True)


def access_card(public_id: UUID | str) -> Credential:
    """The credential behind a public card, with its holder; ``Http404`` when there is
    none, or it expired, was revoked or replaced."""
    found = (
        visible_cards(Credential.objects.filter(public_id=public_id)).select_related("user").first()
    )
    if found is None:
        raise Http404
    return found


class NotAProfessional(PermissionDenied):
    """``check_professional`` refused; ``code`` says why (``none``, ``expired``,
    ``revoked``, ``mfa``) and the message says what to do."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


def check_professional(user: Any) -> Credential:
    """The person's active credential, when they may act as a professional now.

    Raises :class:`NotAProfessional` (a translated ``PermissionDenied``): no credential;
    an expired one (with the date, and the way to re-confirm); a revoked one; or no
    second factor (on the account, or in this session)."""
    from .queries import credential_of, latest_credential

    credential = credential_of(user) if _signed_in(user) else None
    if credential is None or not credential.is_active():
        last = latest_credential(user) if _signed_in(user) else None
        if last is not None and last.is_current and not last.is_active():
            raise NotAProfessional(
                "expired",
                pgettext(
                    "professional permission",
                    "Your verification as a professional expired on %(date)s. Re-confirm it "
                    "on your verification page to act as a professional again.",
                )
                % {"date": formats.date_format(timezone.localtime(last.expires_at), "DATE_FORMAT")},
            )
        if last is not None and last.revoked_at is not None:
            raise NotAProfessional(
                "revoked",
                pgettext(
                    "professional permission",
                    "Your verification as a professional was revoked. Your verification "
                    "page says why.",
                ),
            )
        raise NotAProfessional(
            "none",
            pgettext(
                "professional permission",
                "Only verified healthcare professionals can do this. You can ask to be "
                "verified on your verification page.",
            ),
        )
    if not privileges_active(user):
        raise NotAProfessional(
            "mfa",
            pgettext(
                "professional permission",
                "Acting as a professional needs two-step verification: log in with your "
                "second factor.",
            ),
        )
    return credential


# --- questions for professionals and advisers (decisions/0037) ------------------------------


def can_ask_professionals(user: Any, thread: Thread) -> bool:
    """Only the person who started a thread marks it as a question for professionals
    (or stops asking). Whether they may see it is ``access_question_thread``'s part."""
    return _signed_in(user) and thread.author_id is not None and thread.author_id == user.pk


def check_ask_professionals(user: Any, thread: Thread) -> None:
    if not can_ask_professionals(user, thread):
        raise PermissionDenied(
            pgettext(
                "professional question",
                "Only the person who started the discussion can ask verified professionals.",
            )
        )


def _question_thread(user: Any, **lookup: Any) -> Thread:
    from patientvoice.communities.models import Thread
    from patientvoice.communities.permissions import visible_threads

    thread = visible_threads(user, Thread.objects.select_related("community")).filter(**lookup)
    found = thread.first()
    if found is None:
        raise Http404
    check_ask_professionals(user, found)
    return found


def access_question_thread(user: Any, public_id: UUID | str) -> Thread:
    """The thread (with its community) that ``user`` may see and started: ``Http404``
    when they may not see it (the communities' visibility rule), ``PermissionDenied``
    when it is someone else's."""
    return _question_thread(user, public_id=public_id)


def check_question_thread(user: Any, thread: Thread) -> None:
    """:func:`access_question_thread` for a thread already fetched (the actions)."""
    _question_thread(user, pk=thread.pk)


def can_manage_advisers(user: Any, organization: Organization) -> bool:
    """Invite and end advisers: the organisation's administrators with their powers
    active (a second factor, and a session that logged in with it) and acting site
    staff, as for managing the organisation's staff."""
    from patientvoice.organizations.permissions import can_manage_staff

    return can_manage_staff(user, organization)


def check_manage_advisers(user: Any, organization: Organization) -> None:
    if not can_manage_advisers(user, organization):
        raise PermissionDenied(
            pgettext(
                "adviser permission",
                "Only the organisation's administrators can invite and end advisers, after "
                "logging in with two-step verification.",
            )
        )


def access_adviser_role_as_admin(user: Any, public_id: UUID | str) -> AdviserRole:
    """An adviser role of a community hosted by an organisation ``user`` manages
    advisers for; ``Http404`` otherwise (nobody else learns who is invited)."""
    role = (
        AdviserRole.objects.select_related("community", "community__organization", "professional")
        .filter(public_id=public_id, community__organization__isnull=False)
        .first()
    )
    if role is None:
        raise Http404
    organization = role.community.organization
    if organization is None or not can_manage_advisers(user, organization):
        raise Http404
    return role


def access_own_adviser_role(user: Any, public_id: UUID | str) -> AdviserRole:
    """An adviser role (or invitation) addressed to ``user``; ``Http404`` otherwise."""
    if not _signed_in(user):
        raise Http404
    role = (
        AdviserRole.objects.select_related("community", "community__organization")
        .filter(public_id=public_id, professional_id=user.pk)
        .first()
    )
    if role is None:
        raise Http404
    return role
