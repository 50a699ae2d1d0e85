"""Drafts, publishing, edits, deletion, featuring, comments and notices, through the
actions: what a person would notice."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from patientvoice.core.models import ContentStatus
from patientvoice.core.textchecks import REASON_LABELS
from patientvoice.moderation.models import Case, Severity
from patientvoice.safety.models import SafetySignal
from patientvoice.stories import actions
from patientvoice.stories.models import Story, StoryComment, StoryDraft, StoryNotice, StoryRevision
from patientvoice.stories.tokens import make_token, read_token

from .factories import (
    PHONE_BODY,
    CommentFactory,
    CommunityFactory,
    GuestCommentFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _draft(author, **kwargs):
    fields = {
        "title": "A title that is long enough",
        "body": "A story body with enough words to be a story of its own.",
        "language": "sv",
        "community": None,
    } | kwargs
    return actions.save_draft(author=author, draft=None, **fields)


def test_a_draft_is_not_content_until_it_is_published(author):
    draft = _draft(author, title="", body="half a sentence")

    assert StoryDraft.objects.get(pk=draft.pk).body == "half a sentence"
    assert not Story.objects.exists()


def test_saving_a_draft_again_keeps_one_draft(author):
    draft = _draft(author)

    again = actions.save_draft(
        author=author, draft=draft, title="New title", body="New body", language="sv",
        community=None,
    )  # fmt: skip

    assert again.pk == draft.pk
    assert StoryDraft.objects.get().title == "New title"


def test_a_member_cannot_tell_a_story_to_a_community_they_are_not_in(author):
    community = CommunityFactory.create()

    with pytest.raises(PermissionDenied):
        _draft(author, community=community)


def test_publishing_a_draft_makes_a_published_story_and_removes_the_draft(author):
    draft = _draft(author, body=" ".join(["word"] * 450))

    result = actions.publish_draft(author=author, draft=draft)

    story = Story.objects.get()
    assert result.published
    assert story.status == ContentStatus.PUBLISHED
    assert story.reading_minutes == 3
    assert story.slug == "a-title-that-is-long-enough"
    assert not StoryDraft.objects.exists()


def test_a_phone_number_in_the_title_holds_the_story(author):
    draft = _draft(author, title="Call me on 070-123 45 67")

    result = actions.publish_draft(author=author, draft=draft)

    assert result.held
    assert "personal_data.phone" in Story.objects.get().hold_reasons


def test_an_edit_keeps_the_earlier_text_as_a_revision(story, author):
    actions.edit_story(
        user=author, story=story, title="A new title for it", body="The new text of my story.",
        conditions=[],
    )  # fmt: skip

    story.refresh_from_db()
    revision = StoryRevision.objects.get(story=story)
    assert story.title == "A new title for it"
    assert story.edited_at is not None
    assert revision.title == "Story no. 1: the long first year"


def test_an_edit_that_adds_a_phone_number_is_held(story, author):
    result = actions.edit_story(
        user=author, story=story, title=story.title, body=PHONE_BODY, conditions=[]
    )

    assert result.held


def test_the_author_deletes_the_story_with_its_comments(story, author):
    CommentFactory.create(story=story)

    actions.delete_story(user=author, story=story)

    assert not Story.objects.exists()
    assert not StoryComment.objects.exists()


def test_organisation_staff_feature_a_public_story(story, org_moderator, organization):
    assert actions.feature_story(actor=org_moderator, story=story, organization=organization)

    assert story.features.filter(organization=organization).exists()


def test_an_organisation_cannot_feature_a_story_of_a_community_it_does_not_host(
    author, org_moderator, organization
):
    other = CommunityFactory.create(members=[author])
    story = StoryFactory.create(author=author, community=other)

    with pytest.raises(PermissionDenied):
        actions.feature_story(actor=org_moderator, story=story, organization=organization)


def test_a_member_who_is_not_staff_cannot_feature(story, reader, organization):
    with pytest.raises(PermissionDenied):
        actions.feature_story(actor=reader, story=story, organization=organization)


def test_a_members_comment_is_published_and_counted(story, reader):
    comment = CommentFactory.create(story=story, author=reader)

    story.refresh_from_db()
    assert comment.status == ContentStatus.PUBLISHED
    assert story.comment_count == 1


def test_a_reply_to_a_reply_attaches_to_the_top_level_comment(story, reader):
    top = CommentFactory.create(story=story)
    reply = CommentFactory.create(story=story, parent=top)

    again = CommentFactory.create(story=story, author=reader, parent=reply)

    assert again.parent_id == top.pk


def test_a_guest_comment_is_held_and_a_confirmation_link_is_mailed(
    story, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = GuestCommentFactory.create(story=story, guest_email="visitor@example.org")

    assert comment.status == ContentStatus.HELD
    assert comment.hold_reasons == [actions.GUEST_HOLD]
    assert mail.outbox[-1].to == ["visitor@example.org"]
    assert "/stories/comment/" in mail.outbox[-1].body
    assert str(REASON_LABELS[actions.GUEST_HOLD])


def test_a_guest_comment_opens_a_case_in_the_site_queue(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        comment = GuestCommentFactory.create(story=story)

    case = Case.objects.get(kind="story_comment", object_id=comment.pk)
    assert case.community is None
    assert case.author is None


def test_guests_cannot_comment_on_a_community_story(private_story):
    with pytest.raises(PermissionDenied):
        GuestCommentFactory.create(story=private_story)


def test_confirming_raises_the_case_when_auto_publishing_is_off(
    story, settings, django_capture_on_commit_callbacks
):
    settings.PV_GUEST_COMMENTS_AUTO_PUBLISH_CONFIRMED = False
    with django_capture_on_commit_callbacks(execute=True):
        comment = GuestCommentFactory.create(story=story)

    assert actions.confirm_guest_comment(comment=comment)

    comment.refresh_from_db()
    case = Case.objects.get(kind="story_comment", object_id=comment.pk)
    assert comment.status == ContentStatus.HELD
    assert comment.guest_confirmed_at is not None
    assert case.severity == Severity.MEDIUM
    assert actions.GUEST_CONFIRMED in case.reasons


def test_confirming_publishes_at_once_when_the_site_allows_it(
    story, settings, django_capture_on_commit_callbacks
):
    settings.PV_GUEST_COMMENTS_AUTO_PUBLISH_CONFIRMED = True
    comment = GuestCommentFactory.create(story=story)

    with django_capture_on_commit_callbacks(execute=True):
        actions.confirm_guest_comment(comment=comment)

    comment.refresh_from_db()
    story.refresh_from_db()
    assert comment.status == ContentStatus.PUBLISHED
    assert story.comment_count == 1


def test_a_confirmed_comment_with_another_hold_reason_waits(story, settings):
    settings.PV_GUEST_COMMENTS_AUTO_PUBLISH_CONFIRMED = True
    comment = GuestCommentFactory.create(story=story, body=PHONE_BODY)

    actions.confirm_guest_comment(comment=comment)

    comment.refresh_from_db()
    assert comment.status == ContentStatus.HELD


def test_confirming_twice_changes_nothing(story):
    comment = GuestCommentFactory.create(story=story)
    actions.confirm_guest_comment(comment=comment)

    assert not actions.confirm_guest_comment(comment=comment)


def test_a_guest_token_names_its_comment_and_an_altered_one_names_nothing(story):
    comment = GuestCommentFactory.create(story=story)
    token = make_token(comment.public_id)

    assert read_token(token) == comment.public_id
    assert read_token(token[:-2] + "xx") is None


def test_the_story_author_is_told_of_a_published_comment(
    story, author, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = CommentFactory.create(story=story, author=reader)

    notice = StoryNotice.objects.get()
    assert notice.recipient == author
    assert notice.comment == comment
    assert notice.kind == "comment"


def test_a_commenter_is_told_of_a_reply_and_nobody_of_their_own(
    story, author, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        top = CommentFactory.create(story=story, author=reader)
        CommentFactory.create(story=story, author=author, parent=top)

    assert StoryNotice.objects.filter(recipient=reader, kind="reply").count() == 1
    assert StoryNotice.objects.filter(recipient=author).count() == 1  # of top only


def test_nobody_is_told_of_a_held_comment(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        GuestCommentFactory.create(story=story)

    assert not StoryNotice.objects.exists()


def test_the_author_is_not_told_of_a_comment_they_can_no_longer_see(
    author, private_community, reader, django_capture_on_commit_callbacks
):
    story = StoryFactory.create(author=author, community=private_community)
    private_community.memberships.filter(user=author).delete()

    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory.create(story=story, author=reader)

    assert not StoryNotice.objects.exists()


def test_a_story_naming_a_medicine_and_a_reaction_opens_a_safety_signal(
    author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = StoryFactory.create(
            author=author,
            title="Mitt första år med metotrexat",
            body="Efter att jag började med metotrexat fick jag håravfall och illamående "
            "varje vecka.",
        )

    assert SafetySignal.objects.filter(content_kind="stories.story", object_id=story.pk).exists()


def test_erasure_in_remove_mode_deletes_stories_comments_and_drafts(story, author, reader):
    CommentFactory.create(story=story, author=reader)
    mine = CommentFactory.create(story=StoryFactory.create(author=reader), author=author)
    _draft(author)

    actions.remove_stories_of(user=author, published_too=True)

    assert not Story.objects.filter(author=author).exists()
    assert not StoryComment.objects.filter(pk=mine.pk).exists()
    assert not StoryDraft.objects.exists()
    assert mine.story.__class__.objects.get(pk=mine.story_id).comment_count == 0


def test_erasure_in_anonymise_mode_keeps_published_stories(story, author):
    held = StoryFactory.create(author=author, body=PHONE_BODY)

    actions.remove_stories_of(user=author, published_too=False)

    assert Story.objects.filter(pk=story.pk).exists()
    assert not Story.objects.filter(pk=held.pk).exists()


def test_a_new_member_from_another_account_sees_no_notice_of_others(reader):
    assert not StoryNotice.objects.filter(recipient=reader).exists()
    assert UserFactory.create()
