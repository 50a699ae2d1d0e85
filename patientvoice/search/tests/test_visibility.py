"""Who finds what: the visibility matrix on the search page and the API, snippets
that never leak, and a stale index that never shows anything."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from patientvoice.communities import actions
from patientvoice.communities.models import Community, Post, Thread, Visibility
from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see

from .conftest import author_of, client_for, indexed, post_in

pytestmark = pytest.mark.django_db

SECRET = "Hemlig erfarenhet av kortisonbehandling"
WORD = "kortisonbehandling"


def page(user, q: str = WORD) -> str:
    response = client_for(user).get(reverse("search:search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def api(user, q: str = WORD) -> dict[str, Any]:
    response = client_for(user).get(reverse("api:search"), {"q": q})
    assert response.status_code == 200
    data: dict[str, Any] = response.json()
    return data


ROLES = ["visitor", "member", "outsider", "other_moderator", "staff"]
WHO_FINDS = {
    Visibility.PUBLIC: set(ROLES),
    Visibility.MEMBERS: {"member", "staff"},
    Visibility.PRIVATE: {"member", "staff"},
}


@pytest.fixture
def people(member, outsider, other_moderator, staff):
    return {
        "visitor": None,
        "member": member,
        "outsider": outsider,
        "other_moderator": other_moderator,
        "staff": staff,
    }


@pytest.mark.parametrize("visibility", list(WHO_FINDS))
@pytest.mark.parametrize("role", ROLES)
def test_search_page_and_api_show_a_post_to_those_who_may_read_it(people, member, visibility, role):
    community = actions.create_community(actor=None, name="Plats", visibility=visibility)
    actions.join_community(user=member, community=community)
    post = post_in(community, SECRET)
    indexed()
    user = people[role]

    html, data = page(user), api(user)

    if role in WHO_FINDS[visibility]:
        assert f"<mark>{WORD}</mark>" in html
        assert str(post.public_id) in html
        assert data["count"] == 1
        assert WORD in data["items"][0]["snippet_html"]
    else:
        assert "Hemlig erfarenhet" not in html
        assert "<mark>" not in html
        assert str(post.public_id) not in html
        assert data == {"items": [], "count": 0, "truncated": False}


def test_outsiders_get_the_public_match_only_with_a_count_that_leaves_out_the_rest(
    public, members_only, private, outsider
):
    shown = post_in(public, f"Öppen text om {WORD}.")
    post_in(members_only, f"Medlemmarnas text om {WORD}.")
    post_in(private, f"Privat text om {WORD}.")
    indexed()

    data = api(outsider)
    html = page(outsider)

    assert data["count"] == 1
    assert str(shown.public_id) in data["items"][0]["url"]
    assert "Medlemmarnas" not in html
    assert "Privat text" not in html
    assert html.count('class="search-hit"') == 1


def test_the_visibility_helper_finds_no_leak_through_search(members_only, private, outsider):
    hidden = [post_in(members_only, SECRET), post_in(private, SECRET + " två")]

    for post in hidden:
        assert_cannot_see(outsider, post)
        assert_cannot_see(None, post)
        assert_cannot_see(outsider, post.thread)


def test_members_find_through_the_helper_surfaces(members_only, member):
    post = post_in(members_only, SECRET)

    assert_can_see(member, post)


def test_a_thread_moved_to_a_private_community_is_not_found_before_reindexing(public, private):
    post = post_in(public, SECRET)
    indexed()
    # Moved behind the index's back: nobody called reindex_thread.
    Thread.objects.filter(pk=post.thread_id).update(community=private)
    Post.objects.filter(pk=post.pk).update(community=private)

    assert api(None)["count"] == 0
    assert "Hemlig erfarenhet" not in page(None)


def test_a_community_made_members_only_hides_its_posts_at_once(public, outsider):
    post_in(public, SECRET)
    indexed()
    Community.objects.filter(pk=public.pk).update(visibility=Visibility.MEMBERS)

    assert api(None)["count"] == 0
    assert api(outsider)["count"] == 0


def test_a_deleted_post_is_found_by_nobody_even_with_a_stale_index(public, member, staff):
    post = post_in(public, SECRET)
    indexed()
    actions.delete_post(user=author_of(post), post=post)  # its on-commit removal never ran

    for user in (None, member, post.author, staff):
        assert api(user)["count"] == 0


def test_a_held_post_is_found_by_nobody_not_even_its_author(public, staff):
    post = post_in(public, SECRET)
    indexed()
    Post.objects.filter(pk=post.pk).update(status=ContentStatus.HELD)

    for user in (None, post.author, staff):
        assert api(user)["count"] == 0


def test_a_person_who_left_a_members_only_community_finds_its_posts_no_more(members_only, member):
    post_in(members_only, SECRET)
    indexed()
    actions.leave_community(user=member, community=members_only)

    assert api(member)["count"] == 0
