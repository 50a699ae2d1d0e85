"""The hosting organisation's administrators and moderators (and site staff) edit a
community's guidelines on /c/<slug>/guidelines/edit/; each change is a new version."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import pgettext

from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import Community, CommunityGuidelines
from patientvoice.communities.queries import guidelines_to_accept
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.organizations import actions as org_actions
from patientvoice.organizations.models import Organization, StaffRole

from .factories import CommunityFactory, OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

RULES_V1 = "- Be kind.\n- No advertising."
RULES_V2 = "- Be kind.\n- No advertising.\n- **No names** of health professionals."


def org_person(organization: Organization, role: str) -> User:
    person = UserFactory.create()
    log_in_with_mfa(Client(), person)
    org_actions.add_staff(actor=None, organization=organization, user=person, role=role)
    return person


def client_with_mfa(user: User) -> Client:
    client = Client()
    log_in_with_mfa(client, user)
    return client


def edit_url(community: Community) -> str:
    return reverse("communities:guidelines_edit", args=[community.slug])


@pytest.fixture
def community() -> Community:
    community = CommunityFactory.create(organization=OrganizationFactory.create())
    actions.publish_guidelines(actor=None, community=community, body=RULES_V1)
    return community


def test_an_organisation_moderator_publishes_a_new_version_that_members_accept_again(
    community: Community,
) -> None:
    member = UserFactory.create()
    actions.join_community(user=member, community=community)
    actions.accept_guidelines(user=member, guidelines=community.guidelines.get(version=1))
    moderator = org_person(community.organization, StaffRole.MODERATOR)  # type: ignore[arg-type]

    response = client_with_mfa(moderator).post(edit_url(community), {"body": RULES_V2})

    assert response.status_code == 302
    latest = CommunityGuidelines.objects.filter(community=community).latest()
    assert latest.version == 2
    assert latest.published_by == moderator
    assert "<strong>No names</strong>" in latest.body_html
    assert guidelines_to_accept(member, community) == latest
    assert AuditEntry.objects.filter(
        action="communities.guidelines_published", actor=moderator
    ).exists()


def test_the_same_text_again_publishes_nothing_and_the_page_says_so(
    community: Community,
) -> None:
    admin = org_person(community.organization, StaffRole.ADMIN)  # type: ignore[arg-type]
    client = client_with_mfa(admin)

    response = client.post(edit_url(community), {"body": f"  {RULES_V1}\n"}, follow=True)

    assert community.guidelines.count() == 1
    with translation.override("sv"):
        expected = pgettext(
            "guidelines form",
            "The text is the same as the current version, so nothing was "
            "published and nobody is asked to accept it again.",
        )
    assert escape(expected) in response.text


def test_preview_shows_the_rendered_text_without_publishing(community: Community) -> None:
    admin = org_person(community.organization, StaffRole.ADMIN)  # type: ignore[arg-type]

    response = client_with_mfa(admin).post(edit_url(community), {"body": RULES_V2, "preview": "1"})

    assert response.status_code == 200
    assert "<strong>No names</strong>" in response.text
    assert "No names" in response.context["form"]["body"].value()
    assert community.guidelines.count() == 1


def test_hostile_markdown_is_sanitised_in_the_preview_and_the_version(
    community: Community,
) -> None:
    client = client_with_mfa(StaffFactory.create())
    body = "Rules <script>alert(1)</script> [x](javascript:alert(1))"

    preview = client.post(edit_url(community), {"body": body, "preview": "1"})
    client.post(edit_url(community), {"body": body})

    assert "<script>" not in preview.text.split("<main", 1)[1]
    assert 'href="javascript:' not in community.guidelines.latest().body_html


def test_empty_guidelines_are_refused_with_a_reason(community: Community) -> None:
    client = client_with_mfa(StaffFactory.create())

    response = client.post(edit_url(community), {"body": "   "})

    assert response.status_code == 400
    assert response.context["form"].errors["body"]
    assert community.guidelines.count() == 1


def test_the_page_lists_every_earlier_version(community: Community) -> None:
    actions.publish_guidelines(actor=None, community=community, body=RULES_V2)
    client = client_with_mfa(StaffFactory.create())

    response = client.get(edit_url(community))

    assert [v.version for v in response.context["versions"]] == [2, 1]
    assert response.context["form"]["body"].value() == RULES_V2


def test_the_page_costs_the_same_for_many_versions(
    community: Community, django_assert_num_queries
) -> None:
    publisher = org_person(community.organization, StaffRole.ADMIN)  # type: ignore[arg-type]
    for n in range(30):
        actions.publish_guidelines(actor=publisher, community=community, body=f"Rule {n}")
    client = client_with_mfa(StaffFactory.create())

    # session, user, community (with organisation), versions (with publisher), the
    # header's unread notifications, unread moderation decisions, unread notices of
    # every kind, open moderation cases, and the site's funding notices (cached)
    with django_assert_num_queries(9):
        response = client.get(edit_url(community))

    assert len(response.context["versions"]) == 31


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("visitor", 302),
        ("member", 403),
        ("community_moderator", 403),
        ("organisation_moderator_without_second_factor_this_session", 403),
        ("moderator_of_another_organisation", 403),
        ("organisation_moderator", 200),
        ("organisation_administrator", 200),
        ("site_staff", 200),
    ],
)
def test_only_the_hosting_organisations_staff_and_site_staff_edit_guidelines(
    community: Community, who: str, status: int
) -> None:
    organization = community.organization
    assert organization is not None
    client = Client()
    if who == "member":
        member = UserFactory.create()
        actions.join_community(user=member, community=community)
        client.force_login(member)
    elif who == "community_moderator":
        moderator = UserFactory.create()
        log_in_with_mfa(client, moderator)
        actions.make_moderator(actor=None, community=community, user=moderator)
    elif who == "organisation_moderator_without_second_factor_this_session":
        client.force_login(org_person(organization, StaffRole.MODERATOR))
    elif who == "moderator_of_another_organisation":
        log_in_with_mfa(client, org_person(OrganizationFactory.create(), StaffRole.MODERATOR))
    elif who == "organisation_moderator":
        log_in_with_mfa(client, org_person(organization, StaffRole.MODERATOR))
    elif who == "organisation_administrator":
        log_in_with_mfa(client, org_person(organization, StaffRole.ADMIN))
    elif who == "site_staff":
        log_in_with_mfa(client, StaffFactory.create())

    assert client.get(edit_url(community)).status_code == status
    client.post(edit_url(community), {"body": RULES_V2})

    published = community.guidelines.filter(version=2).exists()
    assert published == (status == 200)


def test_outsiders_get_404_for_a_private_communitys_guidelines_page() -> None:
    private = CommunityFactory.create(private=True, organization=OrganizationFactory.create())

    assert client_with_mfa(UserFactory.create()).get(edit_url(private)).status_code == 404


def test_the_hosting_organisations_moderator_edits_a_private_community_they_are_not_in() -> None:
    private = CommunityFactory.create(private=True, organization=OrganizationFactory.create())
    moderator = org_person(private.organization, StaffRole.MODERATOR)  # type: ignore[arg-type]

    response = client_with_mfa(moderator).post(edit_url(private), {"body": RULES_V1})

    assert response.status_code == 302
    assert private.guidelines.count() == 1


def test_a_community_hosted_by_the_site_is_edited_by_site_staff_only() -> None:
    community = CommunityFactory.create()
    someones_moderator = org_person(OrganizationFactory.create(), StaffRole.ADMIN)

    assert client_with_mfa(someones_moderator).get(edit_url(community)).status_code == 403
    assert client_with_mfa(StaffFactory.create()).get(edit_url(community)).status_code == 200
