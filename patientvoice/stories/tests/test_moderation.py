"""Stories and comments in moderation: flagged, held ones in the right queue, decisions
that hide, remove and restore with a statement of reasons, and a guest's comment
published when a moderator keeps it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation import queries as moderation_queries
from patientvoice.moderation.models import Case, StatementOfReasons
from patientvoice.moderation.tests.factories import community_moderator
from patientvoice.stories import actions

from .factories import CommentFactory, GuestCommentFactory, StoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _decide(moderator, case, action="hide"):
    return moderation_actions.decide(
        moderator=moderator,
        case=case,
        action=action,
        reason_code="community_guidelines" if action != "keep" else "no_violation",
        explanation="Det bryter mot riktlinjerna." if action != "keep" else "Inget fel.",
    )


def test_a_reader_flags_a_story_and_staff_hide_it_with_a_statement(story, reader, staff):
    report = moderation_actions.flag(reporter=reader, kind="story", obj=story, reason="spam")

    _decide(staff, report.case)

    story.refresh_from_db()
    assert story.status == ContentStatus.HIDDEN
    assert StatementOfReasons.objects.filter(recipient=story.author).exists()
    assert Client().get(story.get_absolute_url()).status_code == 404


def test_a_hidden_story_is_restored_on_appeal_undo(story, reader, staff):
    report = moderation_actions.flag(reporter=reader, kind="story", obj=story, reason="spam")
    decision = _decide(staff, report.case)

    from patientvoice.stories.kinds import STORY_KIND

    story.refresh_from_db()
    STORY_KIND.undo(story, decision, staff)

    story.refresh_from_db()
    assert story.status == ContentStatus.PUBLISHED


def test_a_guest_comment_is_in_the_site_queue_and_keep_publishes_it(
    story, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = GuestCommentFactory.create(story=story)
    case = Case.objects.get(kind="story_comment", object_id=comment.pk)
    assert case in moderation_queries.queue(staff)

    with django_capture_on_commit_callbacks(execute=True):
        _decide(staff, case, "keep")

    comment.refresh_from_db()
    story.refresh_from_db()
    assert comment.status == ContentStatus.PUBLISHED
    assert story.comment_count == 1
    assert comment.body in Client().get(story.get_absolute_url()).content.decode()


def test_a_communitys_story_is_decided_by_its_moderators(
    author, django_capture_on_commit_callbacks
):
    from .factories import CommunityFactory

    community = CommunityFactory.create()
    moderator = community_moderator(community)
    other = community_moderator(CommunityFactory.create())
    story = StoryFactory.create(author=author, community=community)
    reader = UserFactory.create()
    report = moderation_actions.flag(reporter=reader, kind="story", obj=story, reason="spam")

    assert report.case.community == community
    assert report.case in moderation_queries.queue(moderator)
    assert report.case not in moderation_queries.queue(other)


def test_a_comment_is_hidden_and_the_count_follows(story, reader, staff):
    comment = CommentFactory.create(story=story, author=reader)
    report = moderation_actions.flag(
        reporter=UserFactory.create(), kind="story_comment", obj=comment, reason="spam"
    )

    _decide(staff, report.case)

    story.refresh_from_db()
    comment.refresh_from_db()
    assert comment.status == ContentStatus.HIDDEN
    assert story.comment_count == 0


def test_a_confirmed_guest_is_marked_on_the_case_page(
    story, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = GuestCommentFactory.create(story=story, guest_email="g@example.org")
    actions.confirm_guest_comment(comment=comment)
    case = Case.objects.get(kind="story_comment", object_id=comment.pk)
    client = Client()
    log_in_with_mfa(client, staff)

    page = client.get(reverse("moderation:queue_case", args=[case.public_id])).content.decode()

    assert comment.guest_name in page
    assert "g@example.org" not in page
    assert "guest-comment-title" in page


def test_the_report_link_flags_a_story(story, reader):
    client = Client()
    log_in_with_mfa(client, reader)

    response = client.get(reverse("moderation:flag", args=["story", story.public_id]))

    assert response.status_code == 200
