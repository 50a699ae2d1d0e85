"""Who sees and decides moderation cases, appeals, notes and statements.

The rule follows the communities' (decisions/0015, 0026): a case about content in a
community is for

* acting site staff (a session that passed two-step verification), who see every case,
  the site-wide queue (``community`` NULL: profiles, and later site-level content)
  included;
* the hosting organisation's administrators and moderators, with their powers active
  (``communities.permissions.hosting_staff_of``: a second factor on the account, and
  no request whose powers are suspended);
* the community's own moderators (``Membership.role`` moderator), with their powers
  active (a second factor on the account; not suspended for this request).

Nobody else learns that a case exists. Flagging needs only that the person can see
the item (the kind's own visibility rule) and that it is not their own.

A sponsor's staff moderate nothing from working for it (decisions/0038: the hosting
subquery and the roles here leave sponsors out), and a text held for a sponsor's
recorded approval is decided by site staff alone, who record that approval
(``organizations.sponsor_approval``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import pgettext

from patientvoice.communities.models import Membership, MembershipRole
from patientvoice.communities.permissions import (
    hosting_organization_ids,
    hosting_staff_of,
    is_site_staff,
)
from patientvoice.core import ratelimit
from patientvoice.organizations.models import (
    Organization,
    OrganizationStaff,
    SponsorContentApproval,
)

from .errors import MemberSanctioned, PostingTooFast
from .models import (
    Appeal,
    Case,
    ModeratorNote,
    Sanction,
    SanctionKind,
    StatementOfReasons,
    TrustedFlagger,
)
from .registry import ModerationKind, kind_of


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _second_factor(user: Any) -> Exists:
    """ "``user`` has a real second factor", asked inside the query that needs it."""
    from allauth.mfa.models import Authenticator

    return Exists(
        Authenticator.objects.filter(
            user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
        )
    )


def _moderator_case_q(user: Any) -> Q | None:
    """Cases a non-staff person may decide, as one condition; None when they may decide
    none (not signed in, or powers suspended for this request)."""
    if not _signed_in(user) or getattr(user, "privileges_suspended", False):
        return None
    moderated = Membership.objects.filter(user_id=user.pk, role=MembershipRole.MODERATOR).values(
        "community_id"
    )
    condition = Q(community_id__in=moderated) & Q(_second_factor(user))
    hosting = hosting_staff_of(user, "community__organization_id")
    if hosting is not None:
        condition |= Q(hosting)
    running = hosting_staff_of(user, "organization_id")  # a campaign's submissions
    if running is not None:
        condition |= Q(running)
    # Held for a sponsor's approval: site staff record it and publish (decisions/0038).
    return condition & ~Q(reasons__icontains=SponsorContentApproval.HOLD_CODE)


def visible_cases(user: Any, qs: QuerySet[Case]) -> QuerySet[Case]:
    """The cases ``user`` may see and decide (the rule above), in one query."""
    if is_site_staff(user):
        return qs
    condition = _moderator_case_q(user)
    if condition is None:
        return qs.none()
    return qs.filter(Q(community__isnull=False) | Q(organization__isnull=False)).filter(condition)


def can_decide(user: Any, case: Case) -> bool:
    return visible_cases(user, Case.objects.filter(pk=case.pk)).exists()


def check_decide(user: Any, case: Case) -> None:
    """403 unless ``user`` may decide ``case`` (a moderator outside their communities
    included). Whether it is still open is the action's business."""
    if not can_decide(user, case):
        raise PermissionDenied(
            pgettext(
                "moderation",
                "Only the moderators of this community can decide this, after logging "
                "in with two-step verification.",
            )
        )


