"""The review's findings about fairness and robustness (decisions/0041): no sponsor on a
jury, votes checked on locked fresh rows, rules fixed once voting starts, ties broken
by who sent first, no results while votes wait, one rule for showing counts, query
budgets, no silent discard, the worker's late publishing, a storage failure on
approval."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.campaigns import actions
from patientvoice.campaigns.errors import (
    CampaignLocked,
    FilesNotPublished,
    HeldVotesWaiting,
    InvalidCampaign,
    NotVotable,
    OwnSubmissionScore,
    SponsorJuror,
    VotingClosed,
)
from patientvoice.campaigns.models import (
    Campaign,
    CampaignStatus,
    Criterion,
    Submission,
    SubmissionKind,
    Vote,
    VoteMode,
    VoteStatus,
)
from patientvoice.core.images import ImageNotStored
from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.errors import InvalidDecision
from patientvoice.moderation.models import Case
from patientvoice.organizations import actions as org_actions
from patientvoice.organizations.models import OrganizationKind, OrganizationStaff, StaffRole
from patientvoice.organizations.tests.factories import OrganizationFactory

from .factories import (
    approved,
    criteria,
    make_campaign,
    new_account,
    png_bytes,
    settings_for,
    staff_of,
    submit,
    with_second_factor,
)

pytestmark = pytest.mark.django_db


def _en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def _sponsor_employee() -> Any:
    return staff_of(OrganizationFactory.create(kind=OrganizationKind.SPONSOR), StaffRole.ADMIN)


def _files(root: Any) -> list[Path]:
    folder = Path(root)
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


# --- 1. the sponsor fence around the jury ------------------------------------------------


def test_a_sponsors_employee_cannot_be_added_to_a_jury():
    campaign = make_campaign()
    employee = _sponsor_employee()

    with pytest.raises(SponsorJuror):
        actions.add_juror(actor=None, campaign=campaign, user=employee)

    assert not campaign.jury.exists()


def test_the_jury_page_shows_the_sponsor_refusal_on_the_handle_field_and_keeps_it():
    campaign = make_campaign()
    employee = _sponsor_employee()
    client = Client()
    log_in_with_mfa(client, staff_of(campaign.organization))

    response = client.post(
        _en("campaigns:jury", campaign.slug), {"do": "add_juror", "handle": employee.handle}
    )

    page = response.content.decode()
    assert response.status_code == 403
    assert "People who work for a sponsor cannot sit on a jury" in page
    assert f'value="{employee.handle}"' in page
    assert not campaign.jury.exists()


def test_a_juror_cannot_then_join_a_sponsors_staff():
    campaign = make_campaign()
    juror = with_second_factor(UserFactory.create())
    actions.add_juror(actor=None, campaign=campaign, user=juror)
    sponsor = OrganizationFactory.create(kind=OrganizationKind.SPONSOR)

    with (
        pytest.raises(PermissionDenied, match="holds a role with powers"),
        translation.override("en"),
    ):
        org_actions.add_staff(actor=None, organization=sponsor, user=juror, role=StaffRole.ADMIN)


def test_a_juror_of_a_campaign_whose_results_are_out_may_join_a_sponsor():
    campaign = make_campaign(status=CampaignStatus.CLOSED)
    juror = with_second_factor(UserFactory.create())
    actions.add_juror(actor=None, campaign=campaign, user=juror)
    actions.publish_results(actor=None, campaign=campaign)
    sponsor = OrganizationFactory.create(kind=OrganizationKind.SPONSOR)

    org_actions.add_staff(actor=None, organization=sponsor, user=juror, role=StaffRole.ADMIN)

    assert OrganizationStaff.objects.filter(organization=sponsor, user=juror).exists()


def test_a_juror_who_works_for_a_sponsor_by_now_cannot_score():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    submission = approved(campaign)
    (criterion,) = criteria(campaign, Strong=1)
    juror = UserFactory.create()
    actions.add_juror(actor=None, campaign=campaign, user=juror)
    # A role that got past the fence (granted before it existed, say).
    OrganizationStaff.objects.create(
        organization=OrganizationFactory.create(kind=OrganizationKind.SPONSOR),
        user=juror,
        role=StaffRole.ADMIN,
    )

    with pytest.raises(SponsorJuror):
        actions.score_submission(juror=juror, submission=submission, scores={criterion.pk: 9})

    assert not criterion.scores.exists()


def test_a_juror_cannot_score_their_own_submission_and_is_told_why():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    juror = UserFactory.create()
    submission = approved(campaign, juror)
    (criterion,) = criteria(campaign, Strong=1)
    actions.add_juror(actor=None, campaign=campaign, user=juror)
    client = Client()
    client.force_login(juror)

    response = client.post(
        _en("campaigns:score", campaign.slug, submission.public_id),
        {f"criterion_{criterion.pk}": "10"},
    )

    assert response.status_code == 403
    assert "You cannot score your own submission." in response.content.decode()
    with pytest.raises(OwnSubmissionScore):
        actions.score_submission(juror=juror, submission=submission, scores={criterion.pk: 9})
    assert not criterion.scores.exists()


# --- 4. votes checked on fresh, locked rows ------------------------------------------------


def test_a_vote_for_a_submission_withdrawn_since_it_was_read_is_refused():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    author = UserFactory.create()
    read_earlier = approved(campaign, author)
    elsewhere = Submission.objects.get(pk=read_earlier.pk)
    actions.withdraw_submission(author=author, submission=elsewhere)

    with pytest.raises(NotVotable):
        actions.cast_vote(voter=UserFactory.create(), submission=read_earlier)

    assert not Vote.objects.exists()


def test_a_vote_after_the_campaign_was_closed_since_it_was_read_is_refused():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    read_earlier = approved(campaign)
    actions.advance_campaign(actor=None, campaign=campaign, to=CampaignStatus.CLOSED)

    with pytest.raises(VotingClosed):
        actions.cast_vote(voter=UserFactory.create(), submission=read_earlier)

    assert not Vote.objects.exists()


def test_a_held_vote_is_not_reviewed_once_the_campaign_read_earlier_has_published_results(
    settings,
):
    settings.PV_CAMPAIGN_NEW_ACCOUNT_VOTES_PER_HOUR = 0
    campaign = make_campaign(status=CampaignStatus.VOTING)
    vote = actions.cast_vote(voter=new_account(), submission=approved(campaign))
    read_earlier = Vote.objects.select_related("campaign").get(pk=vote.pk)
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PUBLISHED)

    with pytest.raises(CampaignLocked):
        actions.review_held_vote(moderator=None, vote=read_earlier, count=True)

    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.HELD


# --- 6. the rules are fixed once voting starts ---------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("public_weight", 80), ("winners_count", 5), ("vote_mode", VoteMode.PER_SUBMISSION)],
)
def test_how_winners_are_chosen_cannot_change_once_voting_has_started(field, value):
    campaign = make_campaign(status=CampaignStatus.VOTING)

    with pytest.raises(InvalidCampaign) as refused:
        actions.update_campaign(
            actor=None, campaign=campaign, values=settings_for(**{field: value})
        )

    campaign.refresh_from_db()
    assert refused.value.field == field
    assert getattr(campaign, field) != value


def test_other_settings_can_still_change_during_voting():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    later = campaign.voting_closes_at + timedelta(days=2)

    actions.update_campaign(
        actor=None, campaign=campaign, values=settings_for(voting_closes_at=later)
    )

    campaign.refresh_from_db()
    assert campaign.voting_closes_at == later


def test_the_weights_can_change_before_voting_starts():
    campaign = make_campaign(status=CampaignStatus.OPEN)

    actions.update_campaign(actor=None, campaign=campaign, values=settings_for(public_weight=80))

    campaign.refresh_from_db()
    assert (campaign.public_weight, campaign.jury_weight) == (80, 20)


def test_criteria_cannot_be_added_or_removed_once_voting_has_started():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    (kept,) = criteria(campaign, Strong=1)

    with pytest.raises(InvalidCampaign) as added:
        actions.add_criterion(actor=None, campaign=campaign, name="Late", weight=50)
    with pytest.raises(InvalidCampaign):
        actions.remove_criterion(actor=None, campaign=campaign, criterion_id=kept.pk)

    assert added.value.field == "name"
    assert list(Criterion.objects.filter(campaign=campaign)) == [kept]


def test_the_jury_page_refuses_a_late_criterion_and_no_longer_offers_the_form():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    client = Client()
    log_in_with_mfa(client, staff_of(campaign.organization))
    url = _en("campaigns:jury", campaign.slug)

    refused = client.post(url, {"do": "add_criterion", "name": "Late", "weight": "50"})
    page = client.get(url).content.decode()

    assert refused.status_code == 400
    assert "Voting has started" in refused.content.decode()
    assert "the criteria can no longer change" in page
    assert 'value="add_criterion"' not in page


# --- 7. ties --------------------------------------------------------------------------------


def test_a_tie_goes_to_the_submission_sent_first_not_the_one_approved_first():
    campaign = make_campaign(status=CampaignStatus.OPEN)
    sent_first = submit(campaign, title="Sent first")
    sent_later = submit(campaign, title="Sent later")
    actions.set_submission_status(sent_later, ContentStatus.PUBLISHED)
    actions.set_submission_status(sent_first, ContentStatus.PUBLISHED)
    for step in (CampaignStatus.VOTING, CampaignStatus.CLOSED):
        campaign = actions.advance_campaign(actor=None, campaign=campaign, to=step)

    actions.publish_results(actor=None, campaign=campaign)

    ranked = list(Submission.objects.filter(campaign=campaign).order_by("rank"))
    assert [s.title for s in ranked] == ["Sent first", "Sent later"]


# --- 8. no results while held votes wait ----------------------------------------------------


def test_the_results_wait_until_every_held_vote_is_reviewed(settings):
    settings.PV_CAMPAIGN_NEW_ACCOUNT_VOTES_PER_HOUR = 0
    campaign = make_campaign(status=CampaignStatus.VOTING, vote_mode=VoteMode.PER_SUBMISSION)
    submission = approved(campaign)
    held = [actions.cast_vote(voter=new_account(), submission=submission) for _ in range(2)]
    campaign = actions.advance_campaign(actor=None, campaign=campaign, to=CampaignStatus.CLOSED)
    client = Client()
    log_in_with_mfa(client, staff_of(campaign.organization))

    refused = client.post(_en("campaigns:advance", campaign.slug), {"to": "published"})
    for vote in held:
        actions.review_held_vote(moderator=None, vote=vote, count=False)
    published = client.post(_en("campaigns:advance", campaign.slug), {"to": "published"})

    assert refused.status_code == 409
    assert "2 held votes still wait for a moderator" in refused.content.decode()
    assert published.status_code == 302
    campaign.refresh_from_db()
    assert campaign.results_published


def test_publishing_with_one_held_vote_says_so_in_the_singular(settings):
    settings.PV_CAMPAIGN_NEW_ACCOUNT_VOTES_PER_HOUR = 0
    campaign = make_campaign(status=CampaignStatus.VOTING)
    actions.cast_vote(voter=new_account(), submission=approved(campaign))
    campaign = actions.advance_campaign(actor=None, campaign=campaign, to=CampaignStatus.CLOSED)

    with pytest.raises(HeldVotesWaiting) as refused, translation.override("en"):
        actions.publish_results(actor=None, campaign=campaign)

    with translation.override("en"):
        assert str(refused.value).startswith("1 held vote still waits")
    assert refused.value.status == 409


# --- 9. one rule for showing vote counts ----------------------------------------------------


def _count_surfaces(campaign: Campaign, submission: Submission) -> tuple[str, str, Any]:
    client = Client()
    gallery = client.get(_en("campaigns:gallery", campaign.slug)).content.decode()
    detail = client.get(_en("campaigns:submission", campaign.slug, submission.public_id))
    api = client.get(f"/api/v1/campaigns/{campaign.slug}/submissions").json()
    return gallery, detail.content.decode(), api["items"][0]["vote_count"]


def test_vote_counts_show_everywhere_while_voting_is_open():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    submission = approved(campaign)
    actions.cast_vote(voter=UserFactory.create(), submission=submission)

    gallery, detail, api_count = _count_surfaces(campaign, submission)

    assert "1 vote" in gallery
    assert "1 vote" in detail
    assert api_count == 1


def test_vote_counts_are_hidden_everywhere_between_closing_and_the_results():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    submission = approved(campaign)
    actions.cast_vote(voter=UserFactory.create(), submission=submission)
    campaign = actions.advance_campaign(actor=None, campaign=campaign, to=CampaignStatus.CLOSED)

    gallery, detail, api_count = _count_surfaces(campaign, submission)

    assert "1 vote" not in gallery
    assert "1 vote" not in detail
    assert api_count is None


# --- 10. query budgets --------------------------------------------------------------------------


def test_the_held_votes_page_costs_the_same_queries_for_many_votes(
    settings, django_assert_num_queries
):
    settings.PV_CAMPAIGN_NEW_ACCOUNT_VOTES_PER_HOUR = 0
    campaign = make_campaign(status=CampaignStatus.VOTING, vote_mode=VoteMode.PER_SUBMISSION)
    client = Client()
    log_in_with_mfa(client, staff_of(campaign.organization, role="moderator"))
    url = _en("campaigns:held_votes", campaign.slug)
    actions.cast_vote(voter=new_account(), submission=approved(campaign))
    client.get(url)  # warm the session and per-person caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(8):
        actions.cast_vote(voter=new_account(), submission=approved(campaign))

    with django_assert_num_queries(len(few)):
        page = client.get(url)

    assert page.content.decode().count('name="decision" value="count"') == 9


def test_the_landing_page_lists_many_own_submissions_at_the_same_query_cost(
    django_assert_num_queries,
):
    campaign = make_campaign()
    author = UserFactory.create()
    submit(campaign, author, title="Mine 0")
    client = Client()
    client.force_login(author)
    url = _en("campaigns:detail", campaign.slug)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(1, 9):
        submit(campaign, author, title=f"Mine {n}")

    with django_assert_num_queries(len(few)):
        page = client.get(url)

    assert "Mine 8" in page.content.decode()


# --- 11. no silent discard ----------------------------------------------------------------


def test_a_held_vote_decision_without_a_choice_is_refused_and_the_vote_stays_held(settings):
    settings.PV_CAMPAIGN_NEW_ACCOUNT_VOTES_PER_HOUR = 0
    campaign = make_campaign(status=CampaignStatus.VOTING)
    vote = actions.cast_vote(voter=new_account(), submission=approved(campaign))
    client = Client()
    log_in_with_mfa(client, staff_of(campaign.organization, role="moderator"))

    response = client.post(_en("campaigns:held_votes", campaign.slug), {"vote": vote.pk})

    assert response.status_code == 400
    assert "Choose whether to count or discard the vote." in response.content.decode()
    assert Vote.objects.get(pk=vote.pk).status == VoteStatus.HELD


# --- 12. the worker after an early approval -------------------------------------------------


def test_a_late_worker_publishes_only_the_new_sizes_and_keeps_the_public_picture(
    settings, django_capture_on_commit_callbacks
):
    campaign = make_campaign()
    submission = submit(campaign, kind=SubmissionKind.IMAGE, upload=png_bytes(1600, 1200))
    # Approved before the worker ran (its job was queued on commit, not run here).
    actions.set_submission_status(submission, ContentStatus.PUBLISHED)
    submission.refresh_from_db()
    public_file = submission.public_file

    with django_capture_on_commit_callbacks(execute=True):
        actions.prepare_media(submission.pk)

    submission.refresh_from_db()
    assert submission.public_file == public_file
    assert (Path(settings.MEDIA_ROOT) / public_file).exists()
    assert set(submission.public_renditions) == {"320", "640", "1280"}
    assert len(_files(settings.MEDIA_ROOT)) == 4


# --- 13. a storage failure when a moderator approves ------------------------------------------


def test_a_storage_failure_on_approval_is_a_moderation_error_and_nothing_is_decided(
    monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(make_campaign(), kind=SubmissionKind.IMAGE)
    case = Case.objects.get(kind="campaign_submission", object_id=submission.pk)
    moderator = staff_of(submission.campaign.organization, role="moderator")
    client = Client()
    log_in_with_mfa(client, moderator)

    def broken_storage(*args: Any, **kwargs: Any) -> dict[str, str]:
        raise ImageNotStored("campaign-images/x.webp")

    monkeypatch.setattr("patientvoice.core.renditions.publish_files", broken_storage)
    with translation.override("en"):
        url = reverse("moderation:queue_case", kwargs={"case_id": case.public_id})
    response = client.post(
        url, {"action": "keep", "reason_code": "no_violation", "explanation": "Fine."}
    )

    submission.refresh_from_db()
    assert response.status_code == 400
    assert "could not publish the submission" in response.content.decode()
    assert submission.status == ContentStatus.HELD
    assert not case.decisions.exists()
    with pytest.raises(InvalidDecision) as refused:
        moderation_actions.decide(
            moderator=moderator, case=case, action="keep", reason_code="no_violation",
            explanation="Fine.",
        )  # fmt: skip
    assert isinstance(refused.value, FilesNotPublished)
