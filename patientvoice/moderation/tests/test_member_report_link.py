"""The "Report" link on a post (in the thread page's remembered post fragments,
communities/rendering.py) and on a profile: shown to signed-in readers of published
content that is not theirs, never to its author or to visitors, whoever's fragment was
remembered first."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from patientvoice.accounts.models import User
from patientvoice.communities import actions as community_actions
from patientvoice.communities.models import Post
from patientvoice.communities.rendering import POST_FRAGMENTS
from patientvoice.core.testing.sessions import log_in

from .factories import PHONE_BODY, PostFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        log_in(client, user)
    return client


def article(html: str, post: Post) -> str:
    found = re.search(rf'<article[^>]*id="post-{post.public_id}".*?</article>', html, re.S)
    assert found is not None, "the post is not on the page"
    return found.group(0)


def flag_href(obj: Post | User, language: str = "sv") -> str:
    kind = "profile" if isinstance(obj, User) else "post"
    with translation.override(language):
        return f'href="{reverse("moderation:flag", args=[kind, obj.public_id])}"'


def report_word(language: str = "sv") -> str:
    with translation.override(language):
        return pgettext("post", "Report")


# --- posts ----------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_reader_gets_a_report_link_to_the_flag_page_in_their_language(post, reader, language):
    client = client_for(reader)

    html = article(client.get(f"/{language}{post.thread.get_absolute_url()[3:]}").text, post)

    assert flag_href(post, language) in html
    assert f'>{report_word(language)}<span class="visually-hidden">' in html
    assert "poster_anna</span>" in html  # whose post, for screen readers


def test_the_report_link_leads_to_the_flag_form(post, reader):
    client = client_for(reader)
    html = article(client.get(post.thread.get_absolute_url()).text, post)
    href = re.search(r'href="([^"]+)" class="report-link"', html)
    assert href is not None

    assert client.get(href.group(1)).status_code == 200


@pytest.mark.parametrize("first", ["reader", "author", "visitor"])
def test_the_author_never_gets_a_report_link_on_their_own_post(post, author, reader, first):
    people = {"reader": reader, "author": author, "visitor": None}
    url = post.thread.get_absolute_url()
    client_for(people[first]).get(url)  # whoever comes first leaves their fragment

    html = article(client_for(author).get(url).text, post)

    assert flag_href(post) not in html
    assert 'class="report-link"' not in html
    assert f"p/{post.public_id}/edit/" in html  # it is theirs: they may edit it


@pytest.mark.parametrize("first", ["reader", "author", "visitor"])
def test_a_visitor_never_gets_a_report_link(post, author, reader, first):
    people = {"reader": reader, "author": author, "visitor": None}
    url = post.thread.get_absolute_url()
    client_for(people[first]).get(url)

    html = article(Client().get(url).text, post)

    assert 'class="report-link"' not in html


@pytest.mark.parametrize("first", ["author", "visitor"])
def test_a_reader_gets_the_link_after_the_author_or_a_visitor_read_the_page(
    post, author, reader, first
):
    url = post.thread.get_absolute_url()
    client_for(author if first == "author" else None).get(url)

    html = article(client_for(reader).get(url).text, post)

    assert flag_href(post) in html


def test_two_readers_share_the_remembered_post_with_its_report_link(post, community, reader):
    other = UserFactory.create()
    community_actions.join_community(user=other, community=community)  # same state
    url = post.thread.get_absolute_url()
    assert flag_href(post) in article(client_for(reader).get(url).text, post)
    misses = POST_FRAGMENTS.misses

    html = article(client_for(other).get(url).text, post)

    assert POST_FRAGMENTS.misses == misses  # remembered, not rendered again
    assert flag_href(post) in html


def test_a_held_post_has_no_report_link_even_for_staff(thread, author):
    held = PostFactory.create(thread=thread, author=author, body=PHONE_BODY)
    staff = StaffFactory.create()

    for person in (author, staff):
        html = article(client_for(person).get(thread.get_absolute_url()).text, held)
        assert 'class="report-link"' not in html


# --- profiles -------------------------------------------------------------------------


def test_a_member_gets_a_report_link_on_someone_elses_profile(author, reader):
    page = client_for(reader).get(reverse("accounts:profile", args=[author.handle])).text

    assert flag_href(author) in page


@pytest.mark.parametrize("viewer", ["author", "visitor"])
def test_no_report_link_on_ones_own_profile_or_for_visitors(author, viewer):
    client = client_for(author if viewer == "author" else None)

    page = client.get(reverse("accounts:profile", args=[author.handle])).text

    assert author.handle in page  # the profile is shown
    assert 'class="report-link"' not in page
