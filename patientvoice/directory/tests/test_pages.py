"""The condition pages: the list by category, and a condition's page, which lists only
the communities and discussions the reader may see."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.communities import actions
from patientvoice.communities.models import Community
from patientvoice.communities.tests.factories import (
    CommunityFactory,
    OrganizationFactory,
    ThreadFactory,
    UserFactory,
)
from patientvoice.core.testing.sessions import log_in
from patientvoice.core.testing.visibility import assert_can_see, assert_cannot_see
from patientvoice.directory.models import Condition

from .factories import ConditionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def condition() -> Condition:
    return ConditionFactory.create(name_sv="Pollenastma X", name_en="Pollen asthma X")


def tagged_community(condition: Condition, **traits) -> Community:
    community = CommunityFactory.create(**traits)
    actions.set_community_conditions(actor=None, community=community, conditions=[condition])
    return community


def test_the_list_groups_conditions_by_category_in_the_page_language():
    response = Client().get("/en/conditions/")

    groups = {group.label: group for group in response.context["groups"]}
    assert "Cancer" in groups
    assert "Breast cancer" in [c.name("en") for c in groups["Cancer"].conditions]
    assert "Bröstcancer" not in response.text
    assert (
        reverse("directory:condition_detail", args=["brostcancer"]).replace("/sv/", "/en/")
        in response.text
    )


def test_swedish_names_sort_with_a_ring_a_diaeresis_and_o_last():
    response = Client().get(reverse("directory:condition_list"))

    mental = next(g for g in response.context["groups"] if g.category == "mental_health")
    names = [c.name("sv") for c in mental.conditions]
    assert names[-2:] == ["Ångestsyndrom", "Ätstörning"]


def test_the_condition_page_lists_tagged_public_communities_and_threads(condition):
    community = tagged_community(condition)
    thread = ThreadFactory.create(community=community, conditions=[condition])

    response = Client().get(condition.get_absolute_url())

    assert response.status_code == 200
    assert "Pollenastma X" in response.text
    assert community.get_absolute_url() in response.text
    assert thread.title in response.text


def test_a_members_only_thread_tagged_with_a_condition_is_hidden_from_a_visitor(condition):
    member = UserFactory.create()
    community = tagged_community(condition, members_only=True, members=[member])
    thread = ThreadFactory.create(community=community, conditions=[condition], author=member)

    assert_cannot_see(None, thread)
    assert_cannot_see(UserFactory.create(), thread)
    assert_can_see(member, thread)


def test_a_private_community_tagged_with_a_condition_is_hidden_from_outsiders(condition):
    member = UserFactory.create()
    community = tagged_community(condition, private=True, members=[member])
    thread = ThreadFactory.create(community=community, conditions=[condition], author=member)

    assert_cannot_see(None, community)
    assert_cannot_see(UserFactory.create(), community)
    assert_cannot_see(UserFactory.create(), thread)
    assert_can_see(member, community)


def test_an_unknown_condition_page_is_not_found():
    assert Client().get("/sv/conditions/no-such-condition/").status_code == 404


def test_the_condition_list_has_a_fixed_query_count(django_assert_num_queries):
    ConditionFactory.create_batch(30)

    with django_assert_num_queries(
        2
    ):  # +1: the site's funding notices, read once the cache is cold (decisions/0038)
        response = Client().get(reverse("directory:condition_list"))

    assert sum(len(g.conditions) for g in response.context["groups"]) >= 110


def test_the_condition_page_has_a_fixed_query_count(condition, django_assert_num_queries):
    member = UserFactory.create()
    for n in range(30):
        community = tagged_community(
            condition, organization=OrganizationFactory.create(), members=[member] if n % 2 else []
        )
        ThreadFactory.create(community=community, conditions=[condition])
    client = Client()
    log_in(client, member)
    client.get(reverse("home"))

    # session, user; condition, communities with organisations, thread count,
    # threads with communities and authors; the medicines ranked for it (reviews)
    with django_assert_num_queries(2 + 4 + 1):
        response = client.get(condition.get_absolute_url())

    assert len(response.context["communities"]) == 30
    assert len(response.context["page"].object_list) == 25
