"""The member list: for members only, and each profile's audience respected."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.accounts.models import Audience
from patientvoice.communities import actions
from patientvoice.communities.membership_views import MEMBERS_PER_PAGE
from patientvoice.core.testing.sessions import log_in_with_mfa

from .conftest import logged_in
from .factories import CommunityFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def members_url(community) -> str:
    return reverse("communities:members", args=[community.slug])


def test_member_list_is_404_for_non_members_and_visitors(member, outsider):
    community = CommunityFactory.create(members=[member])

    assert logged_in(outsider).get(members_url(community)).status_code == 404
    assert Client().get(members_url(community)).status_code == 302  # to the login page


def test_member_list_of_a_private_community_is_404_for_outsiders(member, outsider):
    community = CommunityFactory.create(private=True, members=[member])

    assert logged_in(outsider).get(members_url(community)).status_code == 404


def test_member_list_hides_profiles_set_to_only_me(member):
    hidden = UserFactory.create(profile_audience=Audience.NOBODY)
    shown = UserFactory.create(profile_audience=Audience.MEMBERS)
    community = CommunityFactory.create(members=[member, hidden, shown])

    response = logged_in(member).get(members_url(community))

    assert response.status_code == 200
    assert shown.handle in response.text
    assert hidden.handle not in response.text


def test_acting_staff_see_profiles_set_to_only_me(member):
    hidden = UserFactory.create(profile_audience=Audience.NOBODY)
    community = CommunityFactory.create(members=[member, hidden])

    response = logged_in(StaffFactory.create()).get(members_url(community))

    assert response.status_code == 200
    assert hidden.handle in response.text


def test_member_list_marks_moderators(member):
    moderator = UserFactory.create()
    community = CommunityFactory.create(members=[member])
    log_in_with_mfa(Client(), moderator)  # gives them the second factor moderators need
    actions.make_moderator(actor=None, community=community, user=moderator)

    response = logged_in(member).get(members_url(community))

    moderators = [m.user.handle for m in response.context["page"] if m.role == "moderator"]
    assert moderators == [moderator.handle]
    assert 'class="badge"' in response.text


def test_member_list_with_sixty_members_has_a_fixed_query_count(member, django_assert_num_queries):
    community = CommunityFactory.create(members=[member, *UserFactory.create_batch(59)])
    client = logged_in(member)
    client.get(reverse("home"))

    # session, user; community, membership, count, page of members
    with django_assert_num_queries(2 + 4):
        response = client.get(members_url(community))

    assert len(response.context["page"].object_list) == MEMBERS_PER_PAGE
    assert response.context["page"].paginator.count == 60
