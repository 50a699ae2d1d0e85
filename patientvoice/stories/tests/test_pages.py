"""The stories' pages as a person uses them: lists, a story, writing (drafts with and
without JavaScript), comments by members and guests, the guest's link and the feed;
bad input answered with a translated message and the form kept."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import npgettext, pgettext
from PIL import Image

from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.stories import actions
from patientvoice.stories.models import Story, StoryComment, StoryDraft
from patientvoice.stories.tokens import make_token

from .factories import (
    CommentFactory,
    CommunityFactory,
    GuestCommentFactory,
    StoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def sv(context: str, message: str) -> str:
    """The wording a Swedish page shows (the catalogue's, or the English text until the
    Swedish catalogue has it)."""
    with translation.override("sv"):
        return pgettext(context, message)


GUEST_NOTE = ("comments", "Your e-mail address will not be published. Required fields are marked *")
GUEST_THANKS = (
    "comment",
    "Thank you. A moderator reads comments from visitors before they are shown. We "
    "have sent you an e-mail with a link to confirm your comment.",
)
TOO_LONG = "This is too long: at most %(limit_value)d characters (it has %(show_value)d)."


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        log_in(client, user)
    return client


def _png(width: int = 300, height: int = 200) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(out, format="PNG")
    return SimpleUploadedFile("bild.png", out.getvalue(), content_type="image/png")


def _story_form(**kwargs):
    return {
        "title": "Mitt första år",
        "body": "Det första året var det svåraste, men jag lärde mig mycket om mig själv.",
        "audience": "",
        "cover_alt": "",
        "action": "publish",
    } | kwargs


# --- reading ---------------------------------------------------------------------------


def test_the_list_shows_featured_stories_first(author, organization):
    older = StoryFactory.create(author=author, title="Story no. 10: featured one")
    StoryFactory.create(author=author, title="Story no. 11: newer one")
    actions.feature_story(actor=None, story=older, organization=organization)

    page = Client().get(reverse("stories:list")).content.decode()

    assert page.index("featured one") < page.index("newer one")


def test_the_list_filters_by_condition(author):
    from patientvoice.directory.models import Condition

    condition = Condition.objects.get(slug="typ-1-diabetes")
    StoryFactory.create(author=author, title="Story no. 20: sensors", conditions=[condition])
    StoryFactory.create(author=author, title="Story no. 21: knees")

    page = Client().get(reverse("stories:list") + "?condition=typ-1-diabetes").content.decode()

    assert "sensors" in page
    assert "knees" not in page


def test_the_filter_offers_only_conditions_of_stories_the_reader_may_read(
    author, private_community
):
    from patientvoice.directory.models import Condition

    shown = Condition.objects.get(slug="typ-1-diabetes")
    secret = Condition.objects.get(slug="brostcancer")
    StoryFactory.create(author=author, conditions=[shown])
    StoryFactory.create(author=author, community=private_community, conditions=[secret])

    page = Client().get(reverse("stories:list")).content.decode()

    assert 'value="typ-1-diabetes"' in page
    assert 'value="brostcancer"' not in page


def test_the_pages_of_a_filtered_list_keep_the_filter(author):
    from patientvoice.directory.models import Condition

    condition = Condition.objects.get(slug="typ-1-diabetes")
    for _ in range(21):
        StoryFactory.create(author=author, conditions=[condition])

    page = Client().get(reverse("stories:list") + "?condition=typ-1-diabetes").content.decode()

    assert "?page=2&amp;condition=typ-1-diabetes" in page


def test_an_unknown_condition_answers_404():
    assert Client().get(reverse("stories:list") + "?condition=nothing-here").status_code == 404


def test_the_list_costs_the_same_queries_for_five_or_fifteen_stories(
    author, django_assert_num_queries
):
    from patientvoice.directory.models import Condition

    conditions = list(Condition.objects.all()[:2])
    for _ in range(5):
        StoryFactory.create(author=UserFactory.create(), conditions=conditions)
    client = Client()
    client.get(reverse("stories:list"))  # warm the site's funding notices cache

    with django_assert_num_queries(4):
        assert client.get(reverse("stories:list")).status_code == 200
    for _ in range(10):
        StoryFactory.create(author=UserFactory.create(), conditions=conditions)
    with django_assert_num_queries(4):
        assert client.get(reverse("stories:list")).status_code == 200


def test_the_list_and_a_story_cost_a_member_a_fixed_number_of_queries(
    story, reader, django_assert_num_queries
):
    client = _client(reader)
    client.get(reverse("stories:list"))
    client.get(story.get_absolute_url())
    with django_assert_num_queries(6):
        assert client.get(reverse("stories:list")).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(story.get_absolute_url()).status_code == 200
    for _ in range(6):
        StoryFactory.create(author=UserFactory.create())
        CommentFactory.create(story=story)

    with django_assert_num_queries(6):
        assert client.get(reverse("stories:list")).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(story.get_absolute_url()).status_code == 200


def test_a_story_page_shows_the_story_reading_time_and_share_links(story):
    page = Client().get(story.get_absolute_url()).content.decode()

    assert story.title in page
    with translation.override("sv"):
        minutes = npgettext("story", "%(counter)s min read", "%(counter)s min read", 1)
    assert minutes % {"counter": 1} in page
    assert "mailto:?subject=" in page
    assert "data-share-copy" in page


def test_a_story_address_with_another_slug_redirects_to_the_right_one(story):
    url = reverse("stories:detail", kwargs={"public_id": story.public_id, "slug": "old-title"})

    response = Client().get(url)

    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()


def test_the_story_page_costs_the_same_queries_for_two_or_twelve_comments(
    story, django_assert_num_queries
):
    for _ in range(2):
        CommentFactory.create(story=story)
    client = Client()
    client.get(story.get_absolute_url())

    with django_assert_num_queries(4):
        assert client.get(story.get_absolute_url()).status_code == 200
    top = CommentFactory.create(story=story)
    for _ in range(9):
        CommentFactory.create(story=story, parent=top)
    with django_assert_num_queries(4):
        assert client.get(story.get_absolute_url()).status_code == 200


def test_a_guest_sees_the_guest_form_with_the_exact_sentence(story):
    page = Client().get(story.get_absolute_url()).content.decode()

    assert sv(*GUEST_NOTE) in page
    assert 'name="website"' in page


def test_a_members_only_story_is_404_for_a_visitor(private_story):
    assert Client().get(private_story.get_absolute_url()).status_code == 404


# --- writing ---------------------------------------------------------------------------


def test_save_draft_without_javascript_keeps_the_draft_for_its_author_only(author, reader):
    client = _client(author)

    response = client.post(
        reverse("stories:write"), _story_form(title="", action="save_draft", body="Ett utkast")
    )

    draft = StoryDraft.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("stories:draft", kwargs={"public_id": draft.public_id})
    assert draft.body == "Ett utkast"
    assert _client(reader).get(response["Location"]).status_code == 404


def test_autosave_creates_then_updates_one_draft_and_names_it(author):
    client = _client(author)

    first = client.post(reverse("stories:autosave"), _story_form(), HTTP_HX_REQUEST="true")
    draft = StoryDraft.objects.get()
    second = client.post(
        reverse("stories:autosave"),
        _story_form(title="Ny titel", draft=str(draft.public_id)),
        HTTP_HX_REQUEST="true",
    )

    assert first.status_code == 200
    assert f'value="{draft.public_id}"' in first.content.decode()
    assert 'hx-swap-oob="true"' in first.content.decode()
    assert second.status_code == 200
    assert StoryDraft.objects.get().title == "Ny titel"


def test_autosave_of_another_persons_draft_is_404(author, reader):
    draft = actions.save_draft(
        author=author, draft=None, title="x", body="y", language="sv", community=None
    )

    response = _client(reader).post(
        reverse("stories:autosave"), _story_form(draft=str(draft.public_id))
    )

    assert response.status_code == 404


def test_the_composer_autosaves_with_htmx_after_a_pause(author):
    page = _client(author).get(reverse("stories:write")).content.decode()

    assert 'hx-post="/sv/stories/autosave/"' in page
    assert 'hx-trigger="input delay:2s, change delay:2s"' in page
    assert 'hx-params="not cover"' in page
    assert 'value="save_draft"' in page


def test_publishing_makes_the_story_and_shows_it(author):
    response = _client(author).post(reverse("stories:write"), _story_form())

    story = Story.objects.get()
    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url()
    assert story.status == ContentStatus.PUBLISHED
    assert not StoryDraft.objects.exists()


def test_publishing_with_a_picture_needs_its_description_and_keeps_the_draft(author):
    client = _client(author)

    response = client.post(reverse("stories:write"), _story_form(cover=_png()))

    draft = StoryDraft.objects.get()
    assert response.status_code == 400
    assert (
        sv("story form", "Describe the picture for people who cannot see it, or remove it.")
        in response.content.decode()
    )
    assert draft.cover  # the picture is kept in the draft
    assert not Story.objects.exists()
    published = client.post(
        reverse("stories:draft", kwargs={"public_id": draft.public_id}),
        _story_form(cover_alt="En skog i dimma", draft=str(draft.public_id)),
    )
    story = Story.objects.get()
    assert published.status_code == 302
    assert story.cover.name == draft.cover.name
    assert story.cover_alt == "En skog i dimma"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Give your story a title of at least %(min)d characters."),
        ({"body": "  "}, "Write your story: at least %(min)d characters."),
        ({"title": "x" * 200}, TOO_LONG),
    ],
)
def test_a_story_that_cannot_be_published_comes_back_with_the_reason_and_the_text(
    author, fields, message
):
    response = _client(author).post(reverse("stories:write"), _story_form(**fields))

    page = response.content.decode()
    expected = sv("story form", message).split("%")[0]
    assert response.status_code == 400
    assert expected in page
    assert "Det första året var det svåraste" in page or fields.get("body")
    assert not Story.objects.exists()


def test_a_file_that_is_not_a_picture_is_refused_and_the_text_kept(author):
    fake = SimpleUploadedFile("bild.png", b"<html>not a picture</html>", content_type="image/png")

    response = _client(author).post(reverse("stories:write"), _story_form(cover=fake))

    page = response.content.decode()
    assert response.status_code == 400
    assert (
        sv(
            "image upload",
            "We could not read this file as a picture. Choose a PNG, JPEG or WebP picture.",
        )
        in page
    )
    assert "Det första året var det svåraste" in page
    assert not StoryDraft.objects.exists()


def test_the_author_edits_and_others_get_404(story, author, reader):
    url = reverse("stories:edit", kwargs={"public_id": story.public_id})

    response = _client(author).post(
        url, {"title": "En ny rubrik här", "body": "En ny text som är lång nog att visas."}
    )

    story.refresh_from_db()
    assert response.status_code == 302
    assert story.title == "En ny rubrik här"
    assert _client(reader).get(url).status_code == 404


def test_the_author_deletes_their_story(story, author):
    url = reverse("stories:delete", kwargs={"public_id": story.public_id})

    response = _client(author).post(url)

    assert response.status_code == 302
    assert not Story.objects.exists()


def test_my_stories_lists_drafts_and_held_stories(author):
    actions.save_draft(
        author=author, draft=None, title="Utkast ett", body="", language="sv", community=None
    )
    held = StoryFactory.create(author=author, body="Ring mig på 070-123 45 67 om du vill.")

    page = _client(author).get(reverse("stories:mine")).content.decode()

    assert "Utkast ett" in page
    assert held.title in page


def test_organisation_staff_feature_a_story_from_its_page(story, org_moderator, organization):
    url = reverse("stories:feature", kwargs={"public_id": story.public_id})
    client = Client()
    log_in_with_mfa(client, org_moderator)
    assert f'value="{organization.slug}"' in client.get(story.get_absolute_url()).content.decode()

    response = client.post(url, {"organization": organization.slug, "feature": "on"})

    assert response.status_code == 302
    assert story.features.filter(organization=organization).exists()


def test_a_member_cannot_feature(story, reader, organization):
    url = reverse("stories:feature", kwargs={"public_id": story.public_id})

    response = _client(reader).post(url, {"organization": organization.slug, "feature": "on"})

    assert response.status_code == 403


# --- comments ----------------------------------------------------------------------------


def _comment_url(story: Story) -> str:
    return reverse("stories:comment", kwargs={"public_id": story.public_id})


def test_a_member_comments_and_sees_it_published(story, reader):
    response = _client(reader).post(_comment_url(story), {"body": "Tack för att du delar."})

    comment = StoryComment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.public_id}")
    assert comment.status == ContentStatus.PUBLISHED


def test_a_guest_comment_waits_and_the_guest_is_told_so(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            _comment_url(story),
            {"name": "Birgitta", "email": "b@example.org", "body": "Tack, det hjälpte."},
            follow=True,
        )

    comment = StoryComment.objects.get()
    page = response.content.decode()
    assert comment.status == ContentStatus.HELD
    assert sv(*GUEST_THANKS) in page
    assert "b@example.org" not in page
    assert mail.outbox


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "inte-en-adress"}, "Write a whole e-mail address, like name@example.se."),
        ({"email": ""}, "Write your e-mail address."),
        ({"name": ""}, "Write your name."),
        ({"body": ""}, "Write your comment."),
        ({"body": "x" * 5001}, TOO_LONG),
    ],
)
def test_a_guest_comment_with_bad_input_comes_back_with_the_reason(story, fields, message):
    data = {"name": "Birgitta", "email": "b@example.org", "body": "Tack för texten."} | fields

    response = Client().post(_comment_url(story), data)

    page = response.content.decode()
    context = "story form" if message == TOO_LONG else "comment form"
    assert response.status_code == 400
    assert sv(context, message).split("%")[0] in page
    assert not StoryComment.objects.exists()
    if data["name"]:
        assert 'value="Birgitta"' in page


def test_a_filled_honeypot_gets_the_same_thanks_and_stores_nothing(story):
    data = {"name": "Bot", "email": "bot@example.org", "body": "Buy now", "website": "x.example"}

    response = Client().post(_comment_url(story), data, follow=True)

    assert response.status_code == 200
    assert sv(*GUEST_THANKS) in response.content.decode()
    assert not StoryComment.objects.exists()


def test_commenting_on_a_story_you_cannot_see_is_404(private_story, author):
    outsider = UserFactory.create()

    assert _client(outsider).post(_comment_url(private_story), {"body": "Hej"}).status_code == 404
    assert Client().post(_comment_url(private_story), {"body": "Hej"}).status_code == 404


def test_a_non_member_who_sees_a_public_community_story_may_not_comment(author):
    community = CommunityFactory.create()
    story = StoryFactory.create(author=author, community=community)

    response = _client(UserFactory.create()).post(_comment_url(story), {"body": "Hej"})

    assert response.status_code == 403


def test_commenting_too_fast_answers_429_with_the_text_kept(story, reader, settings):
    settings.PV_POSTS_PER_HOUR = 1
    client = _client(reader)
    client.post(_comment_url(story), {"body": "Första kommentaren."})

    response = client.post(_comment_url(story), {"body": "Andra kommentaren, snabbt."})

    page = response.content.decode()
    assert response.status_code == 429
    assert "Andra kommentaren, snabbt." in page
    assert StoryComment.objects.count() == 1


def test_a_guest_commenting_too_often_from_one_address_gets_429(story, settings):
    settings.PV_GUEST_COMMENTS_PER_HOUR_PER_EMAIL = 1
    data = {"name": "Birgitta", "email": "b@example.org", "body": "Tack för texten."}
    Client().post(_comment_url(story), data)

    response = Client().post(_comment_url(story), data | {"body": "Igen, och igen."})

    assert response.status_code == 429
    assert "Igen, och igen." in response.content.decode()


def test_a_reply_link_prefills_the_parent(story):
    top = CommentFactory.create(story=story)

    page = Client().get(f"{story.get_absolute_url()}?reply_to={top.public_id}").content.decode()

    assert f'value="{top.public_id}"' in page


# --- the guest's link ----------------------------------------------------------------------


def test_the_guest_confirms_through_the_link_with_a_post(story):
    comment = GuestCommentFactory.create(story=story)
    url = reverse("stories:guest_comment", kwargs={"token": make_token(comment.public_id)})

    shown = Client().get(url)
    comment.refresh_from_db()
    assert shown.status_code == 200
    assert comment.guest_confirmed_at is None  # a GET changes nothing

    Client().post(url, {"action": "confirm"})
    comment.refresh_from_db()
    assert comment.guest_confirmed_at is not None


def test_the_guest_deletes_their_comment_through_the_link(story):
    comment = GuestCommentFactory.create(story=story)
    url = reverse("stories:guest_comment", kwargs={"token": make_token(comment.public_id)})

    response = Client().post(url, {"action": "delete"})

    assert response.status_code == 302
    assert not StoryComment.objects.exists()


def test_an_altered_link_says_it_does_not_work():
    url = reverse("stories:guest_comment", kwargs={"token": "not-a-token"})

    response = Client().get(url)

    assert response.status_code == 400
    assert sv("guest comment", "This link does not work") in response.content.decode()


# --- notices and the feed ---------------------------------------------------------------


def test_the_author_reads_a_notice_of_a_comment(
    story, author, reader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = CommentFactory.create(story=story, author=reader)

    page = _client(author).get(reverse("stories:notices")).content.decode()

    assert f"#comment-{comment.public_id}" in page


def test_the_feed_lists_public_stories_in_its_language_only(author, private_story):
    swedish = StoryFactory.create(author=author, title="Story no. 30: på svenska")
    english = StoryFactory.create(author=author, title="Story no. 31: in English", language="en")

    feed = Client().get(reverse("stories:feed")).content.decode()

    assert "<feed" in feed
    assert swedish.title in feed
    assert english.title not in feed
    assert private_story.title not in feed


def test_the_feed_answers_304_to_a_reader_who_has_it(story):
    client = Client()
    first = client.get(reverse("stories:feed"))

    again = client.get(reverse("stories:feed"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    # A date alone cannot tell that a story left the feed: the ETag decides (0040).
    since = client.get(reverse("stories:feed"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 200


def test_a_new_story_changes_the_feeds_etag(story, author):
    client = Client()
    first = client.get(reverse("stories:feed"))
    StoryFactory.create(author=author)

    again = client.get(reverse("stories:feed"), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert re.search(r"Story no\. \d+", again.content.decode())
