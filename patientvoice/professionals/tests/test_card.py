"""The public professional card (browser walk, issue 6): a visitor reads what the badge
says and the conflict-of-interest declaration while the credential is active, and
nothing from the private profile; the badge links to it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from patientvoice.accounts.models import User
from patientvoice.professionals import actions
from patientvoice.professionals.models import Credential
from patientvoice.professionals.queries import forget_credential

from . import factories

pytestmark = pytest.mark.django_db


def _card_url(credential: Credential) -> str:
    with translation.override("en"):
        return reverse("professionals:card", args=[credential.public_id])


def _expire(credential: Credential) -> None:
    past = timezone.now() - timedelta(days=1)
    Credential.objects.filter(pk=credential.pk).update(
        verified_at=past - timedelta(days=365), expires_at=past
    )
    forget_credential(credential.user_id)


def _declared(**answers: Any) -> Credential:
    person = factories.applicant(bio="Mamma till två, bor i Umeå")
    return factories.approved(
        person,
        specialty="Diabetesvård",
        employer="Region Norr",
        industry_ties="Föreläsning för Novo Nordisk 2024",
        no_industry_ties=False,
        **answers,
    )


def test_a_visitor_reads_the_card_of_a_professional_whose_profile_is_members_only():
    credential = _declared()
    assert credential.user.profile_audience == "members"

    response = Client().get(_card_url(credential))

    page = response.text
    assert response.status_code == 200
    assert "Anna Svensson" in page
    assert "Registered nurse" in page
    assert "Diabetesvård" in page
    assert "Verified" in page
    assert "Region Norr" in page
    assert "Novo Nordisk" in page


def test_the_card_shows_nothing_from_the_private_profile_or_the_application():
    credential = _declared()

    page = Client().get(_card_url(credential)).text

    assert "Umeå" not in page  # the profile's bio
    assert credential.user.handle not in page  # they chose their real name
    assert "SSK-123456" not in page  # licence number: verifiers only
    assert "Vårdcentralen Norrby" not in page  # workplace: verifiers only


def test_a_professional_who_chose_their_handle_appears_under_it():
    credential = _declared(shows_real_name=False)

    page = Client().get(_card_url(credential)).text

    assert credential.user.handle in page
    assert "Anna Svensson" not in page


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_the_card_of_an_expired_or_revoked_credential_is_gone(state):
    credential = _declared()
    if state == "expired":
        _expire(credential)
    else:
        actions.revoke_credential(
            staff=factories.staff(), credential=credential, reason="Legitimationen är återkallad"
        )

    response = Client().get(_card_url(credential))

    assert response.status_code == 404
    assert "Novo Nordisk" not in response.text


def test_an_address_that_names_no_credential_is_404():
    with translation.override("en"):
        url = reverse("professionals:card", args=[uuid.uuid4()])

    assert Client().get(url).status_code == 404


def test_the_card_of_a_person_being_erased_is_gone():
    credential = _declared()
    User.objects.filter(pk=credential.user_id).update(
        erasure_requested_at=timezone.now(), erasure_mode="anonymise"
    )

    assert Client().get(_card_url(credential)).status_code == 404


def test_a_replaced_credential_sends_the_reader_to_the_current_card():
    old = _declared()
    renewed = factories.approved(old.user)

    response = Client().get(_card_url(old))

    assert response.status_code == 302
    assert response["Location"] == _card_url(renewed)


def test_the_card_costs_two_queries(django_assert_num_queries):
    credential = _declared()
    url = _card_url(credential)
    client = Client()
    client.get(url)  # warm the process-wide fragments of the page's frame

    # The credential with its holder, and the communities they advise that the reader
    # may know exist (decisions/0037).
    with django_assert_num_queries(2):
        response = client.get(url)

    assert response.status_code == 200


def test_the_card_is_also_in_swedish():
    credential = _declared()

    with translation.override("sv"):
        url = reverse("professionals:card", args=[credential.public_id])

    response = Client().get(url)

    assert url.startswith("/sv/")
    assert response.status_code == 200
    assert "Verifierad vårdpersonal" in response.text
    assert "Sjuksköterska" in response.text


def test_the_badge_links_to_the_card():
    credential = _declared()
    reader = factories.applicant()
    client = Client()
    client.force_login(reader)

    with translation.override("en"):
        profile = client.get(reverse("accounts:profile", args=[credential.user.handle])).text

    assert f'href="{_card_url(credential)}"' in profile


def test_the_holder_finds_their_card_on_their_verification_page():
    credential = _declared()
    client = Client()
    client.force_login(credential.user)

    with translation.override("en"):
        page = client.get(reverse("professionals:status")).text

    assert _card_url(credential) in page


def test_the_apply_form_says_where_the_declaration_is_shown():
    client = Client()
    client.force_login(factories.applicant())

    with translation.override("en"):
        page = client.get(reverse("professionals:apply")).text

    assert "shown publicly on your profile" not in page
    assert "professional card" in page
