"""The campaign pages and API: who may do what (a role × action matrix), drafts
unknown to outsiders, running a campaign through its pages, query budgets."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.campaigns import actions
from patientvoice.campaigns.models import Campaign, CampaignStatus, SubmissionKind
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see
from patientvoice.organizations.models import OrganizationKind
from patientvoice.organizations.tests.factories import OrganizationFactory

from .factories import approved, make_campaign, settings_for, staff_of

pytestmark = pytest.mark.django_db


def _en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def _client(who: str, organization: Any) -> Client:
    client = Client()
    if who == "visitor":
        return client
    if who == "member":
        client.force_login(UserFactory.create())
    elif who == "org_moderator":
        log_in_with_mfa(client, staff_of(organization, role="moderator"))
    elif who == "org_admin":
        log_in_with_mfa(client, staff_of(organization))
    elif who == "org_admin_without_mfa_session":
        client.force_login(staff_of(organization))
    elif who == "site_staff":
        log_in_with_mfa(client, StaffFactory.create())
    return client


ROLES = [
    "visitor",
    "member",
    "org_moderator",
    "org_admin_without_mfa_session",
    "org_admin",
    "site_staff",
]
# (request, expected status per role, in ROLES' order)
MATRIX: list[tuple[str, list[int]]] = [
    ("landing", [200, 200, 200, 200, 200, 200]),
    ("draft_landing", [404, 404, 200, 404, 200, 200]),
    ("create_page", [302, 403, 403, 403, 200, 200]),
    ("edit_page", [302, 403, 403, 403, 200, 200]),
    ("jury_page", [302, 403, 403, 403, 200, 200]),
    ("held_votes", [302, 403, 200, 403, 200, 200]),
    ("advance", [302, 403, 403, 403, 302, 302]),
]


def _request(action: str, client: Client, campaign: Campaign, draft: Campaign) -> int:
    slug = campaign.slug
    if action == "landing":
        return client.get(_en("campaigns:detail", slug)).status_code
    if action == "draft_landing":
        return client.get(_en("campaigns:detail", draft.slug)).status_code
    if action == "create_page":
        return client.get(_en("campaigns:create", campaign.organization.slug)).status_code
    if action == "edit_page":
        return client.get(_en("campaigns:edit", slug)).status_code
    if action == "jury_page":
        return client.get(_en("campaigns:jury", slug)).status_code
    if action == "held_votes":
        return client.get(_en("campaigns:held_votes", slug)).status_code
    return client.post(_en("campaigns:advance", slug), {"to": "voting"}).status_code


@pytest.mark.parametrize(("action", "statuses"), MATRIX)
@pytest.mark.parametrize("role", range(len(ROLES)))
def test_role_by_action_matrix(action: str, statuses: list[int], role: int) -> None:
    organization = OrganizationFactory.create()
    campaign = make_campaign(organization=organization)
    draft = make_campaign(organization=organization, status=CampaignStatus.DRAFT, title="Secret")
    client = _client(ROLES[role], organization)

    assert _request(action, client, campaign, draft) == statuses[role], ROLES[role]


def test_a_draft_campaign_is_hidden_from_visitors_and_members_everywhere():
    campaign = make_campaign(status=CampaignStatus.DRAFT)

    assert_cannot_see(None, campaign)
    assert_cannot_see(UserFactory.create(), campaign)
    assert_can_see(None, make_campaign())


def test_a_sponsor_cannot_run_a_campaign():
    sponsor = OrganizationFactory.create(kind=OrganizationKind.SPONSOR)
    client = Client()
    log_in_with_mfa(client, staff_of(sponsor))

    assert client.get(_en("campaigns:create", sponsor.slug)).status_code == 403


def _form_data(**overrides: Any) -> dict[str, Any]:
    values = settings_for()
    data: dict[str, Any] = {
        "title": "Pictures of pain",
        "language": "en",
        "brief": values.brief,
        "rules": values.rules,
        "submissions_open_at": values.submissions_open_at.strftime("%Y-%m-%dT%H:%M"),
        "submissions_close_at": values.submissions_close_at.strftime("%Y-%m-%dT%H:%M"),
        "voting_opens_at": values.voting_opens_at.strftime("%Y-%m-%dT%H:%M"),
        "voting_closes_at": values.voting_closes_at.strftime("%Y-%m-%dT%H:%M"),
        "accepted_kinds": ["image", "text"],
        "licences": ["cc-by-4.0"],
        "consent_age": 18,
        "minimum_age": 13,
        "vote_mode": "campaign",
        "public_weight": 60,
        "winners_count": 2,
    }
    data.update(overrides)
    return data


def test_an_administrator_creates_a_draft_campaign_and_a_mistake_keeps_the_form():
    organization = OrganizationFactory.create()
    client = Client()
    log_in_with_mfa(client, staff_of(organization))
    url = _en("campaigns:create", organization.slug)

    wrong = client.post(url, _form_data(voting_closes_at="2020-01-01T10:00"))
    saved = client.post(url, _form_data())

    assert wrong.status_code == 400
    assert "Voting must close after it opens" in wrong.content.decode()
    assert "Pictures of pain" in wrong.content.decode()
    campaign = Campaign.objects.get()
    assert saved.status_code == 302
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.jury_weight == 40
    assert "<strong>picture</strong>" in campaign.brief_html


def test_the_brief_is_rendered_safely():
    campaign = make_campaign(brief="Hi <script>alert(1)</script> [x](javascript:alert(1))")

    assert "<script>" not in campaign.brief_html
    assert 'href="javascript' not in campaign.brief_html


def _count(client: Client, url: str) -> tuple[int, int]:
    client.get(url)  # caches warm (the header's counts, funding notices)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


@pytest.mark.parametrize("page", ["gallery", "results", "detail", "list", "api_list", "api_subs"])
def test_pages_and_api_lists_ask_the_database_a_fixed_number_of_times(page: str):
    """The same number of queries with 2 and with 12 submissions and campaigns."""
    campaign = make_campaign(status=CampaignStatus.VOTING)
    member = UserFactory.create()
    client = Client()
    client.force_login(member)
    urls = {
        "gallery": _en("campaigns:gallery", campaign.slug),
        "results": _en("campaigns:results", campaign.slug),
        "detail": _en("campaigns:detail", campaign.slug),
        "list": _en("campaigns:list"),
        "api_list": "/api/v1/campaigns",
        "api_subs": f"/api/v1/campaigns/{campaign.slug}/submissions",
    }
    counts = []
    for n in (2, 10):
        while campaign.submissions.count() < n:
            kind = SubmissionKind.IMAGE if n % 2 else SubmissionKind.TEXT
            actions.cast_vote(voter=member, submission=approved(campaign, kind=kind)) if (
                not campaign.votes.exists()
            ) else approved(campaign, kind=kind)
            make_campaign(organization=campaign.organization)
        counts.append(_count(client, urls[page]))

    assert counts[0][0] == 200
    assert counts[0] == counts[1]
    assert counts[0][1] == BUDGETS[page]


BUDGETS = {"gallery": 6, "results": 4, "detail": 7, "list": 4, "api_list": 4, "api_subs": 5}


def test_published_results_show_the_winner_to_everyone():
    campaign = make_campaign(status=CampaignStatus.CLOSED, winners_count=1)
    winner = approved(campaign, title="The only one")
    actions.publish_results(actor=None, campaign=campaign)

    page = Client().get(_en("campaigns:results", campaign.slug)).content.decode()

    winner.refresh_from_db()
    assert winner.is_winner
    assert winner.rank == 1
    assert "The only one" in page
    assert "Winner" in page


def test_the_api_lists_campaigns_and_approved_submissions_and_casts_a_vote():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    submission = approved(campaign, title="Counted")
    client = Client()
    client.force_login(UserFactory.create())
    vote_url = f"/api/v1/campaigns/{campaign.slug}/submissions/{submission.public_id}/vote"

    listed = client.get("/api/v1/campaigns").json()
    items = client.get(f"/api/v1/campaigns/{campaign.slug}/submissions").json()
    first = client.post(vote_url)
    second = client.post(vote_url)

    assert listed["items"][0]["slug"] == campaign.slug
    assert items["items"][0]["title"] == "Counted"
    assert first.status_code == 201
    assert first.json() == {"status": "counted", "vote_count": 1}
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_voted"