def can_moderate_anything(user: Any) -> bool:
    """Whether ``user`` holds any moderating power now (site staff, or a community or
    organisation role with a second factor): who may read a member's history."""
    if is_site_staff(user):
        return True
    if not _signed_in(user) or getattr(user, "privileges_suspended", False):
        return False
    from django.contrib.auth import get_user_model

    roles = Q(
        Exists(Membership.objects.filter(user_id=OuterRef("pk"), role=MembershipRole.MODERATOR))
    ) | Q(Exists(OrganizationStaff.objects.with_powers().filter(user_id=OuterRef("pk"))))
    return bool(
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(roles)
        .filter(_second_factor(user))
        .exists()
    )


def check_see_member_history(user: Any) -> None:
    if not can_moderate_anything(user):
        raise PermissionDenied


# --- appeals ----------------------------------------------------------------------------


def visible_appeals(user: Any, qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """Appeals against decisions on cases ``user`` may decide."""
    if is_site_staff(user):
        return qs
    return qs.filter(statement__decision__case__in=visible_cases(user, Case.objects.all()))


def check_decide_appeal(user: Any, appeal: Appeal) -> None:
    """403 for the moderator whose decision is appealed (DSA art. 20(6): not solely by
    the same person) and for anyone who may not decide the case."""
    decision = appeal.statement.decision
    if decision.moderator_id is not None and decision.moderator_id == getattr(user, "pk", None):
        raise PermissionDenied(
            pgettext(
                "moderation",
                "You made the decision this appeal is about. Another moderator must decide it.",
            )
        )
    check_decide(user, decision.case)


# --- statements -------------------------------------------------------------------------


def visible_statements(user: Any, qs: QuerySet[StatementOfReasons]) -> QuerySet[StatementOfReasons]:
    """A member's own statements; moderators also those on cases they may decide."""
    if not _signed_in(user):
        return qs.none()
    if is_site_staff(user):
        return qs
    cases = visible_cases(user, Case.objects.all())
    return qs.filter(Q(recipient_id=user.pk) | Q(decision__case__in=cases))


def access_statement(user: Any, public_id: Any) -> StatementOfReasons:
    """The statement, for its recipient or a moderator of its case; 404 otherwise."""
    statement = (
        visible_statements(
            user,
            StatementOfReasons.objects.filter(public_id=public_id).select_related(
                "decision__case", "appeal"
            ),
        )
        .select_related("decision")
        .first()
    )
    if statement is None:
        raise Http404
    return statement


def check_appeal(user: Any, statement: StatementOfReasons) -> None:
    """Only the person the statement was addressed to appeals it; anyone else must not
    learn of it (404)."""
    if not _signed_in(user) or statement.recipient_id != user.pk:
        raise Http404


# --- flagging ---------------------------------------------------------------------------


def _can_see(user: Any, registered: ModerationKind, obj: Any) -> bool:
    qs = registered.model._default_manager.filter(pk=obj.pk)
    return bool(registered.visible(user, qs).exists())


def _is_own(user: Any, registered: ModerationKind, obj: Any) -> bool:
    author = registered.author_of(obj)
    return author is not None and author.pk == getattr(user, "pk", None)


def can_flag(user: Any, obj: Any) -> bool:
    """Signed-in people flag what they can see, except their own."""
    if not _signed_in(user):
        return False
    registered = kind_of(obj)
    return _can_see(user, registered, obj) and not _is_own(user, registered, obj)


def check_flag(user: Any, obj: Any) -> None:
    """404 for what the person cannot see (they must not learn it exists); 403 for a
    visitor (notices are their way) and for their own content."""
    if not _signed_in(user):
        raise PermissionDenied
    registered = kind_of(obj)
    if not _can_see(user, registered, obj):
        raise Http404
    if _is_own(user, registered, obj):
        raise PermissionDenied(pgettext("moderation", "You cannot report your own content."))


def can_see_for_notice(user: Any, registered: ModerationKind, obj: Any) -> bool:
    """A notice names what its sender could see (a visitor: public content only)."""
    return _can_see(user, registered, obj)


def is_trusted_flagger(user: Any) -> bool:
    """Whether ``user`` acts for an organisation designated as a trusted flagger. Never
    for a sponsor: its flags would jump the queue, a way to steer what is hidden."""
    if not _signed_in(user):
        return False
    active = TrustedFlagger.objects.filter(
        organization_id=OuterRef("organization_id"), revoked_at__isnull=True
    )
    return bool(
        OrganizationStaff.objects.with_powers()
        .filter(user_id=user.pk)
        .filter(Exists(active))
        .exists()
    )


# --- trusted flaggers and notes ---------------------------------------------------------


def check_manage_trusted_flaggers(user: Any) -> None:
    """Designating trusted flaggers is for acting site staff (DSA art. 22 leaves it to
    the coordinator; here staff record who the coordinator awarded)."""
    if not is_site_staff(user):
        raise PermissionDenied(
            pgettext("trusted flaggers", "Only the site's staff designate trusted flaggers.")
        )


def visible_notes(user: Any, qs: QuerySet[ModeratorNote]) -> QuerySet[ModeratorNote]:
    """Site notes for acting site staff; an organisation's notes for its acting
    administrators and moderators (and staff)."""
    if is_site_staff(user):
        return qs
    organizations = hosting_organization_ids(user)
    if organizations is None:
        return qs.none()
    return qs.filter(organization_id__in=organizations)


def check_add_note(user: Any, organization: Organization | None) -> None:
    """Staff write site notes and any organisation's; an organisation's acting staff
    write its notes."""
    if is_site_staff(user):
        return
    organizations = hosting_organization_ids(user)
    if (
        organization is None
        or organizations is None
        or not organizations.filter(organization_id=organization.pk).exists()
    ):
        raise PermissionDenied


# --- sanctions --------------------------------------------------------------------------


def active_sanctions(qs: QuerySet[Sanction], *, now: Any = None) -> QuerySet[Sanction]:
    """Suspensions not yet over and bans, neither lifted."""
    now = now or timezone.now()
    return qs.filter(lifted_at__isnull=True).filter(
        Q(kind=SanctionKind.BAN) | Q(kind=SanctionKind.SUSPENSION, until__gt=now)
    )


def visible_sanctions(user: Any, qs: QuerySet[Sanction]) -> QuerySet[Sanction]:
    """Site-wide sanctions for every moderator; a community's for those who may decide
    its cases."""
    if is_site_staff(user):
        return qs
    if not can_moderate_anything(user):
        return qs.none()
    cases = visible_cases(user, Case.objects.all())
    return qs.filter(Q(community__isnull=True) | Q(decision__case__in=cases))


def may_post(user: Any, community_id: int | None) -> bool:
    """Whether no active suspension or ban keeps ``user`` from posting in the community
    (one query)."""
    if not _signed_in(user):
        return False
    sanctions = Sanction.objects.filter(user_id=user.pk).filter(
        Q(community__isnull=True) | Q(community_id=community_id)
    )
    return not active_sanctions(sanctions).exists()


def check_posting_rate(user: Any, address: str | None) -> None:
    """``PostingTooFast`` (429) when ``user`` sent more than ``PV_POSTS_PER_HOUR`` posts
    in the hour, or their network address more than ``PV_POSTS_PER_HOUR_PER_IP``.
    Called by the pages and the API before they post; counts this attempt."""
    if _signed_in(user) and not ratelimit.allow("post", user.pk, settings.PV_POSTS_PER_HOUR):
        raise PostingTooFast
    if address and not ratelimit.allow("post-ip", address, settings.PV_POSTS_PER_HOUR_PER_IP):
        raise PostingTooFast


def check_may_post(user: Any, community_id: int | None) -> None:
    """``MemberSanctioned`` (403, with the reason in the person's language) for a
    suspended or banned member. Called by the communities actions that post."""
    if _signed_in(user) and not may_post(user, community_id):
        raise MemberSanctioned
