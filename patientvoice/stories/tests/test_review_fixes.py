"""The cold review's findings (decisions/0040): each test fails on the code before the
fix. Audiences that are lost, sponsors' features, the feed's validator, erasure,
pictures' descriptions, replies under hidden comments, blank comments, guests'
addresses, moderation cases of deleted stories, and the conventions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.communities import actions as community_actions
from patientvoice.core.models import ContentStatus
from patientvoice.core.publishing import ContentTooLong
from patientvoice.expertnotes.targets import TARGETS
from patientvoice.moderation.models import Case
from patientvoice.organizations.models import Organization, OrganizationKind
from patientvoice.stories import actions
from patientvoice.stories.actions.comments import _email_key
from patientvoice.stories.forms import CHOOSE_AGAIN
from patientvoice.stories.kinds import story_url
from patientvoice.stories.models import Story, StoryComment, StoryDraft, StoryRevision
from patientvoice.stories.queries import featured_for_organization, featuring_names, story_list

from .factories import PHONE_BODY, CommentFactory, CommunityFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_english() -> Iterator[None]:
    """The assertions read the English messages: pages at /en/ addresses."""
    with translation.override("en"):
        yield


TITLE = "For my group only"
BODY = "Private things, only for the people of my group to read."


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _group_draft(author: Any) -> tuple[StoryDraft, Any]:
    community = CommunityFactory.create(private=True)
    community_actions.join_community(user=author, community=community)
    draft = actions.save_draft(
        author=author, draft=None, title=TITLE, body=BODY, language="sv", community=community
    )
    return draft, community


# --- 1. a draft's audience is never quietly "everyone" ----------------------------------


def test_a_draft_whose_community_the_author_left_asks_them_to_choose_again(
    author, in_english: None
):
    draft, community = _group_draft(author)
    community_actions.leave_community(user=author, community=community)

    page = _client(author).get(draft.get_absolute_url()).content.decode()

    assert f'<option value="{CHOOSE_AGAIN}" selected>' in page
    assert f"You can no longer tell this story to {community.name}" in page


def test_autosave_keeps_a_lost_audience_until_the_author_picks_again(author):
    draft, community = _group_draft(author)
    community_actions.leave_community(user=author, community=community)
    client = _client(author)
    posted = {"draft": str(draft.public_id), "title": TITLE, "body": BODY + " More."}

    client.post(reverse("stories:autosave"), posted | {"audience": CHOOSE_AGAIN})

    draft.refresh_from_db()
    assert draft.community == community
    assert draft.body.endswith("More.")

    client.post(reverse("stories:autosave"), posted | {"audience": ""})

    draft.refresh_from_db()
    assert draft.community is None


def test_publish_refuses_a_draft_whose_audience_was_lost_and_keeps_it(author, in_english: None):
    draft, community = _group_draft(author)
    community_actions.leave_community(user=author, community=community)

    response = _client(author).post(
        draft.get_absolute_url(),
        {"title": TITLE, "body": BODY, "audience": CHOOSE_AGAIN, "action": "publish"},
    )

    assert response.status_code == 400
    assert "Choose who can read it" in response.content.decode()
    assert not Story.objects.exists()
    draft.refresh_from_db()
    assert draft.community == community


def test_a_deleted_community_leaves_the_draft_with_its_text_and_no_audience(
    author, in_english: None
):
    draft, community = _group_draft(author)

    community.delete()

    draft.refresh_from_db()
    assert draft.body == BODY
    assert draft.community is None
    assert draft.audience_lost
    with pytest.raises(PermissionDenied):
        actions.publish_draft(author=author, draft=draft)
    page = _client(author).get(draft.get_absolute_url()).content.decode()
    assert "The community you chose for this story is gone" in page


def test_choosing_everyone_again_after_losing_the_audience_lets_the_draft_be_published(author):
    draft, community = _group_draft(author)
    community.delete()
    draft.refresh_from_db()

    draft = actions.save_draft(
        author=author, draft=draft, title=TITLE, body=BODY, language="sv", community=None
    )
    result = actions.publish_draft(author=author, draft=draft)

    assert result.published
    assert not draft.audience_lost


# --- 2. a sponsor's feature boosts nothing -----------------------------------------------


def test_an_organisation_switched_to_sponsor_no_longer_features_a_story(story, reader):
    organization = Organization.objects.create(name="Pharma AB", slug="pharma-ab")
    actions.feature_story(actor=None, story=story, organization=organization)
    Organization.objects.filter(pk=organization.pk).update(kind=OrganizationKind.SPONSOR)

    listed = story_list(reader).get(pk=story.pk)

    assert not getattr(listed, "is_featured", True)
    assert featuring_names(story) == []
    assert not featured_for_organization(reader, organization).exists()
    page = Client().get(story.get_absolute_url()).content.decode()
    assert "Pharma AB" not in page


# --- 3. the feed's validator follows what it serves ------------------------------------


def test_the_feed_answers_in_full_after_a_story_in_it_is_hidden(author):
    StoryFactory.create(author=author)
    newest = StoryFactory.create(author=author)
    client = Client()
    url = reverse("stories:feed")
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    actions.set_story_status(story=newest, status=ContentStatus.HIDDEN)

    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 200
    assert newest.title not in by_date.content.decode()


def test_the_feed_answers_in_full_after_a_story_in_it_is_deleted(author):
    StoryFactory.create(author=author)
    newest = StoryFactory.create(author=author)
    client = Client()
    url = reverse("stories:feed")
    etag = client.get(url)["ETag"]

    actions.delete_story(user=author, story=newest)

    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


# --- 4. erasure takes the earlier versions ---------------------------------------------


def test_anonymising_erasure_deletes_the_earlier_versions_of_their_stories(story, author):
    actions.edit_story(
        user=author, story=story, title=story.title, body="A new text of my story.", conditions=[]
    )
    assert StoryRevision.objects.filter(story=story).exists()

    actions.remove_stories_of(user=author, published_too=False)

    assert Story.objects.filter(pk=story.pk).exists()
    assert not StoryRevision.objects.filter(story=story).exists()


# --- 6. the picture's description is checked like the text -----------------------------


def _with_cover(model: Any, pk: int) -> None:
    model.objects.filter(pk=pk).update(
        cover="story-covers/a.png", cover_width=16, cover_height=9, cover_alt="A quiet lake"
    )


def test_a_phone_number_in_the_pictures_description_holds_the_story(author):
    draft = actions.save_draft(
        author=author, draft=None, title="A title long enough", body=BODY, language="sv",
        community=None,
    )  # fmt: skip
    _with_cover(StoryDraft, draft.pk)
    StoryDraft.objects.filter(pk=draft.pk).update(cover_alt=PHONE_BODY)
    draft.refresh_from_db()

    result = actions.publish_draft(author=author, draft=draft)

    assert result.held


def test_an_edit_changing_only_the_pictures_description_passes_the_checks(story, author):
    _with_cover(Story, story.pk)
    story.refresh_from_db()

    result = actions.edit_story(
        user=author, story=story, title=story.title, body=story.body, conditions=[],
        cover_alt=PHONE_BODY,
    )  # fmt: skip

    assert result.held
    story.refresh_from_db()
    assert story.status == ContentStatus.HELD


# --- 7 and 8. replies and hidden comments -----------------------------------------------


def test_a_reply_to_a_comment_hidden_meanwhile_comes_back_with_the_text_kept(
    story, reader, in_english: None
):
    parent = CommentFactory.create(story=story)
    actions.set_comment_status(comment=parent, status=ContentStatus.HIDDEN)

    response = _client(reader).post(
        reverse("stories:comment", kwargs={"public_id": story.public_id}),
        {"body": "A long careful reply I typed", "parent": str(parent.public_id)},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "A long careful reply I typed" in page
    assert "The comment you answered is no longer shown" in page
    assert f'value="{parent.public_id}"' not in page
    assert not StoryComment.objects.filter(author=reader).exists()


def test_a_reply_with_a_bad_comment_id_comes_back_with_the_text_kept(story, reader):
    response = _client(reader).post(
        reverse("stories:comment", kwargs={"public_id": story.public_id}),
        {"body": "Another careful reply", "parent": "not-an-id"},
    )

    assert response.status_code == 400
    assert "Another careful reply" in response.content.decode()


def test_replies_under_a_hidden_comment_are_neither_counted_nor_listed(story, reader):
    parent = CommentFactory.create(story=story)
    reply = CommentFactory.create(story=story, author=reader, parent=parent)

    actions.set_comment_status(comment=parent, status=ContentStatus.HIDDEN)

    story.refresh_from_db()
    assert story.comment_count == 0
    listed = Client().get(reverse("api:list_comments", args=[story.public_id])).json()
    assert str(reply.public_id) not in str(listed)


def test_replying_to_a_hidden_comment_is_refused_by_the_action(story, reader):
    parent = CommentFactory.create(story=story)
    actions.set_comment_status(comment=parent, status=ContentStatus.HIDDEN)

    with pytest.raises(Http404):
        actions.comment_as_member(
            author=reader, story=story, body="A reply", language="sv", parent=parent
        )


# --- 9. blank comments ------------------------------------------------------------------


def test_the_api_refuses_a_comment_of_spaces_only(story, reader):
    response = _client(reader).post(
        reverse("api:create_comment", args=[story.public_id]),
        '{"body": "     "}',
        content_type="application/json",
    )

    assert response.status_code == 422
    assert not StoryComment.objects.exists()


def test_the_action_refuses_a_blank_comment(story, reader):
    with pytest.raises(ValueError, match="needs text"):
        actions.comment_as_member(author=reader, story=story, body=" \n ", language="sv")


# --- 10. guests' addresses --------------------------------------------------------------


def test_the_rate_limit_key_does_not_give_a_guests_address_away():
    address = "visitor@example.org"

    key = _email_key(" Visitor@Example.org ")

    assert key == _email_key(address)
    assert key != hashlib.sha256(address.encode()).hexdigest()[:32]
    assert hashlib.sha256(address.encode()).hexdigest()[:32] not in key


# --- 11. deleted stories take their cases -----------------------------------------------


def test_deleting_a_held_story_takes_its_unreported_case_with_it(
    author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = StoryFactory.create(author=author, body=PHONE_BODY)
    assert Case.objects.filter(kind="story", object_id=story.pk).exists()
    story_pk = story.pk

    actions.delete_story(user=author, story=story)

    assert not Case.objects.filter(kind="story", object_id=story_pk).exists()


def test_erasure_takes_the_unreported_cases_of_the_stories_it_deletes(
    author, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story = StoryFactory.create(author=author, body=PHONE_BODY)
    story_pk = story.pk

    actions.remove_stories_of(user=author, published_too=False)

    assert not Case.objects.filter(kind="story", object_id=story_pk).exists()


# --- 12. conventions --------------------------------------------------------------------


def test_publishing_another_persons_draft_is_404(author, reader):
    draft, _ = _group_draft(author)

    with pytest.raises(Http404):
        actions.publish_draft(author=reader, draft=draft)


def test_status_changes_take_keywords_only(story):
    with pytest.raises(TypeError):
        actions.set_story_status(story, ContentStatus.HIDDEN)  # type: ignore[call-arg]


def test_an_edit_too_long_for_the_pipeline_comes_back_with_the_text_kept(
    story, author, monkeypatch
):
    def too_long(**kwargs: Any) -> Any:
        raise ContentTooLong

    monkeypatch.setattr(actions, "edit_story", too_long)

    response = _client(author).post(
        reverse("stories:edit", kwargs={"public_id": story.public_id}),
        {"title": story.title, "body": "My edited text, a little longer now."},
    )

    assert response.status_code == 400
    assert "My edited text, a little longer now." in response.content.decode()


def test_opening_the_notices_leaves_them_unread_until_the_button_is_pressed(
    story, author, reader, django_capture_on_commit_callbacks, in_english: None
):
    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory.create(story=story, author=reader)
    client = _client(author)

    page = client.get(reverse("stories:notices")).content.decode()

    assert "Mark all as read" in page
    assert author.story_notices.filter(read_at__isnull=True).exists()

    client.post(reverse("stories:notices"))

    assert not author.story_notices.filter(read_at__isnull=True).exists()


# --- 13. one story address --------------------------------------------------------------


def test_expert_notes_link_a_story_with_the_stories_own_address(story):
    assert TARGETS["story"].url_of is story_url
    assert TARGETS["story"].url_of(story) == story.get_absolute_url()
