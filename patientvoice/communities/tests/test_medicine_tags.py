"""Tagging threads with medicines (decisions/0018): when a thread is started, on the page
and through the API; who may change a thread's medicine tags and when that is audited;
the tags shown on the thread page as links to the medicines' pages, in the page's
language; the tags in the API's thread list."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django import forms
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from patientvoice.communities import actions
from patientvoice.communities.forms import ThreadForm
from patientvoice.communities.models import Thread
from patientvoice.core.models import AuditEntry
from patientvoice.directory.models import Condition, Medicine

from .conftest import logged_in
from .factories import CommunityFactory, StaffFactory, ThreadFactory

pytestmark = pytest.mark.django_db


# From the starter set (directory/data/medicines.csv, loaded by a migration).
@pytest.fixture
def methotrexate() -> Medicine:
    return Medicine.objects.get(slug="methotrexate")  # Metotrexat, Methotrexate


@pytest.fixture
def ibuprofen() -> Medicine:
    return Medicine.objects.get(slug="ibuprofen")


def _deactivate(medicine: Medicine) -> None:
    Medicine.objects.filter(pk=medicine.pk).update(is_active=False)


def _new_thread_url(community: Any) -> str:
    return reverse("communities:thread_create", args=[community.slug])


def _send(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


# --- the action


def test_a_new_thread_is_tagged_with_the_medicines_it_is_created_with(methotrexate, ibuprofen):
    thread = ThreadFactory.create(medicines=[methotrexate, ibuprofen])

    assert set(thread.medicines.all()) == {methotrexate, ibuprofen}


def test_the_author_changes_the_medicine_tags_of_their_thread_without_an_audit_entry(
    member, methotrexate, ibuprofen
):
    thread = ThreadFactory.create(author=member, medicines=[methotrexate])

    changed = actions.set_thread_medicines(actor=member, thread=thread, medicines=[ibuprofen])
    repeated = actions.set_thread_medicines(actor=member, thread=thread, medicines=[ibuprofen])

    assert changed
    assert not repeated
    assert list(thread.medicines.all()) == [ibuprofen]
    assert not AuditEntry.objects.filter(action="communities.thread_medicines_changed").exists()


def test_someone_else_may_not_change_the_medicine_tags_of_a_thread(member, outsider, ibuprofen):
    thread = ThreadFactory.create(author=member)

    with pytest.raises(PermissionDenied):
        actions.set_thread_medicines(actor=outsider, thread=thread, medicines=[ibuprofen])

    assert not thread.medicines.exists()


def test_staff_change_the_medicine_tags_of_any_thread_and_it_is_audited(methotrexate, ibuprofen):
    staff = StaffFactory.create()
    thread = ThreadFactory.create(medicines=[methotrexate])

    actions.set_thread_medicines(actor=staff, thread=thread, medicines=[ibuprofen])

    assert list(thread.medicines.all()) == [ibuprofen]
    entry = AuditEntry.objects.get(action="communities.thread_medicines_changed")
    assert entry.data == {"added": ["ibuprofen"], "removed": ["methotrexate"]}
    assert entry.actor == staff


def test_changing_medicine_tags_leaves_the_condition_tags_alone(member, ibuprofen):
    asthma = Condition.objects.get(slug="astma")
    thread = ThreadFactory.create(author=member, conditions=[asthma])

    actions.set_thread_medicines(actor=member, thread=thread, medicines=[ibuprofen])

    assert list(thread.conditions.all()) == [asthma]


# --- the page form


def test_a_member_tags_a_new_thread_with_medicines_through_the_page(
    member, methotrexate, ibuprofen
):
    community = CommunityFactory.create(members=[member])

    response = logged_in(member).post(
        _new_thread_url(community),
        {"title": "Metotrexat och trötthet", "body": "Blir ni också trötta dagen efter?",
         "medicines": ["methotrexate", "ibuprofen"]},
    )  # fmt: skip

    thread = Thread.objects.get(title="Metotrexat och trötthet")
    assert response.status_code == 302
    assert set(thread.medicines.all()) == {methotrexate, ibuprofen}


def test_the_form_offers_active_medicines_by_name_with_their_brand_names(methotrexate):
    _deactivate(Medicine.objects.get(slug="ibuprofen"))

    form = ThreadForm(community=CommunityFactory.create())

    field = form.fields["medicines"]
    assert isinstance(field, forms.ChoiceField)
    choices: Any = field.choices
    offered = dict(choices)
    assert offered["methotrexate"] == "Metotrexat (Metoject, Nordimet)"
    assert "ibuprofen" not in offered
    assert 'name="medicines"' in str(form["medicines"])
    assert "multiple" in str(form["medicines"])


def test_the_form_names_medicines_by_their_inn_on_english_pages(member):
    community = CommunityFactory.create(members=[member])

    response = logged_in(member).get(_new_thread_url(community).replace("/sv/", "/en/"))

    assert '<option value="methotrexate">Methotrexate (Metoject, Nordimet)</option>' in (
        response.text
    )


def test_an_unknown_medicine_is_refused_and_what_was_typed_is_kept(member):
    community = CommunityFactory.create(members=[member])

    response = logged_in(member).post(
        _new_thread_url(community),
        {"title": "Min egen titel", "body": "Min egen text om medicinen",
         "medicines": ["methotrexate", "no-such-medicine"]},
    )  # fmt: skip

    assert response.status_code == 400
    assert "medicines" in response.context["form"].errors
    assert 'value="Min egen titel"' in response.text
    assert "Min egen text om medicinen" in response.text
    assert '<option value="methotrexate" selected>' in response.text
    assert not Thread.objects.filter(title="Min egen titel").exists()


def test_an_inactive_medicine_cannot_be_chosen(member, ibuprofen):
    community = CommunityFactory.create(members=[member])
    _deactivate(ibuprofen)

    response = logged_in(member).post(
        _new_thread_url(community),
        {"title": "Ipren igen", "body": "Hjälper det mot värken?", "medicines": ["ibuprofen"]},
    )

    assert response.status_code == 400
    assert not Thread.objects.filter(title="Ipren igen").exists()


def test_more_medicines_than_the_limit_are_refused_with_a_message(member):
    community = CommunityFactory.create(members=[member])
    slugs = list(
        Medicine.objects.filter(is_active=True).values_list("slug", flat=True)[
            : Thread.MAX_MEDICINES + 1
        ]
    )

    response = logged_in(member).post(
        _new_thread_url(community),
        {"title": "Alla mina mediciner", "body": "En lång lista", "medicines": slugs},
    )

    with translation.override("sv"):
        message = pgettext("thread form", "Choose at most %(limit)d medicines.") % {
            "limit": Thread.MAX_MEDICINES
        }
    assert response.status_code == 400
    assert response.context["form"].errors["medicines"] == [message]
    assert not Thread.objects.filter(title="Alla mina mediciner").exists()


# --- the thread page


def test_medicine_tags_are_links_to_the_medicine_pages_in_the_page_language(methotrexate):
    thread = ThreadFactory.create(medicines=[methotrexate])
    client = Client()

    swedish = client.get(thread.get_absolute_url()).text
    english = client.get(thread.get_absolute_url().replace("/sv/", "/en/")).text

    assert '<a href="/sv/medicines/methotrexate/">Metotrexat</a>' in swedish
    assert '<a href="/en/medicines/methotrexate/">Methotrexate</a>' in english


def test_medicine_tags_show_next_to_the_condition_tags(methotrexate):
    thread = ThreadFactory.create(
        conditions=[Condition.objects.get(slug="reumatoid-artrit")], medicines=[methotrexate]
    )

    html = Client().get(thread.get_absolute_url()).text

    conditions_at = html.index('href="/sv/conditions/reumatoid-artrit/"')
    medicines_at = html.index('href="/sv/medicines/methotrexate/"')
    assert conditions_at < medicines_at < html.index('<div id="thread-main">')


def test_an_inactive_medicine_is_not_shown_on_the_thread_page(methotrexate, ibuprofen):
    thread = ThreadFactory.create(medicines=[methotrexate, ibuprofen])
    _deactivate(ibuprofen)

    html = Client().get(thread.get_absolute_url()).text

    assert "/sv/medicines/methotrexate/" in html
    assert "/sv/medicines/ibuprofen/" not in html


def test_a_thread_without_medicine_tags_shows_no_medicine_list():
    thread = ThreadFactory.create()

    html = Client().get(thread.get_absolute_url()).text

    assert "/medicines/" not in html.split('<div id="thread-main">')[0].split("<main")[1]


# --- the API


def test_a_member_opens_a_thread_with_medicine_tags_through_the_api(member, methotrexate):
    community = CommunityFactory.create(members=[member])

    response = _send(
        logged_in(member),
        f"/api/v1/communities/{community.slug}/threads",
        {"title": "Mornings on methotrexate", "body": "How do you cope?",
         "medicines": ["methotrexate"]},
    )  # fmt: skip

    assert response.status_code == 201
    thread = Thread.objects.get(public_id=response.json()["public_id"])
    assert list(thread.medicines.all()) == [methotrexate]


def test_an_unknown_or_inactive_medicine_is_422_naming_it(member, ibuprofen):
    community = CommunityFactory.create(members=[member])
    _deactivate(ibuprofen)

    response = _send(
        logged_in(member),
        f"/api/v1/communities/{community.slug}/threads",
        {"title": "Mornings", "body": "Hello there",
         "medicines": ["methotrexate", "ibuprofen", "no-such-thing"]},
    )  # fmt: skip

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["details"] == [{"loc": ["body", "medicines"], "msg": "ibuprofen, no-such-thing"}]
    assert not Thread.objects.filter(title="Mornings").exists()


def test_more_medicines_than_the_limit_are_422_in_the_api(member):
    community = CommunityFactory.create(members=[member])
    slugs = list(Medicine.objects.values_list("slug", flat=True)[: Thread.MAX_MEDICINES + 1])

    response = _send(
        logged_in(member),
        f"/api/v1/communities/{community.slug}/threads",
        {"title": "Mornings", "body": "Hello there", "medicines": slugs},
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_the_api_thread_list_names_the_condition_and_active_medicine_tags_by_slug(
    methotrexate, ibuprofen
):
    thread = ThreadFactory.create(
        conditions=[Condition.objects.get(slug="reumatoid-artrit")],
        medicines=[methotrexate, ibuprofen],
    )
    untagged = ThreadFactory.create(community=thread.community)
    _deactivate(ibuprofen)

    response = Client().get(f"/api/v1/communities/{thread.community.slug}/threads")

    items = {item["public_id"]: item for item in response.json()["items"]}
    assert items[str(thread.public_id)]["conditions"] == ["reumatoid-artrit"]
    assert items[str(thread.public_id)]["medicines"] == ["methotrexate"]
    assert items[str(untagged.public_id)]["medicines"] == []
