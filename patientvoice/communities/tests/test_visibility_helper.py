"""The visibility helper itself: it finds leaks, insists on 404 rather than 403, and
knows the surfaces the communities app registers."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.core.exceptions import PermissionDenied

from patientvoice.communities import queries, rendering, views
from patientvoice.communities.models import Community, Post, Thread
from patientvoice.core.testing import visibility
from patientvoice.core.testing.visibility import (
    DetailSurface,
    ListSurface,
    assert_can_see,
    assert_cannot_see,
    register,
    surfaces_for,
    text_marker,
)

from .factories import PHONE_BODY, CommunityFactory, PostFactory, ThreadFactory


def names(model: Any) -> set[str]:
    return {surface.name for surface in surfaces_for(model)}


def test_communities_registers_the_page_list_and_api_surfaces_of_posts():
    assert names(Post) >= {
        "communities.thread_page",
        "communities.community_page",
        "communities.community_list",
        "core.home",
        "api.thread_posts",
        "api.community_threads",
        "api.communities",
    }


def test_communities_registers_the_detail_and_list_surfaces_of_threads():
    details = {s.name for s in surfaces_for(Thread) if isinstance(s, DetailSurface)}
    lists = {s.name for s in surfaces_for(Thread) if isinstance(s, ListSurface)}

    assert details == {"communities.thread_page", "api.thread_posts"}
    assert {"communities.community_page", "api.community_threads", "core.home"} <= lists


def test_other_apps_add_surfaces_for_the_same_model_without_changing_the_helper():
    assert "organizations.organization_page" in names(Community)


@pytest.mark.django_db
def test_helper_fails_naming_every_surface_that_leaks_a_held_post(member, outsider, monkeypatch):
    post = PostFactory.create(
        thread=ThreadFactory.create(author=member), author=member, body=PHONE_BODY
    )
    # the bug: the post part of the rule skipped, in the API and on the thread page
    monkeypatch.setattr(queries, "visible_posts", lambda user, qs: qs)
    monkeypatch.setattr(
        rendering,
        "visible_entries_of",
        lambda user, thread: Post.objects.filter(thread_id=thread.pk),
    )

    with pytest.raises(AssertionError) as failure:
        assert_cannot_see(outsider, post)

    message = str(failure.value)
    assert "communities.thread_page" in message
    assert "api.thread_posts" in message
    assert str(post.public_id) in message


@pytest.mark.django_db
def test_helper_rejects_403_where_the_rule_says_404(member, outsider, monkeypatch):
    thread = ThreadFactory.create(
        community=CommunityFactory.create(members_only=True), author=member
    )

    def forbidden(*args: Any) -> None:
        raise PermissionDenied

    monkeypatch.setattr(views, "thread_for_page", forbidden)

    with pytest.raises(AssertionError, match=r"communities\.thread_page: GET .* answered 403"):
        assert_cannot_see(outsider, thread)


@pytest.mark.django_db
def test_helper_fails_when_a_reader_cannot_see_what_they_should(member, outsider):
    post = PostFactory.create(
        thread=ThreadFactory.create(author=member), author=member, body=PHONE_BODY
    )

    with pytest.raises(AssertionError, match="cannot see"):
        assert_can_see(outsider, post)


@pytest.mark.django_db
def test_skip_leaves_out_named_surfaces_and_rejects_unknown_names(member, outsider):
    post = PostFactory.create(thread=ThreadFactory.create(author=member), author=member)

    assert_can_see(outsider, post, skip={"api.thread_posts"})
    with pytest.raises(ValueError, match=r"api\.thread_post"):
        assert_can_see(outsider, post, skip={"api.thread_post"})


def test_helper_refuses_objects_without_surfaces():
    class Unregistered:
        pk = 1

    with pytest.raises(AssertionError, match="No visibility surfaces"):
        assert_cannot_see(None, Unregistered())


@pytest.fixture
def scratch_model():
    class Scratch:
        pass

    yield cast(Any, Scratch)
    visibility._REGISTRY.pop(cast(Any, Scratch), None)


def test_a_surface_name_is_registered_once_per_model(scratch_model):
    surface = ListSurface("scratch.list", url=lambda obj: "/")
    register(scratch_model, surface)

    with pytest.raises(ValueError, match="already registered"):
        register(scratch_model, ListSurface("scratch.list", url=lambda obj: "/other/"))


def test_a_list_surface_without_a_marker_refuses_to_prove_anything(scratch_model):
    register(scratch_model, ListSurface("scratch.list", url=lambda obj: "/", markers=lambda o: []))

    with pytest.raises(AssertionError, match="has no marker"):
        assert_cannot_see(None, scratch_model())


@pytest.mark.parametrize(
    ("text", "marker"),
    [
        ("Reply body no. 7 with a distinctive story", "Reply body no. 7 with a distinctive story"),
        (
            "**Bold** start, then a long plain sentence here",
            "start, then a long plain sentence here",
        ),
        ("- a list item that is long enough\n- short", "a list item that is long enough"),
        ("Tiny", None),
        ("It's <b>", None),
    ],
)
def test_text_marker_picks_text_that_survives_markdown(text, marker):
    assert text_marker(text) == marker
