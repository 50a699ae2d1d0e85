"""Asking to join a private community, and its moderators deciding."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import (
    Community,
    JoinRequest,
    JoinRequestStatus,
    Membership,
)
from patientvoice.communities.permissions import can_moderate_community
from patientvoice.core.models import AuditEntry
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.organizations import actions as org_actions
from patientvoice.organizations.models import StaffRole

from .conftest import logged_in
from .factories import CommunityFactory, OrganizationFactory, ThreadFactory, UserFactory

pytestmark = pytest.mark.django_db

QUESTIONS = "Which diagnosis brings you here, and who told you about us?"


@pytest.fixture
def moderator() -> User:
    return UserFactory.create()


@pytest.fixture
def private(moderator) -> Community:
    community = CommunityFactory.create(private=True, join_questions=QUESTIONS)
    log_in_with_mfa(Client(), moderator)  # gives the moderator a second factor
    actions.make_moderator(actor=None, community=community, user=moderator)
    return community


def moderator_client(user: User) -> Client:
    client = Client()
    log_in_with_mfa(client, user)
    return client


def ask_url(community: Community) -> str:
    return reverse("communities:ask", args=[community.slug])


def requests_url(community: Community) -> str:
    return reverse("communities:join_requests", args=[community.slug])


def test_person_asks_and_is_a_member_once_a_moderator_approves(private, moderator, outsider):
    response = logged_in(outsider).post(ask_url(private), {"answer": "Asthma; my nurse."})
    assert response.status_code == 302
    join_request = JoinRequest.objects.get(community=private, user=outsider)
    assert join_request.status == JoinRequestStatus.PENDING
    assert not Membership.objects.filter(community=private, user=outsider).exists()

    page = moderator_client(moderator).get(requests_url(private))
    assert outsider.handle in page.text
    assert "Asthma; my nurse." in page.text
    response = moderator_client(moderator).post(
        requests_url(private), {"request": join_request.pk, "decision": "approve"}
    )

    assert response.status_code == 302
    assert Membership.objects.filter(community=private, user=outsider).exists()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.APPROVED
    assert join_request.decided_by == moderator
    assert AuditEntry.objects.filter(action="communities.join_request_approved").exists()
    assert logged_in(outsider).get(private.get_absolute_url()).status_code == 200


def test_declined_request_leaves_the_person_outside(private, moderator, outsider):
    join_request = actions.request_to_join(user=outsider, community=private, answer="Hi")

    moderator_client(moderator).post(
        requests_url(private), {"request": join_request.pk, "decision": "decline"}
    )

    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.DECLINED
    assert not Membership.objects.filter(community=private, user=outsider).exists()
    assert AuditEntry.objects.filter(action="communities.join_request_declined").exists()
    assert logged_in(outsider).get(private.get_absolute_url()).status_code == 404


def test_asking_twice_keeps_one_pending_request(private, outsider):
    actions.request_to_join(user=outsider, community=private, answer="First")
    actions.request_to_join(user=outsider, community=private, answer="Second")

    assert list(JoinRequest.objects.values_list("answer", flat=True)) == ["Second"]


def test_outsider_gets_404_on_ask_page_when_the_community_takes_no_requests(outsider):
    community = CommunityFactory.create(private=True, accepts_requests=False)

    response = logged_in(outsider).get(ask_url(community))

    assert response.status_code == 404


def test_ask_page_shows_the_name_and_questions_but_not_threads_or_description(private, outsider):
    thread = ThreadFactory.create(community=private)

    response = logged_in(outsider).get(ask_url(private))

    assert response.status_code == 200
    assert private.name in response.text
    assert QUESTIONS in response.text
    assert private.description not in response.text
    assert thread.title not in response.text
    assert private.get_absolute_url() not in response.text.replace(ask_url(private), "")


def test_private_community_page_stays_404_for_outsiders_who_may_ask(private, outsider):
    assert logged_in(outsider).get(private.get_absolute_url()).status_code == 404


def test_non_moderator_gets_404_on_the_requests_page(private, outsider):
    member = UserFactory.create()
    actions.join_community(user=member, community=private)

    assert logged_in(member).get(requests_url(private)).status_code == 404
    assert logged_in(outsider).get(requests_url(private)).status_code == 404


def test_non_moderator_cannot_approve_a_request(private, outsider):
    member = UserFactory.create()
    actions.join_community(user=member, community=private)
    join_request = actions.request_to_join(user=outsider, community=private, answer="Hi")

    response = logged_in(member).post(
        requests_url(private), {"request": join_request.pk, "decision": "approve"}
    )

    assert response.status_code == 404
    assert not Membership.objects.filter(community=private, user=outsider).exists()


def test_moderator_without_a_second_factor_in_session_cannot_moderate(private, moderator):
    assert logged_in(moderator).get(requests_url(private)).status_code == 404


def test_hosting_organisations_staff_may_moderate_and_others_may_not():
    organization = OrganizationFactory.create()
    community = CommunityFactory.create(private=True, organization=organization)
    staff_member, stranger = UserFactory.create(), UserFactory.create()
    log_in_with_mfa(Client(), staff_member)
    org_actions.add_staff(
        actor=None, organization=organization, user=staff_member, role=StaffRole.MODERATOR
    )

    assert can_moderate_community(staff_member, community)
    assert not can_moderate_community(stranger, community)


def test_moderator_sees_the_pending_count_on_the_community_page(private, moderator, outsider):
    actions.request_to_join(user=outsider, community=private, answer="Hi")

    response = moderator_client(moderator).get(private.get_absolute_url())

    assert response.context["pending_requests"] == 1
    assert requests_url(private) in response.text


def test_members_only_join_button_leads_to_the_questions_and_joins_at_once(outsider):
    community = CommunityFactory.create(members_only=True, join_questions=QUESTIONS)
    client = logged_in(outsider)
    assert ask_url(community) in client.get(community.get_absolute_url()).text

    response = client.post(ask_url(community), {"answer": ""})

    assert response.status_code == 302
    assert Membership.objects.filter(community=community, user=outsider).exists()
    assert not JoinRequest.objects.exists()
