"""Next to a post that raised a safety signal, its author (and only its author) is
offered to report the side effect to Läkemedelsverket themselves; every composer says
that side effects may be passed on."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from .factories import HEADACHE_SV, client_for, post_saying, signal

pytestmark = pytest.mark.django_db

LINK = "Report a side effect yourself to Läkemedelsverket"


def test_only_the_author_of_a_signalled_post_sees_the_report_yourself_link():
    with translation.override("en"):
        post = post_saying(HEADACHE_SV)
        other = post_saying("Ingen biverkning här.", community=post.community)
        url = post.thread.get_absolute_url().replace("/sv/", "/en/", 1)
        author = client_for(post.author, mfa=False)
        assert LINK not in author.get(url).content.decode()  # remembered before the signal

        signal(post=post)

        assert author.get(url).content.decode().count(LINK) == 1
        assert LINK not in client_for(other.author, mfa=False).get(url).content.decode()
        assert LINK not in Client().get(url).content.decode()


def test_the_reply_form_says_side_effects_may_be_passed_on():
    post = post_saying("Hej")
    member = client_for(post.author, mfa=False)

    html = member.get(post.thread.get_absolute_url().replace("/sv/", "/en/", 1)).content.decode()

    assert "it may be passed on to the safety department" in html


def test_a_safety_officer_finds_the_queue_from_the_account_page():
    from .factories import officer

    with translation.override("en"):
        html = client_for(officer()).get("/en/account/settings/").content.decode()
        member = client_for(post_saying("Hej").author, mfa=False)
        other = member.get("/en/account/settings/").content.decode()

    assert 'href="/en/safety/"' in html
    assert 'href="/en/safety/"' not in other
