"""The demo's stories: made once, by the demo's members, with a featured one, comments
and a visitor's comment waiting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.core.models import ContentStatus
from patientvoice.organizations.tests.factories import OrganizationFactory
from patientvoice.stories.demo import DOMAIN, STORIES, seed_demo_stories
from patientvoice.stories.models import Story, StoryComment, StoryFeature

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_members() -> None:
    for key in ("anna", "erik", "maria", "sam", "james"):
        account_actions.create_member(
            email=f"{key}@{DOMAIN}", password="demo-password-2026", handle=f"{key}_demo",
            presence="patient", language="sv", bio="", email_verified=True,
            joined_at=timezone.now() - timedelta(days=120),
        )  # fmt: skip
    OrganizationFactory.create(slug="ledstod", name="Ledstöd")


def test_the_demo_stories_are_made_once(demo_members):
    seed_demo_stories()
    seed_demo_stories()

    # The members-only community's story needs seed_demo's community: left out here.
    assert Story.objects.count() == len(STORIES) - 1
    assert StoryFeature.objects.count() == 1
    assert StoryComment.objects.filter(status=ContentStatus.HELD, author__isnull=True).count() == 1
    assert StoryComment.objects.filter(parent__isnull=False).count() == 1
