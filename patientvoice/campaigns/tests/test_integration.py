"""Submissions in moderation, search, the data export and erasure; the demo data."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.exporting import build_export
from patientvoice.accounts.models import ErasureMode, User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.campaigns import actions
from patientvoice.campaigns.demo import CLOSED_SLUG, VOTING_SLUG, seed_demo_campaigns
from patientvoice.campaigns.kinds import SUBMISSION
from patientvoice.campaigns.models import Campaign, CampaignStatus, Submission, SubmissionKind
from patientvoice.campaigns.search import SUBMISSION_SEARCH_KIND
from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.models import Action, Case, ReasonCode
from patientvoice.organizations.tests.factories import OrganizationFactory

from .factories import approved, criteria, make_campaign, submit, with_second_factor

pytestmark = pytest.mark.django_db


def _files(root: object) -> list[Path]:
    folder = Path(str(root))
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_sent_submission_opens_a_case_and_keeping_it_publishes_the_files(
    settings, django_capture_on_commit_callbacks
):
    campaign = make_campaign()
    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(campaign, kind=SubmissionKind.IMAGE)
    case = Case.objects.get(kind=SUBMISSION, object_id=submission.pk)
    moderator = with_second_factor(StaffFactory.create())

    with django_capture_on_commit_callbacks(execute=True):
        moderation_actions.decide(
            moderator=moderator, case=case, action=Action.KEEP,
            reason_code=ReasonCode.NO_VIOLATION, explanation="Fits the brief.",
        )  # fmt: skip

    submission.refresh_from_db()
    assert submission.status == ContentStatus.PUBLISHED
    assert submission.public_file
    assert (Path(settings.MEDIA_ROOT) / submission.public_file).exists()


def test_a_removed_submission_loses_its_public_files_and_its_author_gets_reasons(
    settings, django_capture_on_commit_callbacks
):
    campaign = make_campaign()
    submission = approved(campaign, kind=SubmissionKind.IMAGE)
    flagger = UserFactory.create()
    moderator = with_second_factor(StaffFactory.create())
    report = moderation_actions.flag(
        reporter=flagger, kind=SUBMISSION, obj=submission, reason="spam"
    )

    with django_capture_on_commit_callbacks(execute=True):
        decision = moderation_actions.decide(
            moderator=moderator, case=report.case, action=Action.REMOVE,
            reason_code=ReasonCode.TERMS_ADVERTISING, explanation="An advertisement.",
        )  # fmt: skip

    submission.refresh_from_db()
    assert submission.status == ContentStatus.REMOVED
    assert submission.public_file == ""
    assert _files(settings.MEDIA_ROOT) == []
    assert decision.statement.recipient_id == submission.author_id


def test_only_approved_submissions_are_found_by_search():
    campaign = make_campaign()
    shown = approved(campaign, title="Lanterns")
    held = submit(campaign, title="Lanterns too")

    indexable = set(SUBMISSION_SEARCH_KIND.indexable().values_list("pk", flat=True))
    found = SUBMISSION_SEARCH_KIND.searchable(None, Submission.objects.all())
    hits = SUBMISSION_SEARCH_KIND.hits(None, [shown.pk, held.pk])

    assert indexable == {shown.pk}
    assert list(found) == [shown]
    assert set(hits) == {shown.pk}
    assert hits[shown.pk].place == campaign.title


def test_the_export_holds_submissions_votes_and_jury_scores():
    campaign = make_campaign(status=CampaignStatus.VOTING)
    person = UserFactory.create()
    mine = approved(campaign, person, title="Mine")
    other = approved(campaign)
    actions.cast_vote(voter=person, submission=other)
    actions.add_juror(actor=None, campaign=campaign, user=person)
    (criterion,) = criteria(campaign, Strong=1)
    actions.score_submission(juror=person, submission=other, scores={criterion.pk: 7})

    section = build_export(person)["campaigns"]

    assert [s["public_id"] for s in section["submissions"]] == [str(mine.public_id)]
    assert section["votes"][0]["submission__public_id"] == str(other.public_id)
    assert section["jury_scores"][0]["score"] == 7


@pytest.mark.parametrize("mode", [ErasureMode.ANONYMISE, ErasureMode.REMOVE])
def test_erasure_forgets_votes_and_submissions_and_keeps_counts_right(
    mode, settings, django_capture_on_commit_callbacks
):
    campaign = make_campaign(status=CampaignStatus.VOTING)
    person = UserFactory.create(erasure_mode=mode, erasure_requested_at=timezone.now())
    theirs = approved(campaign, person, kind=SubmissionKind.IMAGE)
    other = approved(campaign)
    actions.cast_vote(voter=person, submission=other)

    with django_capture_on_commit_callbacks(execute=True):
        account_actions.erase_account(user=person)

    other.refresh_from_db()
    assert other.vote_count == 0
    assert not User.objects.filter(pk=person.pk).exists()
    kept = Submission.objects.filter(pk=theirs.pk).first()
    if mode == ErasureMode.REMOVE:
        assert kept is None
        assert not (Path(settings.MEDIA_ROOT) / theirs.public_file).exists()
    else:
        assert kept is not None
        assert kept.author_id is None


def test_the_demo_campaigns_are_seeded_once(django_capture_on_commit_callbacks):
    OrganizationFactory.create(slug="diabetes-norr")
    OrganizationFactory.create(slug="cancer-together")
    for key in ("anna", "erik", "maria", "sam", "lena", "james"):
        UserFactory.create(email=f"{key}@demo.patientvoice.local")

    with django_capture_on_commit_callbacks(execute=True):
        seed_demo_campaigns()
    seed_demo_campaigns()

    voting = Campaign.objects.get(slug=VOTING_SLUG)
    closed = Campaign.objects.get(slug=CLOSED_SLUG)
    assert voting.status == CampaignStatus.VOTING
    assert voting.submissions.filter(status=ContentStatus.HELD).count() == 1
    assert voting.submissions.filter(status=ContentStatus.PUBLISHED, kind="image").count() == 3
    assert closed.status == CampaignStatus.PUBLISHED
    assert closed.submissions.filter(is_winner=True).count() == 1
    assert Campaign.objects.count() == 2
    page = Client().get(f"/en/campaigns/{CLOSED_SLUG}/results/").content.decode()
    assert "Winner" in page


def test_a_moderator_sees_the_held_count_on_the_landing_page():
    campaign = make_campaign()
    submit(campaign)
    staff = StaffFactory.create()
    client = Client()
    log_in_with_mfa(client, staff)

    page = client.get(f"/en/campaigns/{campaign.slug}/").content.decode()

    assert "1 submission waits for review" in page
