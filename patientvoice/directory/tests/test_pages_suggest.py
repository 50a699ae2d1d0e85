"""The suggestion form: visitors are sent to log in, members suggest, bad input and
the daily limit keep what was typed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.testing.sessions import log_in
from patientvoice.directory.actions import SUGGESTIONS_PER_DAY
from patientvoice.directory.models import EntrySuggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client() -> Client:
    client = Client()
    log_in(client, UserFactory.create())
    return client


def test_a_visitor_is_sent_to_log_in():
    response = Client().get(reverse("directory:suggest"))

    assert response.status_code == 302
    assert "/account/login/" in response["Location"]
    assert "next=" in response["Location"]


def test_a_member_sees_the_form_with_the_kind_from_the_link(member_client):
    response = member_client.get(reverse("directory:suggest"), {"kind": "clinic"})

    assert response.status_code == 200
    assert response.context["form"].initial["kind"] == "clinic"


def test_a_member_suggests_a_medicine_and_is_thanked(member_client):
    response = member_client.post(
        "/en/directory/suggest/",
        {"kind": "medicine", "name": "Nymedicin", "details": "Nytt 2026"},
        follow=True,
    )

    assert response.status_code == 200
    assert "We have received your suggestion" in response.text
    made = EntrySuggestion.objects.get()
    assert (made.kind, made.name, made.details, made.status) == (
        "medicine", "Nymedicin", "Nytt 2026", "pending"
    )  # fmt: skip


def test_a_suggestion_without_a_name_is_refused_with_400_and_the_text_kept(member_client):
    response = member_client.post(
        "/en/directory/suggest/", {"kind": "clinic", "name": "  ", "details": "Vårdcentral i Lund"}
    )

    assert response.status_code == 400
    assert "Write the name." in response.text
    assert "Vårdcentral i Lund" in response.text
    assert not EntrySuggestion.objects.exists()


def test_an_unknown_kind_is_refused_in_swedish_with_the_name_kept(member_client):
    response = member_client.post(
        "/sv/directory/suggest/", {"kind": "vaccine", "name": "Min vaccin"}
    )

    assert response.status_code == 400
    assert 'value="Min vaccin"' in response.text
    assert response.context["form"].errors["kind"]
    assert not EntrySuggestion.objects.exists()


def test_past_the_daily_limit_the_answer_is_429_with_the_text_kept(member_client):
    for n in range(SUGGESTIONS_PER_DAY):
        member_client.post(reverse("directory:suggest"), {"kind": "medicine", "name": f"M{n}"})

    response = member_client.post(
        "/en/directory/suggest/", {"kind": "physician", "name": "Dr Elva", "details": "Malmö"}
    )

    assert response.status_code == 429
    assert "Please wait until tomorrow" in response.text
    assert 'value="Dr Elva"' in response.text
    assert EntrySuggestion.objects.count() == SUGGESTIONS_PER_DAY
