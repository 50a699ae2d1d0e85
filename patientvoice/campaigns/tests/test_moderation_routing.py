"""A campaign's submissions reach the moderation queue of the organisation running it
(decisions/0041): its acting staff decide them; nobody else's moderators see them; and
a person action outside a community stays with site staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.models import Case
from patientvoice.moderation.permissions import visible_cases
from patientvoice.organizations.models import StaffRole
from patientvoice.organizations.tests.factories import OrganizationFactory
from patientvoice.organizations.tests.sponsor_factories import staff_of

from .factories import make_campaign, submit

pytestmark = pytest.mark.django_db


def held_submission() -> Any:
    return submit(make_campaign())


def _case(submission: Any) -> Case:
    return Case.objects.get(kind="campaign_submission", object_id=submission.pk)


def test_the_running_organisations_moderator_sees_and_approves_a_held_submission(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submission = held_submission()
    organization = submission.campaign.organization
    moderator = staff_of(organization, StaffRole.MODERATOR)
    case = _case(submission)

    assert case.organization_id == organization.pk
    assert list(visible_cases(moderator, Case.objects.filter(pk=case.pk))) == [case]
    moderation_actions.decide(
        moderator=moderator, case=case, action="keep", reason_code="no_violation",
        explanation="Fits the campaign's rules.",
    )  # fmt: skip
    submission.refresh_from_db()
    assert submission.status == "published"


def test_another_organisations_moderator_does_not_see_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submission = held_submission()
    stranger = staff_of(OrganizationFactory.create(), StaffRole.MODERATOR)

    assert not visible_cases(stranger, Case.objects.filter(pk=_case(submission).pk)).exists()


def test_the_organisations_moderator_cannot_ban_the_submitter_site_wide(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submission = held_submission()
    moderator = staff_of(submission.campaign.organization, StaffRole.MODERATOR)

    with translation.override("en"), pytest.raises(PermissionDenied, match="Only site staff"):
        moderation_actions.decide(
            moderator=moderator, case=_case(submission), action="ban",
            reason_code="spam", explanation="Spam.",
        )  # fmt: skip


def test_the_case_page_shows_the_held_picture_to_the_moderator(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.test import Client
    from django.urls import reverse

    from patientvoice.campaigns.models import SubmissionKind
    from patientvoice.core.testing.sessions import log_in_with_mfa

    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(make_campaign(), kind=SubmissionKind.IMAGE)
    moderator = staff_of(submission.campaign.organization, StaffRole.MODERATOR)
    client = Client()
    log_in_with_mfa(client, moderator)
    with translation.override("en"):
        page_url = reverse("moderation:queue_case", kwargs={"case_id": _case(submission).public_id})
        file_url = reverse(
            "campaigns:submission_file",
            kwargs={
                "slug": submission.campaign.slug,
                "public_id": submission.public_id,
                "variant": "file",
            },
        )

    page = client.get(page_url).content.decode()
    picture = client.get(file_url)

    assert f'src="{file_url}"' in page
    assert 'alt="Blue squares on a white ground"' in page
    assert picture.status_code == 200
    assert Client().get(file_url).status_code in (302, 404)
