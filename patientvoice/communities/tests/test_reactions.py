"""Reactions ("helpful", "hug", "me too"): one of each kind per person, counts kept on
the post as people react, and only for people who can read a published post."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import Http404
from django.urls import reverse

from patientvoice.accounts import actions as account_actions
from patientvoice.accounts.models import ErasureMode
from patientvoice.communities import actions
from patientvoice.communities.models import POSTS_PER_PAGE, Post, Reaction

from .conftest import logged_in
from .factories import PHONE_BODY, CommunityFactory, PostFactory, ThreadFactory, UserFactory
from .test_query_counts import OWN_REACTIONS, READER_FACTS, SIGNED_IN, THREAD_TAGS

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(member):
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[member]))
    return PostFactory.create(thread=thread)


def react_url(post: Post) -> str:
    thread = post.thread
    return reverse(
        "communities:react", args=[thread.community.slug, thread.public_id, post.public_id]
    )


def counts(post: Post) -> tuple[int, int, int]:
    post.refresh_from_db()
    return post.helpful_count, post.hug_count, post.me_too_count


def test_pressing_a_reaction_button_counts_it_and_shows_it_pressed(member, post):
    client = logged_in(member)

    response = client.post(react_url(post), {"kind": "helpful"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"?page=1#post-{post.public_id}")
    assert counts(post) == (1, 0, 0)
    page = client.get(post.thread.get_absolute_url()).text
    assert 'aria-pressed="true"' in page


def test_pressing_a_pressed_button_takes_the_reaction_back(member, post):
    client = logged_in(member)
    client.post(react_url(post), {"kind": "hug"})

    client.post(react_url(post), {"take_back": "hug"})

    assert counts(post) == (0, 0, 0)
    assert not Reaction.objects.filter(post=post).exists()


def test_reacting_twice_with_the_same_kind_counts_once(member, post):
    assert actions.react(user=member, post=post, kind="helpful") is True
    assert actions.react(user=member, post=post, kind="helpful") is False

    assert counts(post) == (1, 0, 0)


def test_a_person_gives_each_kind_of_reaction_once(member, post):
    for kind in ("helpful", "hug", "me_too"):
        actions.react(user=member, post=post, kind=kind)

    assert counts(post) == (1, 1, 1)
    with pytest.raises(IntegrityError):
        Reaction.objects.create(post=post, user=member, kind="hug")


def test_reactions_from_different_people_add_up(member, post):
    other = UserFactory.create()
    actions.react(user=member, post=post, kind="me_too")
    actions.react(user=other, post=post, kind="me_too")

    actions.unreact(user=other, post=post, kind="me_too")
    actions.unreact(user=other, post=post, kind="me_too")

    assert counts(post) == (0, 0, 1)


def test_an_unknown_kind_of_reaction_is_rejected(member, post):
    response = logged_in(member).post(react_url(post), {"kind": "angry"})

    assert response.status_code == 400
    assert counts(post) == (0, 0, 0)


def test_outsider_of_a_members_only_community_gets_404_on_react(member, outsider):
    community = CommunityFactory.create(members_only=True, members=[member])
    post = PostFactory.create(thread=ThreadFactory.create(community=community), author=member)

    response = logged_in(outsider).post(react_url(post), {"kind": "helpful"})

    assert response.status_code == 404
    assert counts(post) == (0, 0, 0)
    with pytest.raises(Http404):
        actions.react(user=outsider, post=post, kind="helpful")


def test_a_visitor_cannot_react(post, client):
    response = client.post(react_url(post), {"kind": "helpful"})

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert counts(post) == (0, 0, 0)


def test_a_held_post_cannot_be_reacted_to_even_by_its_author(member, post):
    held = PostFactory.create(thread=post.thread, author=member, body=PHONE_BODY)
    other = UserFactory.create()

    assert logged_in(member).post(react_url(held), {"kind": "hug"}).status_code == 403
    assert logged_in(other).post(react_url(held), {"kind": "hug"}).status_code == 404
    with pytest.raises(PermissionDenied):
        actions.react(user=member, post=held, kind="hug")
    assert counts(held) == (0, 0, 0)


def test_the_thread_page_has_no_reaction_buttons_for_a_held_post(member, post):
    held = PostFactory.create(thread=post.thread, author=member, body=PHONE_BODY)

    page = logged_in(member).get(post.thread.get_absolute_url()).text

    assert react_url(post) in page
    assert react_url(held) not in page


def test_erasure_takes_back_the_persons_reactions_and_keeps_counts_right(post):
    leaver = UserFactory.create()
    stayer = UserFactory.create()
    actions.react(user=leaver, post=post, kind="helpful")
    actions.react(user=stayer, post=post, kind="helpful")
    account_actions.request_erasure(user=leaver, mode=ErasureMode.ANONYMISE)

    account_actions.erase_account(user=leaver)

    assert counts(post) == (1, 0, 0)


def test_thread_page_query_count_stays_fixed_with_reactions_on_every_post(
    member, django_assert_num_queries
):
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[member]))
    reactors = UserFactory.create_batch(3)
    for _ in range(POSTS_PER_PAGE - 1):
        reply = PostFactory.create(thread=thread)
        for reactor in reactors:
            actions.react(user=reactor, post=reply, kind="hug")
        actions.react(user=member, post=reply, kind="helpful")
        actions.react(user=member, post=reply, kind="me_too")
    client = logged_in(member)
    client.get(reverse("home"))
    client.get(thread.get_absolute_url())  # records the read state once

    # thread, the viewer's roles, posts with authors; the thread's tags; and the
    # viewer's own reactions to the whole page in one query.
    with django_assert_num_queries(SIGNED_IN + 2 + READER_FACTS + THREAD_TAGS + OWN_REACTIONS):
        response = client.get(thread.get_absolute_url())

    # The page comes from the remembered page around its posts: no template context.
    assert response.text.count('<article class="post') == POSTS_PER_PAGE
    assert response.text.count('aria-pressed="true"') == 2 * (POSTS_PER_PAGE - 1)
