"""Community guidelines: a person accepts the current version before their first post
in a community, and again when it changes, without losing what they wrote."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.admin.sites import site as default_admin_site
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from patientvoice.communities import actions
from patientvoice.communities.admin import CommunityGuidelinesAdmin
from patientvoice.communities.models import (
    CommunityGuidelines,
    GuidelinesAcceptance,
    Post,
    Thread,
)
from patientvoice.communities.queries import needs_to_accept_guidelines
from patientvoice.core.models import AuditEntry

from .conftest import logged_in
from .factories import CommunityFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db


def _sv(context: str, message: str) -> str:
    """The Swedish text the page shows (the default language of these URLs)."""
    with translation.override("sv"):
        return pgettext(context, message)


RULES = "Be **kind**. Nothing here replaces care."
NEW_RULES = "Be kind. No advertising, please."
TITLE = "How do you sleep with the pain?"
BODY = "Mornings are the worst for me, what helps you?"


@pytest.fixture
def community(member):
    community = CommunityFactory.create(members=[member])
    actions.publish_guidelines(actor=None, community=community, body=RULES)
    return community


def _new_thread(client: Client, community, **extra):
    return client.post(
        reverse("communities:thread_create", args=[community.slug]),
        {"title": TITLE, "body": BODY, **extra},
    )


def _reply(client: Client, thread, **extra):
    return client.post(
        reverse("communities:reply", args=[thread.community.slug, thread.public_id]),
        {"body": BODY, **extra},
    )


def test_member_who_has_not_accepted_cannot_open_a_thread_and_keeps_what_they_typed(
    member, community
):
    response = _new_thread(logged_in(member), community)

    assert response.status_code == 400
    assert "Be <strong>kind</strong>" in response.text
    assert 'name="accept_guidelines"' in response.text
    assert TITLE in response.text
    assert BODY in response.text
    assert not Thread.objects.filter(community=community).exists()


def test_member_who_has_not_accepted_cannot_reply_and_keeps_what_they_typed(member, community):
    thread = ThreadFactory.create(community=community)

    response = _reply(logged_in(member), thread)

    assert response.status_code == 400
    assert "Be <strong>kind</strong>" in response.text
    assert BODY in response.text
    assert not Post.objects.filter(author=member).exists()


def test_submitting_the_shown_guidelines_without_ticking_the_box_is_refused(member, community):
    response = _new_thread(logged_in(member), community, guidelines_version=1)

    assert response.status_code == 400
    assert _sv("guidelines form", "Tick the box to accept the guidelines before you publish.") in (
        response.text
    )
    assert not GuidelinesAcceptance.objects.filter(user=member).exists()


def test_ticking_the_box_publishes_the_thread_and_records_the_acceptance(member, community):
    response = _new_thread(
        logged_in(member), community, guidelines_version=1, accept_guidelines="on"
    )

    thread = Thread.objects.get(community=community)
    assert response["Location"] == thread.get_absolute_url()
    assert thread.is_published
    assert GuidelinesAcceptance.objects.get(user=member).guidelines.version == 1
    assert not needs_to_accept_guidelines(member, community)


def test_ticking_the_box_publishes_the_reply_and_records_the_acceptance(member, community):
    thread = ThreadFactory.create(community=community)

    response = _reply(logged_in(member), thread, guidelines_version=1, accept_guidelines="on")

    assert response.status_code == 302
    assert Post.objects.get(author=member).body == BODY
    assert GuidelinesAcceptance.objects.filter(user=member, guidelines__version=1).exists()


def test_new_thread_form_shows_the_guidelines_before_the_person_writes(member, community):
    response = logged_in(member).get(reverse("communities:thread_create", args=[community.slug]))

    assert response.status_code == 200
    assert "Be <strong>kind</strong>" in response.text


def test_a_new_version_asks_again(member, community):
    client = logged_in(member)
    _new_thread(client, community, guidelines_version=1, accept_guidelines="on")
    actions.publish_guidelines(actor=None, community=community, body=NEW_RULES)
    thread = Thread.objects.get(community=community)

    response = _reply(client, thread, guidelines_version=1, accept_guidelines="on")

    assert response.status_code == 400
    assert "No advertising, please." in response.text
    changed = "The guidelines changed while you were writing. Read the new version and tick the box to accept it."  # noqa: E501
    assert _sv("guidelines", changed) in response.text
    assert thread.posts.count() == 1


def test_accepting_the_new_version_publishes(member, community):
    client = logged_in(member)
    _new_thread(client, community, guidelines_version=1, accept_guidelines="on")
    actions.publish_guidelines(actor=None, community=community, body=NEW_RULES)
    thread = Thread.objects.get(community=community)

    response = _reply(client, thread, guidelines_version=2, accept_guidelines="on")

    assert response.status_code == 302
    assert thread.posts.count() == 2
    assert sorted(
        GuidelinesAcceptance.objects.filter(user=member).values_list(
            "guidelines__version", flat=True
        )
    ) == [1, 2]


def test_member_who_accepted_the_current_version_is_not_asked(member, community):
    actions.accept_guidelines(user=member, guidelines=community.guidelines.get())
    client = logged_in(member)

    form_page = client.get(reverse("communities:thread_create", args=[community.slug]))
    response = _new_thread(client, community)

    assert 'name="accept_guidelines"' not in form_page.text
    assert response.status_code == 302
    assert Thread.objects.get(community=community).is_published


def test_community_without_guidelines_asks_nothing(member):
    community = CommunityFactory.create(members=[member])

    response = _new_thread(logged_in(member), community)

    assert response.status_code == 302
    assert not needs_to_accept_guidelines(member, community)


def test_community_page_shows_the_current_guidelines_and_their_version(community):
    actions.publish_guidelines(actor=None, community=community, body=NEW_RULES)

    response = Client().get(community.get_absolute_url())

    assert "<details" in response.text
    assert "No advertising, please." in response.text
    assert "version 2" in response.text
    assert "Be <strong>kind</strong>" not in response.text


def test_outsiders_of_a_members_only_community_do_not_see_its_guidelines():
    community = CommunityFactory.create(members_only=True)
    actions.publish_guidelines(actor=None, community=community, body=RULES)

    response = logged_in(UserFactory.create()).get(community.get_absolute_url())

    assert response.status_code == 200
    assert "Be <strong>kind</strong>" not in response.text


def test_publishing_numbers_versions_and_is_audited(community):
    staff = UserFactory.create()

    second = actions.publish_guidelines(actor=staff, community=community, body=NEW_RULES)

    assert second.version == 2
    assert second.published_by == staff
    assert second.body_html == "<p>Be kind. No advertising, please.</p>"
    assert AuditEntry.objects.filter(
        action="communities.guidelines_published", data__version=2
    ).exists()


def test_publishing_the_same_text_again_makes_no_new_version(community):
    again = actions.publish_guidelines(actor=None, community=community, body=RULES + "\n")

    assert again.version == 1
    assert community.guidelines.count() == 1


def test_accepting_twice_keeps_one_acceptance(member, community):
    guidelines = community.guidelines.get()

    first = actions.accept_guidelines(user=member, guidelines=guidelines)
    second = actions.accept_guidelines(user=member, guidelines=guidelines)

    assert first.pk == second.pk
    assert GuidelinesAcceptance.objects.filter(user=member).count() == 1


def test_a_published_version_cannot_be_changed_in_the_admin(rf, community):
    model_admin = CommunityGuidelinesAdmin(CommunityGuidelines, default_admin_site)
    request = rf.get("/")
    request.user = UserFactory.create(is_staff=True, is_superuser=True)

    assert model_admin.has_change_permission(request, obj=None)
    assert not model_admin.has_change_permission(request, obj=community.guidelines.get())
    assert not model_admin.has_delete_permission(request, obj=community.guidelines.get())


def test_adding_guidelines_in_the_admin_publishes_the_next_version(rf, community):
    model_admin = CommunityGuidelinesAdmin(CommunityGuidelines, default_admin_site)
    request = rf.post("/")
    request.user = staff = UserFactory.create(is_staff=True, is_superuser=True)
    form_class = model_admin.get_form(request, obj=None)
    form = form_class({"community": community.pk, "body": NEW_RULES})
    assert form.is_valid(), form.errors
    obj = form.save(commit=False)

    model_admin.save_model(request, obj, form, change=False)

    assert (obj.pk, obj.version, obj.published_by) == (
        community.guidelines.get(version=2).pk,
        2,
        staff,
    )


def test_export_contains_the_guidelines_the_person_accepted(member, community):
    actions.accept_guidelines(user=member, guidelines=community.guidelines.get())
    client = logged_in(member)

    archive = json.loads(client.post(reverse("accounts:data_export")).content)

    [accepted] = archive["communities"]["guidelines_accepted"]
    assert accepted["guidelines__community__name"] == community.name
    assert accepted["guidelines__version"] == 1
    assert accepted["created_at"]


def test_export_contains_the_guidelines_the_person_published(community):
    staff = UserFactory.create()
    actions.publish_guidelines(actor=staff, community=community, body=NEW_RULES)
    client = logged_in(staff)

    archive = json.loads(client.post(reverse("accounts:data_export")).content)

    assert [(g["version"], g["body"]) for g in archive["communities"]["guidelines_published"]] == [
        (2, NEW_RULES)
    ]


def test_demo_data_gives_every_community_guidelines_its_writers_accepted():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    assert CommunityGuidelines.objects.filter(version=1).count() == 5
    assert not CommunityGuidelines.objects.filter(version__gt=1).exists()
    for post in Post.objects.select_related("author", "community"):
        assert not needs_to_accept_guidelines(post.author, post.community)
