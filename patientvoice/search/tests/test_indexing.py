"""The index follows the content: after publishing, editing, deleting, moving and
erasure, and ``rebuild_search_index`` makes it whole again."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import ErasureMode
from patientvoice.communities import actions
from patientvoice.communities.models import Community, Post, Thread, Visibility
from patientvoice.communities.tests.factories import PHONE_BODY, CommunityFactory, ThreadFactory
from patientvoice.search import indexing
from patientvoice.search.models import SearchEntry
from patientvoice.search.queries import SearchParams, search
from patientvoice.search.registry import kinds

from .conftest import author_of, indexed, post_in

pytestmark = pytest.mark.django_db


def finds(q: str, user=None) -> int:
    return search(user or AnonymousUser(), SearchParams(q=q)).count


def fts_rows() -> int:
    if connection.vendor != "sqlite":
        return SearchEntry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_entry_fts")
        return int(cursor.fetchone()[0])


def test_publishing_indexes_the_post_after_commit(public, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_in(public, "Njursten gör ont.")

    assert finds("njursten") == 1


def test_a_held_post_is_not_indexed(public, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ThreadFactory.create(community=public, body=PHONE_BODY)

    assert SearchEntry.objects.count() == 0


def test_an_edit_is_indexed_and_the_old_words_are_gone(public, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = post_in(public, "Gammal text om ryggvärk.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_post(user=author_of(post), post=post, body="Ny text om knäsmärta.")

    assert finds("ryggvärk") == 0
    assert finds("knäsmärta") == 1
    assert SearchEntry.objects.count() == 1
    assert fts_rows() == 1


def test_an_edit_that_is_held_leaves_the_index(public, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post = post_in(public, "Text om ryggvärk.")
    with django_capture_on_commit_callbacks(execute=True):
        actions.edit_post(user=author_of(post), post=post, body=PHONE_BODY + " ryggvärk")

    assert SearchEntry.objects.count() == 0
    assert fts_rows() == 0


def test_deleting_a_post_removes_it_from_the_index(public, django_capture_on_commit_callbacks):
    post = post_in(public, "Text om ryggvärk.")
    indexed()
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_post(user=author_of(post), post=post)

    assert SearchEntry.objects.count() == 0
    assert fts_rows() == 0


def test_reindexing_a_moved_thread_lets_the_new_community_find_it(public, member):
    post = post_in(public, "Text om psoriasis.")
    indexed()
    target = CommunityFactory.create(members_only=True)
    actions.join_community(user=member, community=target)
    Thread.objects.filter(pk=post.thread_id).update(community=target)
    Post.objects.filter(thread_id=post.thread_id).update(community=target)

    indexing.reindex_thread(post.thread_id)

    assert SearchEntry.objects.get().community_id == target.pk
    assert finds("psoriasis") == 0
    assert finds("psoriasis", member) == 1


def test_reindexing_a_community_made_public_lets_visitors_find_it(members_only):
    post_in(members_only, "Text om celiaki.")
    indexed()
    Community.objects.filter(pk=members_only.pk).update(visibility=Visibility.PUBLIC)
    assert finds("celiaki") == 0

    indexing.reindex_community(members_only.pk)

    assert finds("celiaki") == 1


def test_erasing_a_person_in_remove_mode_removes_their_words(public):
    post = post_in(public, "Text om borrelia.")
    indexed()

    author = author_of(post)
    author.erasure_mode = ErasureMode.REMOVE
    author.erasure_requested_at = timezone.now()
    author.save(update_fields=["erasure_mode", "erasure_requested_at"])

    account_actions.erase_account(user=author)

    assert SearchEntry.objects.count() == 0
    assert fts_rows() == 0


def test_erasing_a_person_in_anonymise_mode_keeps_their_published_words_findable(public):
    post = post_in(public, "Text om borrelia.")
    indexed()

    account_actions.erase_account(user=author_of(post))

    assert SearchEntry.objects.get().author_id is None
    assert finds("borrelia") == 1


def test_the_rebuild_command_indexes_everything_and_is_idempotent(public):
    post_in(public, "Ett.")
    post_in(public, "Två.")
    out = StringIO()

    call_command("rebuild_search_index", stdout=out)
    call_command("rebuild_search_index", stdout=out)

    lines = out.getvalue().splitlines()
    assert [line for line in lines if line.startswith("communities.post")] == [
        "communities.post: 2 indexed, 0 removed",
        "communities.post: 2 indexed, 0 removed",
    ]
    # Every registered kind is rebuilt, twice.
    assert sorted({line.split(":")[0] for line in lines}) == sorted(kinds())
    assert len(lines) == 2 * len(kinds())
    assert SearchEntry.objects.filter(kind="communities.post").count() == 2
    assert fts_rows() == SearchEntry.objects.count()


def test_the_rebuild_command_rebuilds_only_the_kinds_it_is_given(public):
    post_in(public, "Fyra.")
    out = StringIO()

    call_command("rebuild_search_index", "--kind", "communities.post", stdout=out)

    assert out.getvalue().strip() == "communities.post: 1 indexed, 0 removed"
    assert SearchEntry.objects.count() == 1


def test_the_rebuild_command_removes_rows_of_content_that_is_gone(public):
    post = post_in(public, "Tre.")
    indexed()
    Thread.objects.filter(pk=post.thread_id).delete()
    out = StringIO()

    call_command(
        "rebuild_search_index", "--batch-size", "1", "--kind", "communities.post", stdout=out
    )

    assert out.getvalue().strip() == "communities.post: 0 indexed, 1 removed"
    assert SearchEntry.objects.count() == 0
    assert fts_rows() == 0
