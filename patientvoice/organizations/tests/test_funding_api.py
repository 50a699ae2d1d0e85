"""The public funding record in the API: what the funding page shows, as JSON."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.organizations.tests.sponsor_factories import sponsor, sponsorship_of

pytestmark = pytest.mark.django_db


def test_anyone_reads_who_funds_what_and_a_private_community_stays_unnamed():
    funder = sponsor(name="Pharma Nordic AB")
    public = CommunityFactory.create(name="Öppen grupp")
    private = CommunityFactory.create(name="Hemlig grupp", visibility="private")
    sponsorship_of(funder, public)
    sponsorship_of(funder, private)
    sponsorship_of(funder, None, starts_on=timezone.localdate() + timedelta(days=10))

    body = Client().get("/api/v1/funding").json()

    assert len(body["current"]) == 2
    assert [line["scope"] for line in body["upcoming"]] == ["site"]
    named = {line["community"]["name"] for line in body["current"] if line["community"]}
    assert named == {"Öppen grupp"}
    assert [line["private_community"] for line in body["current"]].count(True) == 1
    assert "Hemlig grupp" not in str(body)
    assert {line["sponsor"]["name"] for line in body["current"]} == {"Pharma Nordic AB"}
