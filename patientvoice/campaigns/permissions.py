"""Who may see and do what in campaigns.

* **Campaigns** are public once opened. A draft is known only to the organisation's
  administrators and moderators (with their powers active: a second factor on the
  account and a session that logged in with it) and to acting site staff; everyone
  else gets 404.
* **Running a campaign** (create, edit, jury, moving it to the next phase, publishing
  results) is for the organisation's administrators with their powers active and for
  acting site staff (``organizations.permissions.can_manage_staff``'s rule). A
  sponsor never runs one: voting and juries rank, and a sponsor never ranks
  (decisions/0038).
* **Submissions**: an approved one is seen by everyone who may see its campaign. A
  held, hidden or removed one only by its author (until they withdraw it), by the
  organisation's administrators and moderators with their powers active, and by acting
  site staff. The files of a submission that is not approved are never in public
  storage; those people read them through a view that checks this rule.
* **Held votes** are reviewed by the same moderators.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import pgettext

from patientvoice.accounts.permissions import is_acting_staff, privileges_active
from patientvoice.communities.permissions import hosting_organization_ids
from patientvoice.core.models import ContentStatus
from patientvoice.organizations.models import Organization, OrganizationKind
from patientvoice.organizations.permissions import is_organization_admin, is_organization_staff

from .models import Campaign, CampaignStatus, JuryMember, Submission, Vote


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


# --- campaigns ----------------------------------------------------------------------------


def visible_campaigns(user: Any, qs: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """Opened campaigns for everyone; drafts for their organisation's acting staff."""
    if is_acting_staff(user):
        return qs
    condition = ~Q(status=CampaignStatus.DRAFT)
    hosting = hosting_organization_ids(user)
    if hosting is not None:
        condition |= Q(organization_id__in=hosting)
    return qs.filter(condition)


def access_campaign(user: Any, slug: str) -> Campaign:
    """The campaign, if ``user`` may know it exists; 404 otherwise."""
    campaign = (
        visible_campaigns(user, Campaign.objects.filter(slug=slug))
        .select_related("organization")
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


def can_run_campaigns(user: Any, organization: Organization) -> bool:
    if organization.kind == OrganizationKind.SPONSOR:
        return False
    if is_acting_staff(user):
        return True
    return is_organization_admin(user, organization) and privileges_active(user)


def check_run_campaigns(user: Any, organization: Organization) -> None:
    if not can_run_campaigns(user, organization):
        raise PermissionDenied(
            pgettext(
                "campaign",
                "Only the organisation's administrators can run its campaigns, after logging "
                "in with two-step verification.",
            )
        )


def can_manage_campaign(user: Any, campaign: Campaign) -> bool:
    return can_run_campaigns(user, campaign.organization)


def check_manage_campaign(user: Any, campaign: Campaign) -> None:
    check_run_campaigns(user, campaign.organization)


def can_moderate_campaign(user: Any, campaign: Campaign) -> bool:
    """The organisation's administrators and moderators (powers active), site staff."""
    if is_acting_staff(user):
        return True
    return is_organization_staff(user, campaign.organization_id) and privileges_active(user)


def check_moderate_campaign(user: Any, campaign: Campaign) -> None:
    if not can_moderate_campaign(user, campaign):
        raise PermissionDenied(
            pgettext(
                "campaign",
                "Only the organisation's moderators can do this, after logging in with "
                "two-step verification.",
            )
        )


# --- submissions --------------------------------------------------------------------------


def visible_submissions(user: Any, qs: QuerySet[Submission]) -> QuerySet[Submission]:
    """The rule above, as one condition."""
    if is_acting_staff(user):
        return qs
    condition = Q(status=ContentStatus.PUBLISHED) & ~Q(campaign__status=CampaignStatus.DRAFT)
    if _signed_in(user):
        condition |= Q(author_id=user.pk, withdrawn_at__isnull=True)
    hosting = hosting_organization_ids(user)
    if hosting is not None:
        condition |= Q(campaign__organization_id__in=hosting)
    return qs.filter(condition)


def access_submission(user: Any, campaign: Campaign, public_id: Any) -> Submission:
    submission = (
        visible_submissions(user, Submission.objects.filter(campaign=campaign, public_id=public_id))
        .select_related("author")
        .first()
    )
    if submission is None:
        raise Http404
    submission.campaign = campaign
    return submission


def can_read_private_files(user: Any, submission: Submission) -> bool:
    """The author (until they withdraw) and the campaign's moderators: the people who
    see a held submission's files through the checking view."""
    if submission.is_withdrawn:
        return is_acting_staff(user)
    if _signed_in(user) and submission.author_id == user.pk:
        return True
    return can_moderate_campaign(user, submission.campaign)


def check_read_private_files(user: Any, submission: Submission) -> None:
    """404: whoever may not read the files must not learn they exist."""
    if not can_read_private_files(user, submission):
        raise Http404


def can_withdraw(user: Any, submission: Submission) -> bool:
    return _signed_in(user) and submission.author_id == user.pk and not submission.is_withdrawn


def check_withdraw(user: Any, submission: Submission) -> None:
    if not can_withdraw(user, submission):
        raise Http404


# --- jury and votes -----------------------------------------------------------------------


def is_juror(user: Any, campaign: Campaign) -> bool:
    if not _signed_in(user):
        return False
    return JuryMember.objects.filter(campaign=campaign, user_id=user.pk).exists()


def visible_votes(user: Any, qs: QuerySet[Vote]) -> QuerySet[Vote]:
    """Votes are private: their voters see their own; the campaign's moderators all."""
    if is_acting_staff(user):
        return qs
    if not _signed_in(user):
        return qs.none()
    condition = Q(voter_id=user.pk)
    hosting = hosting_organization_ids(user)
    if hosting is not None:
        condition |= Q(campaign__organization_id__in=hosting)
    return qs.filter(condition)
