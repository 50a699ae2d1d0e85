"""Reading: sorted thread lists, pages of 50 posts with permanent anchors, what a
member has read, "latest in my communities", the home page, and htmx's smaller
answers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import POSTS_PER_PAGE, Post, Thread, ThreadReadState

from .conftest import logged_in
from .factories import CommunityFactory, PostFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def long_thread(member: User) -> Thread:
    """Opening post and 119 replies: positions 1..120, three pages."""
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[member]))
    for _ in range(119):
        PostFactory.create(thread=thread)
    thread.refresh_from_db()
    return thread


def post_at(thread: Thread, position: int) -> Post:
    return thread.posts.get(position=position)


# --- thread lists


def test_community_page_sorts_by_activity_newest_or_unanswered(member):
    community = CommunityFactory.create(members=[member])
    old_busy = ThreadFactory.create(community=community, title="Old thread with replies")
    new_quiet = ThreadFactory.create(community=community, title="New thread without replies")
    PostFactory.create(thread=old_busy)  # old_busy is now the most active

    def order(sort: str) -> list[Thread]:
        url = community.get_absolute_url() + f"?sort={sort}"
        return list(Client().get(url).context["page"].object_list)

    assert order("activity") == [old_busy, new_quiet]
    assert order("newest") == [new_quiet, old_busy]
    assert order("unanswered") == [new_quiet]


@pytest.mark.parametrize("sort", ["", "bogus", "-id", "%00", "activity;drop"])
def test_an_unknown_sort_lists_by_activity(member, sort):
    community = CommunityFactory.create(members=[member])
    ThreadFactory.create(community=community)

    response = Client().get(community.get_absolute_url(), {"sort": sort})

    assert response.status_code == 200
    assert response.context["sort"] == "activity"


# --- pages and anchors


def test_thread_pages_hold_fifty_positions_each(long_thread):
    url = long_thread.get_absolute_url()

    pages = [Client().get(url, {"page": n}).context["page"] for n in (1, 2, 3)]

    assert [len(p.object_list) for p in pages] == [50, 50, 20]
    assert pages[1].object_list[0].position == POSTS_PER_PAGE + 1
    assert pages[2].num_pages == 3


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("0", 1), ("-3", 1), ("99", 3),
                                              ("last", 3), ("", 1)])  # fmt: skip
def test_any_page_number_shows_a_page(long_thread, asked, shown):
    response = Client().get(long_thread.get_absolute_url(), {"page": asked})

    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_a_posts_permalink_leads_to_its_page_and_anchor(long_thread):
    post = post_at(long_thread, 75)
    url = reverse(
        "communities:post",
        args=[long_thread.community.slug, long_thread.public_id, post.public_id],
    )

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].endswith(f"?page=2#post-{post.public_id}")


def test_anchors_stay_put_when_an_earlier_post_is_deleted(long_thread):
    post = post_at(long_thread, 51)
    earlier = post_at(long_thread, 10)

    assert earlier.author is not None
    actions.delete_post(user=earlier.author, post=earlier)

    page = Client().get(long_thread.get_absolute_url(), {"page": 2}).context["page"]
    assert page.object_list[0].pk == post.pk


def test_the_thread_page_has_no_url_lookup_per_post(long_thread, member, monkeypatch):
    from django import urls

    calls: list[str] = []
    real = urls.reverse

    def counting(*args: Any, **kwargs: Any) -> str:
        calls.append(str(args[0]))
        return real(*args, **kwargs)

    monkeypatch.setattr("django.urls.reverse", counting)

    logged_in(member).get(long_thread.get_absolute_url())

    # The header, footer and forms name a fixed set of addresses (about 20); one per
    # post would be 50 more.
    assert 0 < len(calls) < 30, calls


# --- read state


def test_reading_a_page_records_how_far_and_reading_it_again_writes_nothing(long_thread, member):
    client = logged_in(member)

    client.get(long_thread.get_absolute_url())
    state = ThreadReadState.objects.get(user=member, thread=long_thread)
    assert state.last_read_position == 50
    first_write = state.updated_at

    client.get(long_thread.get_absolute_url())
    state.refresh_from_db()
    assert state.updated_at == first_write


def test_the_read_state_never_goes_back(long_thread, member):
    client = logged_in(member)
    client.get(long_thread.get_absolute_url(), {"page": 3})

    client.get(long_thread.get_absolute_url(), {"page": 1})

    assert ThreadReadState.objects.get(user=member, thread=long_thread).last_read_position == 120


def test_visitors_and_non_members_leave_no_read_state(long_thread, outsider):
    Client().get(long_thread.get_absolute_url())
    logged_in(outsider).get(long_thread.get_absolute_url())

    assert not ThreadReadState.objects.exists()


def test_jump_to_first_unread_goes_to_the_first_new_post(long_thread, member):
    client = logged_in(member)
    client.get(long_thread.get_absolute_url(), {"page": "last"})
    new = PostFactory.create(thread=long_thread)
    PostFactory.create(thread=long_thread)

    page = client.get(long_thread.get_absolute_url()).text
    response = client.get(
        reverse(
            "communities:first_unread", args=[long_thread.community.slug, long_thread.public_id]
        )
    )

    assert "unread/" in page
    assert response["Location"].endswith(f"?page=3#post-{new.public_id}")


def test_jump_to_first_unread_when_all_is_read_goes_to_the_last_page(long_thread, member):
    client = logged_in(member)
    client.get(long_thread.get_absolute_url(), {"page": "last"})

    response = client.get(
        reverse(
            "communities:first_unread", args=[long_thread.community.slug, long_thread.public_id]
        )
    )

    assert response["Location"].endswith("?page=last")


def test_thread_list_marks_new_and_unread_threads(member):
    community = CommunityFactory.create(members=[member])
    read, unread, never = (ThreadFactory.create(community=community) for _ in range(3))
    client = logged_in(member)
    client.get(read.get_absolute_url())
    client.get(unread.get_absolute_url())
    PostFactory.create(thread=unread)

    threads = {t.pk: t for t in client.get(community.get_absolute_url()).context["page"]}

    assert threads[read.pk].read_position == threads[read.pk].last_published_position
    assert threads[unread.pk].read_position < threads[unread.pk].last_published_position
    assert threads[never.pk].read_position is None


# --- latest and home


def test_latest_lists_the_members_communities_only(member):
    mine = CommunityFactory.create(members=[member])
    theirs = CommunityFactory.create()
    hidden = CommunityFactory.create(members_only=True)
    shown = ThreadFactory.create(community=mine, title="Thread in my community")
    ThreadFactory.create(community=theirs, title="Thread in a public one I did not join")
    ThreadFactory.create(community=hidden, title="Thread in a members-only one")

    response = logged_in(member).get(reverse("communities:latest"))

    assert list(response.context["page"].object_list) == [shown]
    assert "members-only one" not in response.text


def test_latest_drops_a_community_the_member_left(member):
    community = CommunityFactory.create(members_only=True, members=[member])
    ThreadFactory.create(community=community, title="Secret thread title")
    actions.leave_community(user=member, community=community)

    response = logged_in(member).get(reverse("communities:latest"))

    assert "Secret thread title" not in response.text


def test_home_page_for_a_visitor_explains_and_invites_to_sign_up():
    response = Client().get(reverse("home"))

    assert reverse("account_signup") in response.text
    assert "my_communities" not in response.context


def test_home_page_for_a_member_shows_their_communities_and_unread(member):
    community = CommunityFactory.create(members=[member], name="Sleep trouble together")
    thread = ThreadFactory.create(community=community)
    client = logged_in(member)
    client.get(thread.get_absolute_url())
    PostFactory.create(thread=thread)

    response = client.get(reverse("home"))

    assert response.context["my_communities"] == [community]
    assert response.context["unread"] == [thread]
    assert "Sleep trouble together" in response.text


def test_home_page_never_lists_members_only_threads_of_others(member):
    other = UserFactory.create()
    hidden = CommunityFactory.create(members_only=True, members=[other])
    ThreadFactory.create(community=hidden, author=other, title="Private matters here")

    assert "Private matters here" not in logged_in(member).get(reverse("home")).text


# --- htmx


def test_a_reaction_through_htmx_answers_the_buttons_only(member):
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[member]))
    post = PostFactory.create(thread=thread)
    url = reverse(
        "communities:react", args=[thread.community.slug, thread.public_id, post.public_id]
    )

    response = logged_in(member).post(url, {"kind": "hug"}, headers=HTMX)

    assert response.status_code == 200
    assert response.text.lstrip().startswith("<form")
    assert 'name="take_back" value="hug"' in response.text
    assert "<html" not in response.text


def test_load_more_through_htmx_answers_the_next_posts_only(long_thread, member):
    response = logged_in(member).get(
        long_thread.get_absolute_url(), {"page": 2, "more": 1}, headers=HTMX
    )

    assert "<html" not in response.text
    assert f'id="post-{post_at(long_thread, 51).public_id}"' in response.text
    assert "?page=3" in response.text  # the next "load more"


def test_without_javascript_load_more_is_a_link_to_the_next_page(long_thread):
    response = Client().get(long_thread.get_absolute_url())

    assert 'href="?page=2"' in response.text


def test_a_reply_through_htmx_answers_the_last_page_with_the_new_post(member):
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[member]))
    url = reverse("communities:reply", args=[thread.community.slug, thread.public_id])

    response = logged_in(member).post(url, {"body": "Sent without a reload"}, headers=HTMX)

    post = thread.posts.get(body="Sent without a reload")
    assert response.status_code == 200
    assert response["HX-Push-Url"].endswith("?page=last")
    assert response["HX-Reswap"] == f"outerHTML show:#post-{post.public_id}:top"
    assert f'id="post-{post.public_id}"' in response.text


def test_a_bad_reply_through_htmx_comes_back_with_its_errors_and_text(member):
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[member]))
    url = reverse("communities:reply", args=[thread.community.slug, thread.public_id])

    response = logged_in(member).post(url, {"body": "x"}, headers=HTMX)

    assert response.status_code == 200  # htmx swaps 2xx answers only
    assert response.context["form"].errors
    assert "\nx</textarea>" in response.text
