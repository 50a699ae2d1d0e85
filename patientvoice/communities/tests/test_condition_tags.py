"""Tagging communities and threads with conditions: on thread creation through the
page, who may change a thread's tags, the audit of community tags, and the tags
shown as links in the page's language."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from patientvoice.communities import actions
from patientvoice.communities.forms import ThreadForm
from patientvoice.communities.models import Thread
from patientvoice.core.models import AuditEntry
from patientvoice.directory.models import Condition

from .conftest import logged_in
from .factories import CommunityFactory, StaffFactory, ThreadFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def asthma() -> Condition:
    return Condition.objects.get(slug="astma")


@pytest.fixture
def copd() -> Condition:
    return Condition.objects.get(slug="kol")


def test_a_member_tags_a_new_thread_through_the_page(member, asthma, copd):
    community = CommunityFactory.create(members=[member])

    response = logged_in(member).post(
        reverse("communities:thread_create", args=[community.slug]),
        {"title": "Inhalatorer i kyla", "body": "Hur gör ni när det är minusgrader?",
         "conditions": ["astma", "kol"]},
    )  # fmt: skip

    thread = Thread.objects.get(title="Inhalatorer i kyla")
    assert response.status_code == 302
    assert set(thread.conditions.all()) == {asthma, copd}


def test_a_thread_without_tags_is_fine(member):
    community = CommunityFactory.create(members=[member])

    logged_in(member).post(
        reverse("communities:thread_create", args=[community.slug]),
        {"title": "Utan taggar", "body": "Bara en fråga."},
    )

    assert not Thread.objects.get(title="Utan taggar").conditions.exists()


def test_a_community_with_conditions_offers_only_those(member, asthma, copd):
    community = CommunityFactory.create(members=[member])
    actions.set_community_conditions(actor=None, community=community, conditions=[asthma])

    form = ThreadForm(
        {"title": "Titel här", "body": "Text", "conditions": ["kol"]}, community=community
    )

    field = form.fields["conditions"]
    assert isinstance(field, forms.ChoiceField)
    choices: Any = field.choices
    assert [value for value, _ in choices] == ["astma"]
    assert not form.is_valid()
    assert "conditions" in form.errors


def test_the_form_offers_every_condition_grouped_by_category_when_the_community_has_none():
    form = ThreadForm(community=CommunityFactory.create())

    field = form.fields["conditions"]
    assert isinstance(field, forms.ChoiceField)
    choices: Any = field.choices
    groups = {str(label): options for label, options in choices}
    assert ("brostcancer", "Bröstcancer") in groups["Cancer"]
    assert 'name="conditions"' in str(form["conditions"])
    assert "<optgroup" in str(form["conditions"])


def test_the_community_conditions_are_checkboxes_in_a_fieldset_with_a_legend(member, asthma):
    community = CommunityFactory.create(members=[member])
    actions.set_community_conditions(actor=None, community=community, conditions=[asthma])

    response = logged_in(member).get(reverse("communities:thread_create", args=[community.slug]))

    assert 'type="checkbox" name="conditions" value="astma"' in response.text
    assert '<fieldset class="field"' in response.text
    assert "<legend>" in response.text


def test_the_author_changes_the_tags_of_their_thread(member, asthma, copd):
    thread = ThreadFactory.create(author=member, conditions=[asthma])

    assert actions.set_thread_conditions(actor=member, thread=thread, conditions=[copd])

    assert list(thread.conditions.all()) == [copd]
    assert not AuditEntry.objects.filter(action="communities.thread_conditions_changed").exists()


def test_someone_else_may_not_change_the_tags_of_a_thread(member, outsider, asthma):
    thread = ThreadFactory.create(author=member)

    with pytest.raises(PermissionDenied):
        actions.set_thread_conditions(actor=outsider, thread=thread, conditions=[asthma])

    assert not thread.conditions.exists()


def test_staff_with_active_powers_change_the_tags_of_any_thread_and_it_is_audited(asthma):
    staff = StaffFactory.create()
    thread = ThreadFactory.create()

    actions.set_thread_conditions(actor=staff, thread=thread, conditions=[asthma])

    assert list(thread.conditions.all()) == [asthma]
    entry = AuditEntry.objects.get(action="communities.thread_conditions_changed")
    assert entry.data == {"added": ["astma"], "removed": []}


def test_changing_community_tags_is_audited_and_repeating_it_is_not(asthma, copd):
    staff = StaffFactory.create()
    community = CommunityFactory.create()
    actions.set_community_conditions(actor=staff, community=community, conditions=[asthma])

    changed = actions.set_community_conditions(actor=staff, community=community, conditions=[copd])
    repeated = actions.set_community_conditions(actor=staff, community=community, conditions=[copd])

    assert changed
    assert not repeated
    entries = AuditEntry.objects.filter(action="communities.conditions_changed").order_by("id")
    assert [e.data for e in entries] == [
        {"added": ["astma"], "removed": []},
        {"added": ["kol"], "removed": ["astma"]},
    ]


def test_tags_are_links_in_the_page_language_on_thread_and_community_pages(asthma):
    community = CommunityFactory.create()
    actions.set_community_conditions(actor=None, community=community, conditions=[asthma])
    thread = ThreadFactory.create(community=community, conditions=[asthma])
    client = Client()

    swedish = client.get(thread.get_absolute_url()).text
    english_community = client.get(community.get_absolute_url().replace("/sv/", "/en/")).text

    assert '<a href="/sv/conditions/astma/">Astma</a>' in swedish
    assert '<a href="/en/conditions/astma/">Asthma</a>' in english_community
