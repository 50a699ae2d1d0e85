"""The provider's voice through the API: the pages' rules and refusals in the API's
error shape, a role x action matrix, and a fixed query count for the claims list."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.reviews import provider_actions
from patientvoice.reviews.models import ClaimStatus, ReviewDispute
from patientvoice.reviews.tests.factories import clinic, physician, review
from patientvoice.reviews.tests.provider_factories import approved_claim, reply

from .conftest import assert_error

pytestmark = pytest.mark.django_db
JSON = "application/json"


def _reply_url(rated: Any, tail: str = "") -> str:
    return f"/api/v1/reviews/{rated.public_id}/reply{tail}"


def test_a_claimed_clinic_replies_and_the_reviewer_confirms_a_change(bearer):
    place = clinic()
    reviewer = UserFactory.create()
    rated = review(place, author=reviewer)
    claim = approved_claim(place)

    made = Client().post(
        _reply_url(rated),
        {"body": "Vi har ändrat tidbokningen."},
        content_type=JSON,
        **bearer(claim.user, "read_write"),
    )
    changed = Client().put(
        _reply_url(rated, "/change-made"),
        {"note": "Ny tidbokning"},
        content_type=JSON,
        **bearer(reviewer, "read_write"),
    )

    assert made.status_code == 201
    assert made.json()["author_role"] == "Verksamhetschef"
    assert changed.status_code == 200
    assert changed.json()["change_made"] is True
    assert Client().get(_reply_url(rated)).json()["change_note"] == "Ny tidbokning"


def test_an_unclaimed_provider_gets_403_not_a_provider(bearer):
    rated = review(clinic())

    response = Client().post(
        _reply_url(rated),
        {"body": "Hej"},
        content_type=JSON,
        **bearer(UserFactory.create(), "read_write"),
    )

    assert_error(response, 403, "not_a_provider")


def test_a_second_reply_is_409_and_a_read_token_cannot_write(bearer):
    place = clinic()
    rated = review(place)
    claim = approved_claim(place)
    reply(rated, claim)

    again = Client().post(
        _reply_url(rated), {"body": "Igen"}, content_type=JSON, **bearer(claim.user, "read_write")
    )
    read_only = Client().post(
        _reply_url(rated), {"body": "Igen"}, content_type=JSON, **bearer(claim.user)
    )

    assert_error(again, 409, "reply_exists")
    assert_error(read_only, 403, "insufficient_scope")


@pytest.mark.parametrize(
    ("who", "status"),
    [("visitor", 401), ("member", 403), ("provider", 403), ("reviewer", 200)],
)
def test_who_may_mark_a_reply_helped(bearer, who, status):
    place = clinic()
    reviewer = UserFactory.create()
    rated = review(place, author=reviewer)
    claim = approved_claim(place)
    reply(rated, claim)
    person = {"member": UserFactory.create(), "provider": claim.user, "reviewer": reviewer}
    headers = bearer(person[who], "read_write") if who != "visitor" else {}

    response = Client().put(_reply_url(rated, "/helped"), **headers)

    assert response.status_code == status


def test_a_dispute_through_the_api_reaches_moderation(bearer):
    place = clinic()
    rated = review(place)
    claim = approved_claim(place)

    response = Client().post(
        f"/api/v1/reviews/{rated.public_id}/disputes",
        {"reason": "offensive", "text": "Kränkande."},
        content_type=JSON,
        **bearer(claim.user, "read_write"),
    )

    assert response.status_code == 201
    assert ReviewDispute.objects.get().case.kind == "review"


def test_a_physicians_claim_without_mfa_is_403_and_with_it_201(bearer):
    doctor = physician()
    member = UserFactory.create()
    body = {"kind": "physician", "slug": doctor.slug, "role": "Jag är läkaren"}

    refused = Client().post(
        "/api/v1/provider-claims", body, content_type=JSON, **bearer(member, "read_write")
    )
    with_second_factor(member)
    made = Client().post(
        "/api/v1/provider-claims", body, content_type=JSON, **bearer(member, "read_write")
    )

    assert_error(refused, 403, "mfa_required")
    assert made.status_code == 201
    assert made.json()["status"] == ClaimStatus.PENDING


def test_the_claims_list_has_a_fixed_query_count(bearer, django_assert_num_queries):
    member = UserFactory.create()
    for _ in range(30):
        provider_actions.request_claim(user=member, entry=clinic(), role="Chef")
    headers = bearer(member)

    # token, consent, count, page (with the entries joined)
    with django_assert_num_queries(4):
        response = Client().get("/api/v1/provider-claims?limit=100", **headers)

    assert response.json()["count"] == 30
