"""Sponsorships (issue 7, item 6; decisions/0038): site staff record and end them, a
notice discloses them where they apply, and a public page lists every funder."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from patientvoice.accounts.exporting import build_export
from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.communities.models import Community, Visibility
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.organizations import sponsorship
from patientvoice.organizations.models import (
    Organization,
    OrganizationKind,
    Sponsorship,
    StaffRole,
)
from patientvoice.organizations.sponsorship_queries import (
    active_sponsorships_for,
    funding_disclosures,
    site_sponsorships,
    sponsor_label_of,
    sponsor_organization_id,
)
from patientvoice.organizations.templatetags.sponsors import sponsor_label

from .factories import OrganizationFactory
from .sponsor_factories import sponsor, sponsorship_of, staff_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _disclosure(community: Community | None) -> str:
    with translation.override("en"):
        return render_to_string(
            "organizations/includes/funding_disclosure.html",
            {"sponsorships": funding_disclosures(community)},
        )


def _staff_client() -> tuple[Client, User]:
    client, staff = Client(), StaffFactory.create()
    log_in_with_mfa(client, staff)
    return client, staff


# --- recording and ending -----------------------------------------------------------------


def test_staff_record_a_sponsorship_and_it_is_audited() -> None:
    funder, staff = sponsor(), StaffFactory.create()
    log_in_with_mfa(Client(), staff)  # a second factor: their powers are active
    community = CommunityFactory.create()

    recorded = sponsorship.record_sponsorship(
        actor=staff,
        sponsor=funder,
        community=community,
        purpose="The moderators' training.",
        agreement_summary="Two years, no editorial control.",
        starts_on=TODAY(),
        amount=Decimal("250000"),
        currency="sek",
    )

    assert recorded.currency == "SEK"
    entry = AuditEntry.objects.get(action="organizations.sponsorship_recorded")
    assert entry.actor == staff
    assert entry.data["community"] == community.slug
    assert entry.data["amount"] == "250000"


def test_a_member_cannot_record_or_end_a_sponsorship() -> None:
    member = UserFactory.create()
    with pytest.raises(PermissionDenied):
        sponsorship.record_sponsorship(
            actor=member,
            sponsor=sponsor(),
            community=None,
            purpose="Servers.",
            agreement_summary="A grant.",
            starts_on=TODAY(),
        )
    with pytest.raises(PermissionDenied):
        sponsorship.end_sponsorship(
            actor=member, sponsorship=sponsorship_of(sponsor(name="Other AB")), reason="No."
        )


def test_only_an_organisation_of_the_kind_sponsor_can_fund() -> None:
    advocacy = OrganizationFactory.create()

    with pytest.raises(sponsorship.SponsorshipError) as refused:
        sponsorship_of(advocacy)

    assert refused.value.field == "sponsor"
    with translation.override("en"):
        assert "Only an organisation of the kind sponsor can fund" in str(refused.value)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_on_days": -31}, "ends_on"),
        ({"amount": Decimal("1000")}, "amount"),
        ({"amount": Decimal("-5"), "currency": "SEK"}, "amount"),
        ({"currency": "SEK"}, "amount"),
        ({"agreement_url": "javascript:alert(1)"}, "agreement_url"),
        ({"purpose": "   "}, "purpose"),
        ({"agreement_summary": ""}, "agreement_summary"),
    ],
)
def test_bad_sponsorship_details_are_refused_with_the_field_named(
    changes: dict[str, Any], field: str
) -> None:
    ends_in = changes.pop("ends_on_days", None)
    ends_on = TODAY() + timedelta(days=ends_in) if ends_in is not None else None

    with pytest.raises(sponsorship.SponsorshipError) as refused:
        sponsorship_of(sponsor(), ends_on=ends_on, **changes)

    assert refused.value.field == field
    assert not Sponsorship.objects.exists()


def test_the_database_refuses_a_sponsorship_by_an_organisation_that_is_not_a_sponsor() -> None:
    advocacy = OrganizationFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        Sponsorship.objects.create(
            sponsor=advocacy, purpose="x", agreement_summary="y", starts_on=TODAY()
        )


def test_a_funder_stays_a_sponsor_and_a_host_cannot_become_one() -> None:
    funder = sponsor()
    sponsorship_of(funder)
    host = OrganizationFactory.create()
    CommunityFactory.create(organization=host)

    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=funder.pk).update(kind=OrganizationKind.ADVOCACY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=host.pk).update(kind=OrganizationKind.SPONSOR)


def test_ending_a_sponsorship_keeps_it_on_record_with_today_as_its_end(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff = StaffFactory.create()
    log_in_with_mfa(Client(), staff)
    running = sponsorship_of(sponsor())

    with django_capture_on_commit_callbacks(execute=True):
        assert sponsorship.end_sponsorship(actor=staff, sponsorship=running, reason="Ended.")

    running.refresh_from_db()
    assert running.ends_on == TODAY()
    assert running.ended_by == staff
    assert not sponsorship.end_sponsorship(actor=staff, sponsorship=running, reason="Again.")
    assert AuditEntry.objects.filter(action="organizations.sponsorship_ended").count() == 1


# --- the funding notice -------------------------------------------------------------------


def test_a_sponsored_community_discloses_its_funder_and_that_it_has_no_control() -> None:
    community = CommunityFactory.create()
    sponsorship_of(sponsor(name="Pharma Nordic AB"), community)

    html = _disclosure(community)

    assert "This community is funded by Pharma Nordic AB." in html
    assert "Pharma Nordic AB has no editorial control." in html
    assert "/en/organisations/funding/#sponsorship-" in html


def test_a_site_sponsorship_is_disclosed_on_every_community_and_site_page() -> None:
    sponsorship_of(sponsor(name="Region Norr"))
    community = CommunityFactory.create()

    assert "This site is funded by Region Norr." in _disclosure(community)
    assert "This site is funded by Region Norr." in _disclosure(None)


def test_nothing_is_disclosed_where_nobody_funds() -> None:
    sponsorship_of(sponsor(), CommunityFactory.create())

    assert "funding-disclosure" not in _disclosure(CommunityFactory.create())


def test_a_sponsorship_applies_only_between_its_dates() -> None:
    community = CommunityFactory.create()
    funder = sponsor()
    sponsorship_of(funder, community, starts_on=TODAY() + timedelta(days=3))
    sponsorship_of(
        funder, community, starts_on=TODAY() - timedelta(days=60), ends_on=TODAY() - timedelta(1)
    )
    today = sponsorship_of(funder, community, starts_on=TODAY(), ends_on=TODAY())

    assert [n.public_id for n in active_sponsorships_for(community)] == [str(today.public_id)]
    later = active_sponsorships_for(community, today=TODAY() + timedelta(days=3))
    assert len(later) == 1
    assert later[0].public_id != str(today.public_id)
    assert site_sponsorships() == ()


def test_the_notice_goes_at_once_when_staff_end_the_sponsorship(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff = StaffFactory.create()
    log_in_with_mfa(Client(), staff)
    community = CommunityFactory.create()
    running = sponsorship_of(sponsor(name="Pharma Nordic AB"), community)
    assert "Pharma Nordic AB" in _disclosure(community)  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        sponsorship.end_sponsorship(actor=staff, sponsorship=running, reason="Contract over.")

    assert "Pharma Nordic AB" not in _disclosure(community)


def test_a_new_sponsorship_shows_at_once_although_the_notices_were_cached(
    django_capture_on_commit_callbacks: Any,
) -> None:
    community = CommunityFactory.create()
    assert funding_disclosures(community) == ()  # cached: nothing

    with django_capture_on_commit_callbacks(execute=True):
        sponsorship_of(sponsor(name="Fonden för hjärtat"), community)

    assert [n.sponsor_name for n in funding_disclosures(community)] == ["Fonden för hjärtat"]


def test_the_notices_cost_no_query_once_cached(django_assert_num_queries: Any) -> None:
    communities = [CommunityFactory.create() for _ in range(5)]
    for community in communities:
        sponsorship_of(sponsor(name=f"Sponsor {community.pk}"), community)
    funding_disclosures(communities[0])

    with django_assert_num_queries(0):
        for community in communities:
            assert len(funding_disclosures(community)) == 1


# --- the transparency page ----------------------------------------------------------------


def test_the_funding_page_lists_every_funder_with_period_amount_and_agreement() -> None:
    community = CommunityFactory.create(name="Leva med diabetes")
    funder = sponsor(name="Pharma Nordic AB")
    sponsorship_of(
        funder,
        community,
        amount=Decimal("250000"),
        currency="SEK",
        agreement_url="https://example.org/avtal.pdf",
    )
    sponsorship_of(sponsor(name="Region Norr"), starts_on=TODAY() + timedelta(days=10))
    sponsorship_of(
        sponsor(name="Old Pharma AB"),
        starts_on=TODAY() - timedelta(days=400),
        ends_on=TODAY() - timedelta(days=35),
    )

    with translation.override("en"):
        response = Client().get(reverse("organizations:funding"))

    assert response.status_code == 200
    text = response.text
    assert text.index("Funding now") < text.index("Pharma Nordic AB")
    assert text.index("Funding that starts later") < text.index("Region Norr")
    assert text.index("Earlier funding") < text.index("Old Pharma AB")
    assert "The community Leva med diabetes" in text
    assert "250,000 SEK" in text or "250 000 SEK" in text or "250\xa0000 SEK" in text
    assert "Not stated in the agreement" in text
    assert "https://example.org/avtal.pdf" in text
    assert "has no editorial control" in text
    assert "cannot moderate, hide, remove, pin, rank or promote anything" in text


def test_the_funding_page_does_not_name_a_private_community_to_outsiders() -> None:
    member = UserFactory.create()
    private = CommunityFactory.create(
        name="Hemlig grupp", visibility=Visibility.PRIVATE, members=[member]
    )
    sponsorship_of(sponsor(), private)
    member_client = Client()
    log_in(member_client, member)

    with translation.override("en"):
        outsider_page = Client().get(reverse("organizations:funding")).text
        member_page = member_client.get(reverse("organizations:funding")).text

    assert "Hemlig grupp" not in outsider_page
    assert private.slug not in outsider_page
    assert "A private community" in outsider_page
    assert "Hemlig grupp" in member_page


def test_the_funding_page_asks_the_same_number_of_queries_for_many_sponsorships() -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(reverse("organizations:funding")).status_code == 200
        return len(queries)

    funder = sponsor()
    staff_of(funder)
    sponsorship_of(funder, CommunityFactory.create())
    count()  # the funding notices every page shows are cached from here on
    few = count()
    for n in range(25):
        other = sponsor(name=f"Sponsor number {n}")
        staff_of(other)
        sponsorship_of(other, CommunityFactory.create(), starts_on=TODAY() - timedelta(days=n))

    assert count() == few


def test_staff_record_a_sponsorship_through_the_form() -> None:
    client, _ = _staff_client()
    funder = sponsor(name="Pharma Nordic AB")
    community = CommunityFactory.create()

    response = client.post(
        reverse("organizations:sponsorship_new"),
        {
            "sponsor": funder.pk,
            "community": community.slug,
            "purpose": "Servers and training.",
            "language": "sv",
            "starts_on": TODAY().isoformat(),
            "amount": "1000",
            "currency": "eur",
            "agreement_summary": "One year. No editorial control.",
        },
    )

    assert response.status_code == 302
    recorded = Sponsorship.objects.get()
    assert (recorded.community, recorded.currency) == (community, "EUR")


def test_a_refused_sponsorship_form_says_why_and_keeps_what_was_typed() -> None:
    client, _ = _staff_client()

    with translation.override("en"):
        response = client.post(
            reverse("organizations:sponsorship_new"),
            {
                "sponsor": sponsor().pk,
                "community": "no-such-community",
                "purpose": "Servers and training, typed carefully.",
                "language": "sv",
                "starts_on": "31/12/2026",
                "agreement_summary": "One year.",
            },
        )

    assert response.status_code == 400
    assert "No community has that short name." in response.text
    assert "Write a date: 2026-01-31." in response.text
    assert "Servers and training, typed carefully." in response.text
    assert not Sponsorship.objects.exists()


@pytest.mark.parametrize("who", ["visitor", "member", "sponsor_admin", "staff_without_mfa"])
def test_only_acting_site_staff_reach_the_staff_funding_pages(who: str) -> None:
    client = Client()
    running = sponsorship_of(sponsor())
    if who == "member":
        log_in(client, UserFactory.create())
    elif who == "sponsor_admin":
        log_in_with_mfa(client, staff_of(running.sponsor))
    elif who == "staff_without_mfa":
        client.force_login(StaffFactory.create())

    pages = [
        client.get(reverse("organizations:sponsorship_new")),
        client.post(
            reverse("organizations:sponsorship_end", args=[running.public_id]), {"reason": "x"}
        ),
        client.get(reverse("organizations:sponsor_approvals")),
    ]

    assert all(page.status_code in {302, 403} for page in pages)
    running.refresh_from_db()
    assert running.ended_at is None


def test_ending_without_a_reason_comes_back_with_the_reason_asked() -> None:
    client, _ = _staff_client()
    running = sponsorship_of(sponsor())

    with translation.override("en"):
        response = client.post(
            reverse("organizations:sponsorship_end", args=[running.public_id]), {"reason": ""}
        )

    assert response.status_code == 400
    assert "Say why it ends." in response.text
    running.refresh_from_db()
    assert running.ended_at is None


def test_a_sponsor_page_says_what_it_funds_and_links_to_the_funding_page() -> None:
    community = CommunityFactory.create(name="Leva med reumatism")
    funder = sponsor(name="Pharma Nordic AB")
    sponsorship_of(funder, community)

    with translation.override("en"):
        response = Client().get(funder.get_absolute_url())

    assert "What Pharma Nordic AB funds here" in response.text
    assert "The community Leva med reumatism" in response.text
    assert 'href="/en/organisations/funding/"' in response.text


# --- sponsor staff are labelled -----------------------------------------------------------


def test_people_who_work_for_a_sponsor_carry_its_label(
    django_capture_on_commit_callbacks: Any,
) -> None:
    funder = sponsor(name="Pharma Nordic AB")
    patient = UserFactory.create()
    assert sponsor_label_of(patient) is None  # the labels are cached now

    with django_capture_on_commit_callbacks(execute=True):
        worker = staff_of(funder, role=StaffRole.MODERATOR)

    assert sponsor_label_of(worker) is not None
    with translation.override("en"):
        assert "Works for Pharma Nordic AB (sponsor)" in sponsor_label(worker)
        assert sponsor_label(patient) == ""
        assert sponsor_label(staff_of(OrganizationFactory.create())) == ""


def test_the_label_goes_when_the_person_stops_working_for_the_sponsor(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from patientvoice.organizations import actions

    funder = sponsor()
    staff_of(funder)  # the organisation keeps an administrator
    worker = staff_of(funder, role=StaffRole.MODERATOR)
    assert sponsor_label_of(worker) is not None

    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_staff(actor=None, organization=funder, user=worker)

    assert sponsor_label_of(worker) is None


def test_the_sql_expression_names_the_sponsor_of_each_row() -> None:
    funder = sponsor()
    worker, patient = staff_of(funder), UserFactory.create()
    advocate = staff_of(OrganizationFactory.create())

    found = dict(
        User.objects.filter(pk__in=[worker.pk, patient.pk, advocate.pk])
        .annotate(sponsor_id=sponsor_organization_id(OuterRef("pk")))
        .values_list("pk", "sponsor_id")
    )

    assert found == {worker.pk: funder.pk, patient.pk: None, advocate.pk: None}


def test_the_staff_list_and_the_funding_page_show_the_label() -> None:
    funder = sponsor(name="Pharma Nordic AB")
    admin = staff_of(funder, handle="pharma_anna")
    sponsorship_of(funder)
    client, reader = Client(), Client()
    log_in_with_mfa(client, admin)
    log_in(reader, UserFactory.create())  # profiles are shown to members by default

    with translation.override("en"):
        staff_page = client.get(reverse("organizations:staff", args=[funder.slug]))
        funding_page = reader.get(reverse("organizations:funding"))

    assert "Works for Pharma Nordic AB (sponsor)" in staff_page.text
    assert "no moderation powers" in staff_page.text
    assert "pharma_anna" in funding_page.text


def test_sponsorship_records_are_in_the_staff_members_export() -> None:
    staff = StaffFactory.create()
    log_in_with_mfa(Client(), staff)
    sponsorship.record_sponsorship(
        actor=staff,
        sponsor=sponsor(name="Pharma Nordic AB"),
        community=None,
        purpose="Servers.",
        agreement_summary="A grant.",
        starts_on=TODAY(),
    )

    section = build_export(staff)["sponsorships_recorded"]

    assert section["sponsorships"] == [
        {
            "sponsor__name": "Pharma Nordic AB",
            "starts_on": TODAY().isoformat(),
            "ends_on": None,
            "ended_at": None,
            "end_reason": "",
            "recorded_by_you": True,
            "ended_by_you": False,
        }
    ]
