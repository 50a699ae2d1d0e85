"""Writing through the pages: opening threads, replying, joining."""

from __future__ import annotations

import pytest
from django.urls import reverse

from patientvoice.communities import actions
from patientvoice.communities.models import POSTS_PER_PAGE, Community, Post, Thread
from patientvoice.core.models import AuditEntry

from .conftest import logged_in
from .factories import CommunityFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def test_member_opens_a_thread_and_lands_on_it(member):
    community = CommunityFactory.create(members=[member])

    response = logged_in(member).post(
        reverse("communities:thread_create", args=[community.slug]),
        {"title": "Tips for the first week", "body": "What helped you in the first week?"},
        follow=True,
    )

    thread = Thread.objects.get(community=community)
    assert response.redirect_chain[-1][0] == thread.get_absolute_url()
    assert "What helped you in the first week?" in response.text
    assert thread.is_published


def test_non_member_who_opens_a_thread_is_asked_to_join_first(outsider):
    community = CommunityFactory.create()

    response = logged_in(outsider).post(
        reverse("communities:thread_create", args=[community.slug]),
        {"title": "Tips for the first week", "body": "What helped you in the first week?"},
    )

    assert response["Location"] == community.get_absolute_url()
    assert not Thread.objects.filter(community=community).exists()


def test_reply_lands_on_the_last_page_where_the_new_reply_is(member):
    thread = ThreadFactory.create(
        community=CommunityFactory.create(members=[member]), author=member
    )
    for _ in range(POSTS_PER_PAGE):
        PostFactory.create(thread=thread)
    url = reverse("communities:reply", args=[thread.community.slug, thread.public_id])

    response = logged_in(member).post(url, {"body": "Thank you all for the advice."}, follow=True)

    reply = Post.objects.get(body="Thank you all for the advice.")
    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert f'id="post-{reply.public_id}"' in response.text


def test_last_page_of_a_thread_can_be_linked_to(member):
    thread = ThreadFactory.create(author=member)
    for _ in range(POSTS_PER_PAGE):
        PostFactory.create(thread=thread)

    response = logged_in(member).get(thread.get_absolute_url() + "?page=last")

    assert response.context["page"].number == 2


def test_new_community_gets_a_free_address_from_its_name():
    first = actions.create_community(actor=None, name="Leva med MS")
    second = actions.create_community(actor=None, name="Leva med MS")

    assert (first.slug, second.slug) == ("leva-med-ms", "leva-med-ms-2")
    assert Community.objects.get(pk=second.pk).member_count == 0


def test_creating_a_community_is_audited():
    community = CommunityFactory.create()

    assert AuditEntry.objects.filter(
        action="communities.created", target_id=str(community.public_id)
    ).exists()


def test_reply_with_crisis_language_lands_on_the_help_panel(member):
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[member]))
    client = logged_in(member)

    response = client.post(
        reverse("communities:reply", args=[thread.community.slug, thread.public_id]),
        {"body": "Jag vill inte leva längre, allt är för tungt."},
    )
    page = client.get(response["Location"])

    assert response["Location"].endswith("#crisis-help")
    assert 'id="crisis-help"' in page.text
    assert 'href="tel:112"' in page.text
    assert Post.objects.filter(author=member, status="published").exists()


def test_opening_the_reply_address_after_logging_in_again_leads_to_the_form(member):
    thread = ThreadFactory.create(community=CommunityFactory.create(members=[member]))

    response = logged_in(member).get(
        reverse("communities:reply", args=[thread.community.slug, thread.public_id])
    )

    assert response.status_code == 302
    assert response["Location"] == f"{thread.get_absolute_url()}?page=last#reply"
