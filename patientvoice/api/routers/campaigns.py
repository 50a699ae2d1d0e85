"""The campaigns API: the campaigns you may see, one campaign, its approved submissions
(paginated) and casting a vote. The pages' rules, through the same permissions,
queries and actions (nothing decided here).

Each refusal of ``campaigns/errors.py`` answers its own status and code:
``voting_closed``, ``already_voted``, ``not_votable`` (409), ``own_submission``,
``email_not_verified`` (403).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from patientvoice.accounts.permissions import signed_in_user
from patientvoice.campaigns import actions, files, queries
from patientvoice.campaigns.errors import CampaignError
from patientvoice.campaigns.kinds import submission_url
from patientvoice.campaigns.models import Campaign, Submission
from patientvoice.campaigns.permissions import access_campaign, access_submission
from patientvoice.campaigns.presentation import counts_shown

from ..auth import optional_auth, token_or_session
from ..errors import ApiError
from ..pagination import BoundedLimitOffsetPagination
from ..schemas import SLUG, ErrorOut

router = Router(tags=["campaigns"])


class CampaignOut(Schema):
    public_id: UUID
    slug: str
    title: str
    organization: str = Field(description="The organisation's slug.")
    language: str
    status: str = Field(description="draft, open, voting, closed or published.")
    submissions_open_at: datetime
    submissions_close_at: datetime
    voting_opens_at: datetime
    voting_closes_at: datetime
    accepted_kinds: list[str]
    licences: list[str]
    vote_mode: str = Field(description="campaign: one vote in all; submission: one each.")
    public_weight: int
    jury_weight: int
    winners_count: int
    url: str

    @staticmethod
    def resolve_organization(obj: Campaign) -> str:
        return obj.organization.slug

    @staticmethod
    def resolve_url(obj: Campaign) -> str:
        return obj.get_absolute_url()


class CampaignDetailOut(CampaignOut):
    brief_html: str
    rules_html: str
    consent_age: int
    minimum_age: int


class SubmissionOut(Schema):
    public_id: UUID
    title: str
    kind: str
    author: str | None = Field(description="A handle; null for a former member.")
    body_html: str = Field(description="The short text, or the caption.")
    alt_text: str
    licence: str
    language: str
    file_url: str = Field(description="The picture or video; empty for a short text.")
    poster_url: str
    renditions: dict[str, str] = Field(description="Width in pixels → picture URL.")
    vote_count: int | None = Field(
        description="Counted votes while voting is open and once the results are published; "
        "null otherwise."
    )
    rank: int | None = Field(description="Once the results are published.")
    is_winner: bool
    published_at: datetime | None
    url: str

    @staticmethod
    def resolve_author(obj: Submission) -> str | None:
        return obj.author.handle if obj.author else None

    @staticmethod
    def resolve_file_url(obj: Submission) -> str:
        return files.public_url(obj.public_file)

    @staticmethod
    def resolve_poster_url(obj: Submission) -> str:
        return files.public_url(obj.public_poster)

    @staticmethod
    def resolve_renditions(obj: Submission) -> dict[str, str]:
        return {str(w): files.public_url(n) for w, n in obj.srcset_widths()}

    @staticmethod
    def resolve_vote_count(obj: Submission) -> int | None:
        return obj.vote_count if counts_shown(obj.campaign) else None

    @staticmethod
    def resolve_url(obj: Submission) -> str:
        return submission_url(obj)


class VoteOut(Schema):
    status: str = Field(description="counted, or held for a moderator (many new accounts).")
    vote_count: int


@router.get("/campaigns", response=list[CampaignOut], auth=optional_auth)
@paginate(BoundedLimitOffsetPagination)
def list_campaigns(request: HttpRequest) -> Any:
    """The campaigns you may see, newest first (drafts only for their organisers)."""
    return queries.campaign_list(request.user)


@router.get(
    "/campaigns/{slug}", response={200: CampaignDetailOut, 404: ErrorOut}, auth=optional_auth
)
def get_campaign(request: HttpRequest, slug: str = SLUG) -> Any:
    return access_campaign(request.user, slug)


@router.get(
    "/campaigns/{slug}/submissions",
    response={200: list[SubmissionOut], 404: ErrorOut},
    auth=optional_auth,
)
@paginate(BoundedLimitOffsetPagination)
def list_submissions(request: HttpRequest, slug: str = SLUG) -> Any:
    """The campaign's approved submissions, newest first."""
    campaign = access_campaign(request.user, slug)
    return queries.gallery(request.user, campaign).select_related("campaign")


@router.post(
    "/campaigns/{slug}/submissions/{public_id}/vote",
    response={201: VoteOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=token_or_session,
)
def cast_vote(request: HttpRequest, public_id: UUID, slug: str = SLUG) -> Any:
    """Vote for an approved submission, inside the voting window, with a verified
    account. 409 ``already_voted``/``voting_closed``/``not_votable``; 403
    ``own_submission``/``email_not_verified``."""
    campaign = access_campaign(request.user, slug)
    submission = access_submission(request.user, campaign, public_id)
    try:
        vote = actions.cast_vote(voter=signed_in_user(request), submission=submission)
    except CampaignError as error:
        raise ApiError(error.status, error.code, str(error)) from None
    return Status(201, {"status": vote.status, "vote_count": submission.vote_count})
