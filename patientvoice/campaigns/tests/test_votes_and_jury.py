"""Votes (one per verified account, in the window, not for oneself, bursts held), the
jury's scores and the results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.campaigns import actions
from patientvoice.campaigns.errors import (
    AlreadyVoted,
    AlreadyVotedInCampaign,
    InvalidScore,
    NotJuror,
    NotVerified,
    OwnSubmission,
    ScoringClosed,
    VotingClosed,
)
from patientvoice.campaigns.models import CampaignStatus, Vote, VoteMode, VoteStatus
from patientvoice.core.testing.sessions import log_in_with_mfa

from .factories import approved, criteria, make_campaign, new_account, staff_of

pytestmark = pytest.mark.django_db


def _en(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def test_a_verified_member_votes_once_and_the_count_goes_up():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    submission = approved(campaign)
    voter = UserFactory.create()
    client = Client()
    client.force_login(voter)
    url = _en("campaigns:vote", campaign.slug, submission.public_id)

    first = client.post(url)
    second = client.post(url)

    submission.refresh_from_db()
    assert first.status_code == 302
    assert second.status_code == 409
    assert "already used your vote" in second.content.decode()
    assert submission.vote_count == 1


def test_one_vote_per_campaign_means_a_second_submission_is_refused():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    first, other = approved(campaign), approved(campaign)
    voter = UserFactory.create()
    actions.cast_vote(voter=voter, submission=first)

    with pytest.raises(AlreadyVotedInCampaign):
        actions.cast_vote(voter=voter, submission=other)


def test_the_database_refuses_a_second_vote_in_the_campaign_even_in_a_race():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    first, other = approved(campaign), approved(campaign)
    voter = UserFactory.create()
    actions.cast_vote(voter=voter, submission=first)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            campaign=campaign, submission=other, voter=voter, per_campaign=True,
            status=VoteStatus.COUNTED,
        )  # fmt: skip


def test_one_vote_per_submission_lets_a_member_vote_for_several():
    campaign = make_campaign(status=CampaignStatus.VOTING, vote_mode=VoteMode.PER_SUBMISSION)
    first, other = approved(campaign), approved(campaign)
    voter = UserFactory.create()

    actions.cast_vote(voter=voter, submission=first)
    actions.cast_vote(voter=voter, submission=other)

    with pytest.raises(AlreadyVoted):
        actions.cast_vote(voter=voter, submission=first)


@pytest.mark.parametrize("phase", [CampaignStatus.OPEN, CampaignStatus.CLOSED])
def test_voting_outside_the_voting_phase_is_refused(phase):
    campaign = make_campaign(status=phase)
    submission = approved(campaign)

    with pytest.raises(VotingClosed):
        actions.cast_vote(voter=UserFactory.create(), submission=submission)


def test_voting_after_the_window_closed_is_refused_with_409():
    campaign = make_campaign(
        status=CampaignStatus.VOTING,
        submissions_open_at=timezone.now() - timedelta(days=3),
        voting_opens_at=timezone.now() - timedelta(days=1),
        voting_closes_at=timezone.now() - timedelta(minutes=1),
    )
    submission = approved(campaign)
    client = Client()
    client.force_login(UserFactory.create())

    response = client.post(_en("campaigns:vote", campaign.slug, submission.public_id))

    assert response.status_code == 409
    assert "Voting is not open" in response.content.decode()


def test_an_account_without_a_confirmed_address_cannot_vote():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    submission = approved(campaign)
    voter = UserFactory.create()
    EmailAddress.objects.filter(user=voter).update(verified=False)
    client = Client()
    client.force_login(voter)

    response = client.post(_en("campaigns:vote", campaign.slug, submission.public_id))

    assert response.status_code == 403
    assert "confirmed e-mail address" in response.content.decode()
    with pytest.raises(NotVerified):
        actions.cast_vote(voter=voter, submission=submission)


def test_nobody_votes_for_their_own_submission():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    author = UserFactory.create()
    submission = approved(campaign, author)

    with pytest.raises(OwnSubmission):
        actions.cast_vote(voter=author, submission=submission)


def test_a_burst_of_votes_from_new_accounts_is_held_until_a_moderator_decides(settings):
    settings.PV_CAMPAIGN_NEW_ACCOUNT_VOTES_PER_HOUR = 2
    campaign = make_campaign(status=CampaignStatus.VOTING, vote_mode=VoteMode.PER_SUBMISSION)
    submission = approved(campaign)
    votes = [actions.cast_vote(voter=new_account(), submission=submission) for _ in range(4)]
    moderator = staff_of(campaign.organization, role="moderator")
    client = Client()
    log_in_with_mfa(client, moderator)

    page = client.get(_en("campaigns:held_votes", campaign.slug))
    client.post(
        _en("campaigns:held_votes", campaign.slug), {"vote": votes[2].pk, "decision": "count"}
    )
    client.post(
        _en("campaigns:held_votes", campaign.slug), {"vote": votes[3].pk, "decision": "discard"}
    )

    submission.refresh_from_db()
    assert [v.status for v in votes] == ["counted", "counted", "held", "held"]
    assert page.status_code == 200
    assert votes[2].voter.handle in page.content.decode()
    assert submission.vote_count == 3
    assert Vote.objects.get(pk=votes[3].pk).status == VoteStatus.DISCARDED


def test_members_cannot_review_held_votes():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    client = Client()
    client.force_login(UserFactory.create())

    assert client.get(_en("campaigns:held_votes", campaign.slug)).status_code == 403


# --- the jury and the results ---------------------------------------------------------


def test_the_results_combine_the_public_vote_and_the_jury_and_mark_the_winners():
    campaign = make_campaign(status=CampaignStatus.VOTING, winners_count=1, public_weight=40)
    popular, liked = approved(campaign, title="Popular"), approved(campaign, title="Liked")
    for _ in range(3):
        actions.cast_vote(voter=UserFactory.create(), submission=popular)
    actions.cast_vote(voter=UserFactory.create(), submission=liked)
    juror = UserFactory.create()
    actions.add_juror(actor=None, campaign=campaign, user=juror)
    strong, clear = criteria(campaign, Strong=3, Clear=1)
    actions.score_submission(juror=juror, submission=popular, scores={strong.pk: 2, clear.pk: 6})
    actions.score_submission(juror=juror, submission=liked, scores={strong.pk: 10, clear.pk: 10})
    campaign = actions.advance_campaign(actor=None, campaign=campaign, to=CampaignStatus.CLOSED)

    actions.publish_results(actor=None, campaign=campaign)

    popular.refresh_from_db()
    liked.refresh_from_db()
    # popular: 0.4 × 1 + 0.6 × (3×2 + 1×6)/4/10 = 0.58; liked: 0.4 × 1/3 + 0.6 × 1 ≈ 0.733
    assert liked.rank == 1
    assert liked.is_winner
    assert popular.rank == 2
    assert not popular.is_winner
    assert popular.combined_score == pytest.approx(0.58)
    page = Client().get(_en("campaigns:results", campaign.slug)).content.decode()
    assert "Liked" in page
    assert "Winner" in page
    assert "0.73" in page


def test_only_jury_members_score_and_every_criterion_needs_a_score():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    submission = approved(campaign)
    juror = UserFactory.create()
    actions.add_juror(actor=None, campaign=campaign, user=juror)
    first, _ = criteria(campaign, Strong=1, Clear=1)

    with pytest.raises(NotJuror):
        actions.score_submission(juror=UserFactory.create(), submission=submission, scores={})
    with pytest.raises(InvalidScore):
        actions.score_submission(juror=juror, submission=submission, scores={first.pk: 7})


def test_scores_can_no_longer_change_once_results_are_published():
    campaign = make_campaign(status=CampaignStatus.CLOSED)
    submission = approved(campaign)
    juror = UserFactory.create()
    actions.add_juror(actor=None, campaign=campaign, user=juror)
    campaign = actions.publish_results(actor=None, campaign=campaign)
    submission.campaign = campaign

    with pytest.raises(ScoringClosed):
        actions.score_submission(juror=juror, submission=submission, scores={})


def test_a_juror_scores_on_the_score_page():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    submission = approved(campaign)
    juror = UserFactory.create()
    actions.add_juror(actor=None, campaign=campaign, user=juror)
    (criterion,) = criteria(campaign, Strong=1)
    client = Client()
    client.force_login(juror)
    url = _en("campaigns:score", campaign.slug, submission.public_id)

    refused = client.post(url, {f"criterion_{criterion.pk}": "11"})
    saved = client.post(url, {f"criterion_{criterion.pk}": "8"})

    assert refused.status_code == 400
    assert saved.status_code == 302
    assert criterion.scores.get().score == 8
