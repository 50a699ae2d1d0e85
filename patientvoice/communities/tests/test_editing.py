"""Authors edit and delete their own posts. An edit goes through the publishing
pipeline again and keeps the earlier text for staff; a deletion leaves a placeholder
so the thread stays readable."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site as default_admin_site
from django.urls import reverse
from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.exporting import build_export
from patientvoice.accounts.models import ErasureMode, User
from patientvoice.communities import actions
from patientvoice.communities.admin import PostAdmin, PostRevisionInline
from patientvoice.communities.models import Post, PostRevision, Thread
from patientvoice.core.models import ContentStatus

from .conftest import logged_in
from .factories import PHONE_BODY, CommunityFactory, PostFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_BODY = "Edited: the new dose works much better for my mornings"
PLACEHOLDER = "This post was deleted by its author."


@pytest.fixture
def reader() -> User:
    return UserFactory.create()


@pytest.fixture
def thread(member, reader):
    community = CommunityFactory.create(members=[member, reader])
    return ThreadFactory.create(community=community, author=reader)


@pytest.fixture
def post(thread, member):
    return PostFactory.create(thread=thread, author=member)


def url(name: str, post: Post) -> str:
    thread = post.thread
    return reverse(
        f"communities:{name}", args=[thread.community.slug, thread.public_id, post.public_id]
    )


def english(path: str) -> str:
    return path.replace("/sv/", "/en/", 1)


def test_the_edit_page_shows_the_current_text(member, post):
    response = logged_in(member).get(url("post_edit", post))

    assert response.status_code == 200
    assert post.body in response.text


def test_an_edit_is_published_and_the_earlier_text_kept_as_a_revision(member, reader, post):
    old_body = post.body

    response = logged_in(member).post(url("post_edit", post), {"body": NEW_BODY})

    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{post.public_id}")
    post.refresh_from_db()
    assert post.status == ContentStatus.PUBLISHED
    assert post.edited_at is not None
    revision = PostRevision.objects.get(post=post)
    assert (revision.body, revision.edited_by) == (old_body, member)
    page = logged_in(reader).get(post.thread.get_absolute_url()).text
    assert NEW_BODY in page
    assert old_body not in page  # revisions are for staff only


def test_an_edited_post_shows_edited_with_the_time(member, post):
    actions.edit_post(user=member, post=post, body=NEW_BODY)
    post.refresh_from_db()

    page = logged_in(member).get(english(post.thread.get_absolute_url())).text

    edited_at = timezone.localtime(post.edited_at).isoformat()
    assert f'edited <time datetime="{edited_at}">' in page


def test_an_edit_that_adds_a_phone_number_is_held_with_its_reason(member, reader, post):
    response = logged_in(member).post(url("post_edit", post), {"body": PHONE_BODY})

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == ContentStatus.HELD
    assert "personal_data.phone" in post.hold_reasons
    assert Thread.objects.get(pk=post.thread_id).post_count == 1  # the opening post only
    assert "070-123 45 67" not in logged_in(reader).get(post.thread.get_absolute_url()).text


def test_an_edit_does_not_count_as_another_published_text(member, post):
    before = User.objects.get(pk=member.pk).published_count

    actions.edit_post(user=member, post=post, body=NEW_BODY)

    assert User.objects.get(pk=member.pk).published_count == before


@pytest.mark.parametrize("who", ["reader", "outsider", "staff"])
def test_anyone_but_the_author_gets_404_for_the_edit_page(who, request, post):
    client = logged_in(request.getfixturevalue(who))

    assert client.get(url("post_edit", post)).status_code == 404
    assert client.post(url("post_edit", post), {"body": NEW_BODY}).status_code == 404
    post.refresh_from_db()
    assert post.body != NEW_BODY


def test_bad_input_answers_400_and_keeps_the_typed_text(member, post):
    typed = "My long story about the new treatment. " * 600  # over the limit

    response = logged_in(member).post(url("post_edit", post), {"body": typed})

    assert response.status_code == 400
    assert "My long story about the new treatment." in response.text
    post.refresh_from_db()
    assert not post.body.startswith("My long story")


def test_revisions_are_shown_to_staff_read_only_in_the_admin(member, post):
    actions.edit_post(user=member, post=post, body=NEW_BODY)
    model_admin = PostAdmin(Post, default_admin_site)

    assert PostRevisionInline in model_admin.inlines
    assert set(PostRevisionInline.readonly_fields) == {"created_at", "edited_by", "body"}
    assert not model_admin.has_change_permission(request=None)  # type: ignore[arg-type]


def test_deleting_a_reply_leaves_a_placeholder_and_keeps_counts_right(member, reader, post):
    body = post.body
    assert Thread.objects.get(pk=post.thread_id).post_count == 2

    response = logged_in(member).post(url("post_delete", post))

    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.status, post.body, post.body_html) == (ContentStatus.REMOVED, "", "")
    assert Thread.objects.get(pk=post.thread_id).post_count == 1
    page = logged_in(reader).get(english(post.thread.get_absolute_url())).text
    assert PLACEHOLDER in page
    assert f'id="post-{post.public_id}"' in page
    assert body not in page


def test_deleting_asks_for_confirmation_first(member, post):
    response = logged_in(member).get(url("post_delete", post))

    assert response.status_code == 200
    assert Post.objects.get(pk=post.pk).status == ContentStatus.PUBLISHED


def test_deleting_takes_the_reactions_and_revisions_with_the_text(member, reader, post):
    actions.react(user=reader, post=post, kind="hug")
    actions.edit_post(user=member, post=post, body=NEW_BODY)

    actions.delete_post(user=member, post=post)

    post.refresh_from_db()
    assert post.hug_count == 0
    assert not post.reactions.exists()
    assert not PostRevision.objects.filter(post=post).exists()


@pytest.mark.parametrize("who", ["reader", "outsider", "staff"])
def test_anyone_but_the_author_gets_404_for_deleting(who, request, post):
    client = logged_in(request.getfixturevalue(who))

    assert client.get(url("post_delete", post)).status_code == 404
    assert client.post(url("post_delete", post)).status_code == 404
    assert Post.objects.get(pk=post.pk).status == ContentStatus.PUBLISHED


def test_deleting_the_only_post_of_a_thread_makes_the_thread_disappear(member, reader):
    community = CommunityFactory.create(members=[member, reader])
    thread = ThreadFactory.create(community=community, author=member)
    opening = Post.objects.get(thread=thread)

    response = logged_in(member).post(url("post_delete", opening))

    assert response["Location"] == community.get_absolute_url()
    thread.refresh_from_db()
    community.refresh_from_db()
    assert not thread.is_published
    assert community.thread_count == 0
    assert logged_in(reader).get(thread.get_absolute_url()).status_code == 404


def test_deleting_an_answered_opening_post_keeps_the_thread(member, reader, thread):
    opening = Post.objects.filter(thread=thread).first()
    assert opening is not None
    PostFactory.create(thread=thread, author=member)

    actions.delete_post(user=reader, post=opening)

    thread.refresh_from_db()
    assert thread.is_published
    assert thread.post_count == 1
    assert PLACEHOLDER in logged_in(member).get(english(thread.get_absolute_url())).text


def test_export_holds_the_persons_reactions_and_the_revisions_of_their_posts(member, reader, post):
    old_body = post.body
    actions.edit_post(user=member, post=post, body=NEW_BODY)
    actions.react(user=member, post=post, kind="me_too")

    section = build_export(member)["communities"]

    assert section["post_revisions"][0]["body"] == old_body
    assert section["reactions"][0] == {
        "post__public_id": str(post.public_id),
        "kind": "me_too",
        "created_at": section["reactions"][0]["created_at"],
    }
    assert build_export(reader)["communities"]["post_revisions"] == []


@pytest.mark.parametrize(
    ("mode", "kept"), [(ErasureMode.ANONYMISE, True), (ErasureMode.REMOVE, False)]
)
def test_erasure_keeps_revisions_without_the_editor_or_removes_them(mode, kept, member, post):
    actions.edit_post(user=member, post=post, body=NEW_BODY)
    account_actions.request_erasure(user=member, mode=mode)

    account_actions.erase_account(user=member)

    revisions = list(PostRevision.objects.filter(post_id=post.pk))
    assert bool(revisions) is kept
    assert all(r.edited_by_id is None for r in revisions)
