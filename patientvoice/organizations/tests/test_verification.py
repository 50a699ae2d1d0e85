"""Site staff create and verify organisations, on their own page (not the Django
admin), with their powers active; every change is audited; the badge shows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import pgettext

from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.organizations import actions
from patientvoice.organizations.models import Organization, OrganizationKind

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def staff_client() -> tuple[Client, object]:
    staff = StaffFactory.create()
    client = Client()
    log_in_with_mfa(client, staff)
    return client, staff


def test_staff_verify_an_organisation_and_it_is_audited_with_the_reason() -> None:
    organization = OrganizationFactory.create()
    client, staff = staff_client()

    response = client.post(
        reverse("organizations:verify", args=[organization.slug]),
        {"decision": "verify", "reason": "Checked at Bolagsverket"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:manage")
    organization.refresh_from_db()
    assert organization.is_verified
    assert organization.verified_by == staff
    entry = AuditEntry.objects.get(action="organizations.verified")
    assert entry.reason == "Checked at Bolagsverket"
    assert entry.target_id == str(organization.public_id)


def test_staff_withdraw_a_verification() -> None:
    organization = OrganizationFactory.create(verified=True)
    client, _staff = staff_client()

    response = client.post(
        reverse("organizations:verify", args=[organization.slug]),
        {"decision": "withdraw", "reason": "Registration lapsed"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:manage")
    organization.refresh_from_db()
    assert not organization.is_verified
    assert organization.verified_by is None
    entry = AuditEntry.objects.get(action="organizations.verification_withdrawn")
    assert entry.reason == "Registration lapsed"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_verification_is_not_withdrawn_without_a_reason(reason: str) -> None:
    organization = OrganizationFactory.create(verified=True)
    client, _staff = staff_client()

    response = client.post(
        reverse("organizations:verify", args=[organization.slug]),
        {"decision": "withdraw", "reason": reason},
    )

    assert response.status_code == 400
    assert response.context["verification_form"].has_error("reason", "required")
    assert 'aria-invalid="true"' in response.text
    with translation.override("sv"):
        expected = pgettext(
            "organisation verification",
            "Say why the verification is withdrawn: it is kept in the audit log.",
        )
    assert escape(expected) in response.text
    organization.refresh_from_db()
    assert organization.is_verified
    assert not AuditEntry.objects.filter(action="organizations.verification_withdrawn").exists()


def test_verifying_without_saying_how_is_allowed() -> None:
    organization = OrganizationFactory.create()
    client, _staff = staff_client()

    response = client.post(
        reverse("organizations:verify", args=[organization.slug]), {"decision": "verify"}
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.is_verified


def test_verifying_twice_changes_nothing_the_second_time() -> None:
    organization = OrganizationFactory.create()
    staff = StaffFactory.create()

    assert actions.verify_organization(actor=staff, organization=organization)
    assert not actions.verify_organization(actor=staff, organization=organization)

    assert AuditEntry.objects.filter(action="organizations.verified").count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("visitor", 302),  # to the login page
        ("member", 403),
        ("staff_without_second_factor_this_session", 403),
    ],
)
def test_only_staff_with_their_powers_active_verify(who: str, status: int) -> None:
    organization = OrganizationFactory.create()
    client = Client()
    if who == "member":
        client.force_login(UserFactory.create())
    elif who == "staff_without_second_factor_this_session":
        client.force_login(StaffFactory.create())

    response = client.post(
        reverse("organizations:verify", args=[organization.slug]), {"decision": "verify"}
    )

    assert response.status_code == status
    if who == "visitor":
        assert "/account/login/" in response["Location"]
    organization.refresh_from_db()
    assert not organization.is_verified


def test_an_organisation_administrator_cannot_verify_their_own_organisation() -> None:
    organization = OrganizationFactory.create()
    admin = UserFactory.create()
    client = Client()
    log_in_with_mfa(client, admin)
    actions.add_staff(actor=None, organization=organization, user=admin, role="admin")

    response = client.post(
        reverse("organizations:verify", args=[organization.slug]), {"decision": "verify"}
    )

    assert response.status_code == 403


def test_an_unknown_decision_changes_nothing() -> None:
    organization = OrganizationFactory.create()
    client, _staff = staff_client()

    response = client.post(
        reverse("organizations:verify", args=[organization.slug]), {"decision": "x"}
    )

    assert response.status_code == 400
    organization.refresh_from_db()
    assert not organization.is_verified


def test_staff_create_an_organisation_of_any_kind_and_are_sent_to_its_staff_page() -> None:
    client, staff = staff_client()

    response = client.post(
        reverse("organizations:create"),
        {
            "name": "Region Norr",
            "kind": OrganizationKind.SPONSOR,
            "language": "sv",
            "website": "https://region.example.org",
            "registration_number": "232100-0000",
            "verified": "on",
        },
    )

    organization = Organization.objects.get(name="Region Norr")
    assert response.status_code == 302
    assert response["Location"] == reverse("organizations:staff", args=[organization.slug])
    assert organization.kind == OrganizationKind.SPONSOR
    assert organization.is_verified
    assert organization.verified_by == staff
    entry = AuditEntry.objects.get(action="organizations.created")
    assert entry.data == {"kind": "sponsor", "verified": True}


def test_a_create_form_with_mistakes_comes_back_with_the_input_kept() -> None:
    client, _staff = staff_client()

    response = client.post(
        reverse("organizations:create"),
        {"name": "Hjärtföreningen", "kind": "pharma", "language": "sv", "website": "not a url"},
    )

    assert response.status_code == 400
    assert 'value="Hjärtföreningen"' in response.text
    assert set(response.context["form"].errors) == {"kind", "website"}
    assert not Organization.objects.exists()


@pytest.mark.parametrize("url_name", ["organizations:manage", "organizations:create"])
def test_members_and_organisation_administrators_cannot_reach_the_staff_pages(
    url_name: str,
) -> None:
    organization = OrganizationFactory.create()
    admin = UserFactory.create()
    client = Client()
    log_in_with_mfa(client, admin)
    actions.add_staff(actor=None, organization=organization, user=admin, role="admin")

    assert client.get(reverse(url_name)).status_code == 403
    assert Client().get(reverse(url_name)).status_code == 302


def test_staff_without_a_second_factor_on_the_account_cannot_reach_the_staff_pages() -> None:
    # A session marked as passing MFA, but the account has no authenticator any more.
    staff = StaffFactory.create()
    client = Client()
    log_in_with_mfa(client, staff)
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=staff).delete()

    assert client.get(reverse("organizations:manage")).status_code == 403


def test_the_staff_list_of_organisations_costs_the_same_for_many(
    django_assert_num_queries,
) -> None:
    staff = StaffFactory.create()
    for n in range(30):
        OrganizationFactory.create(verified=bool(n % 2))
    for organization in Organization.objects.filter(verified_at__isnull=False):
        actions.withdraw_verification(actor=staff, organization=organization)
        actions.verify_organization(actor=staff, organization=organization)
    client = Client()
    log_in_with_mfa(client, staff)

    # session, user, has_mfa, count, page (with verified_by), the header's unread
    # notifications, unread moderation decisions, unread notices of every kind, open
    # moderation cases and the site's funding notices (cached)
    with django_assert_num_queries(10):
        response = client.get(reverse("organizations:manage"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 30


def test_the_verified_badge_shows_on_the_organisation_page_and_not_before() -> None:
    organization = OrganizationFactory.create()
    assert "badge-verified" not in Client().get(organization.get_absolute_url()).text

    actions.verify_organization(actor=StaffFactory.create(), organization=organization)

    assert "badge-verified" in Client().get(organization.get_absolute_url()).text


def test_communities_can_show_their_hosts_badge_with_one_include() -> None:
    from django.template import Context, Template

    community = CommunityFactory.create(organization=OrganizationFactory.create(verified=True))
    template = Template(
        '{% include "organizations/verified_badge.html" with organization=community.organization %}'
    )

    assert "badge-verified" in template.render(Context({"community": community}))
    assert template.render(Context({"community": CommunityFactory.create()})).strip() == ""


def test_an_organisation_is_never_given_the_address_of_a_staff_page() -> None:
    organization = actions.create_organization(actor=None, name="Manage", kind="advocacy")

    assert organization.slug not in actions.RESERVED_SLUGS
    assert Client().get(organization.get_absolute_url()).status_code == 200


def test_the_django_admin_shows_verification_but_does_not_change_it() -> None:
    organization = OrganizationFactory.create()
    client = Client()
    log_in_with_mfa(client, StaffFactory.create(is_superuser=True))
    url = reverse("admin:organizations_organization_change", args=[organization.pk])

    response = client.get(url)

    assert response.status_code == 200
    assert 'name="verified_at' not in response.text
    assert 'name="name"' in response.text
