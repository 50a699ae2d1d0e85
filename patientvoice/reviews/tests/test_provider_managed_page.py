"""A physician's or clinic's page with an approved claim says who manages it and keeps
a smaller "Request access" for further representatives, instead of offering "Claim this
page" as if nobody did."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from patientvoice.core.testing.sessions import log_in
from patientvoice.reviews import provider_actions
from patientvoice.reviews.models import ClaimStatus

from .factories import UserFactory, acting_staff, clinic, physician
from .provider_factories import approved_claim

pytestmark = pytest.mark.django_db


def sv(context: str, message: str) -> str:
    with translation.override("sv"):
        return translation.pgettext(context, message)


def _client(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


def test_an_unclaimed_clinic_offers_claim_this_page():
    place = clinic()

    page = Client().get(reverse("directory:clinic_detail", args=[place.slug])).content.decode()

    assert sv("provider voice", "Claim this page") in page
    assert sv("provider voice", "This page is managed by its clinic.") not in page
    assert sv("provider voice", "Request access") not in page


def test_a_claimed_clinic_is_managed_by_its_clinic_with_a_smaller_request_access_link():
    place = clinic()
    approved_claim(place)

    page = Client().get(reverse("directory:clinic_detail", args=[place.slug])).content.decode()

    assert sv("provider voice", "This page is managed by its clinic.") in page
    assert sv("provider voice", "Claim this page") not in page
    assert sv("provider voice", "Also work here?") in page
    link = reverse("reviews:claim", args=["clinic", place.slug])
    assert '<p class="small request-access">' in page
    assert f'href="{link}"' in page


def test_the_representative_sees_that_they_speak_for_it_not_request_access():
    place = clinic()
    claim = approved_claim(place)

    page = _client(claim.user).get(reverse("directory:clinic_detail", args=[place.slug]))

    text = page.content.decode()
    assert sv("provider voice", "This page is managed by its clinic.") in text
    assert sv("provider voice", "Request access") not in text


def test_a_second_representative_requests_access_and_staff_may_approve_both():
    place = clinic()
    first = approved_claim(place)
    colleague = UserFactory.create()
    client = _client(colleague)
    url = reverse("reviews:claim", args=["clinic", place.slug])

    form = client.get(url).content.decode()
    sent = client.post(url, {"role": "Patientkoordinator", "evidence": "Ring växeln."})
    second = colleague.provider_claims.get()
    provider_actions.decide_claim(staff=acting_staff(), claim=second, approve=True, reason="Ja.")

    managed = sv(
        "claim form",
        "This page is managed by its clinic already. Several representatives may speak for "
        "a clinic: if you work here too, send a request and staff check it as any other.",
    )
    assert managed in form
    assert sent.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == ClaimStatus.APPROVED


def test_a_physicians_page_is_managed_by_the_physician_once_claimed():
    doctor = physician()
    claim = approved_claim(doctor)
    url = reverse("directory:physician_detail", args=[doctor.slug])

    page = _client(UserFactory.create()).get(url).content.decode()
    provider_actions.revoke_claim(staff=acting_staff(), claim=claim, reason="Fel person.")
    after = _client(UserFactory.create()).get(url).content.decode()

    assert sv("provider voice", "This page is managed by the physician.") in page
    assert sv("provider voice", "Request access") in page
    assert sv("provider voice", "Claim this page") not in page
    assert sv("provider voice", "This page is managed by the physician.") not in after
    assert sv("provider voice", "Claim this page") in after
