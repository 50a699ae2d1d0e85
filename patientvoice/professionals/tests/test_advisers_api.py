"""Advisers in the API (decisions/0037): the same rules as the pages, through the same
actions: administrators list, invite and end; the professional accepts or declines."""

from __future__ import annotations

from typing import Any

import pytest

from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.professionals.models import AdviserRole, AdviserStatus

from .question_factories import (
    adviser,
    client_for,
    expire,
    org_staff,
    organisation_with_admin,
    professional,
)

pytestmark = pytest.mark.django_db


def _advisers_url(organization: Any) -> str:
    return f"/api/v1/organisations/{organization.slug}/advisers"


def _own_url(role: AdviserRole | None = None, verb: str = "") -> str:
    base = "/api/v1/professionals/me/adviser-roles"
    return f"{base}/{role.public_id}/{verb}" if role is not None else base


def test_an_administrator_invites_a_nurse_and_the_nurse_accepts_through_the_api() -> None:
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization, name="Diabetes Umeå")
    nurse = professional()

    made = client_for(admin, mfa=True).post(
        _advisers_url(organization),
        {"handle": nurse.handle, "communities": [community.slug]},
        content_type="application/json",
    )

    assert made.status_code == 201
    assert made.json()[0]["status"] == "invited"
    own = client_for(nurse, mfa=True).get(_own_url()).json()
    assert [r["community_name"] for r in own] == ["Diabetes Umeå"]
    role = AdviserRole.objects.get(professional=nurse)
    accepted = client_for(nurse, mfa=True).post(_own_url(role, "accept"))
    assert accepted.status_code == 200
    assert accepted.json()["status"] == AdviserStatus.ACTIVE
    listed = client_for(admin, mfa=True).get(_advisers_url(organization)).json()
    assert [(r["professional"], r["status"]) for r in listed["items"]] == [(nurse.handle, "active")]


def test_an_unknown_handle_or_a_community_not_hosted_is_refused_naming_the_field() -> None:
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    elsewhere = CommunityFactory.create()
    client = client_for(admin, mfa=True)

    unknown = client.post(
        _advisers_url(organization),
        {"handle": "nobody-here", "communities": [community.slug]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    foreign = client.post(
        _advisers_url(organization),
        {"handle": professional().handle, "communities": [elsewhere.slug]},
        content_type="application/json",
    )

    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"][0]["loc"] == ["body", "handle"]
    assert unknown.json()["error"]["message"] == "Ingen har det aliaset."
    assert foreign.status_code == 422
    assert foreign.json()["error"]["details"][0]["loc"] == ["body", "communities"]
    assert AdviserRole.objects.count() == 0


def test_a_member_who_is_not_a_professional_cannot_be_invited() -> None:
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)

    refused = client_for(admin, mfa=True).post(
        _advisers_url(organization),
        {"handle": UserFactory.create().handle, "communities": [community.slug]},
        content_type="application/json",
    )

    assert refused.status_code in (403, 422)
    assert AdviserRole.objects.count() == 0


def test_a_moderator_of_the_organisation_may_not_list_or_invite_advisers() -> None:
    organization, _ = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    moderator = org_staff(organization)

    listed = client_for(moderator, mfa=True).get(_advisers_url(organization))
    invited = client_for(moderator, mfa=True).post(
        _advisers_url(organization),
        {"handle": professional().handle, "communities": [community.slug]},
        content_type="application/json",
    )

    assert listed.status_code == 403
    assert invited.status_code == 403


def test_ending_a_role_is_404_for_anyone_but_the_organisations_administrators() -> None:
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    role = adviser(organization, admin, community)
    outsider_admin = organisation_with_admin()[1]

    hidden = client_for(outsider_admin, mfa=True).post(
        f"/api/v1/advisers/{role.public_id}/end", {}, content_type="application/json"
    )
    ended = client_for(admin, mfa=True).post(
        f"/api/v1/advisers/{role.public_id}/end",
        {"reason": "The project ended"},
        content_type="application/json",
    )

    assert hidden.status_code == 404
    assert ended.status_code == 200
    assert ended.json()["status"] == AdviserStatus.ENDED


def test_an_expired_professional_cannot_accept_and_is_told_why() -> None:
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    nurse = professional()
    client_for(admin, mfa=True).post(
        _advisers_url(organization),
        {"handle": nurse.handle, "communities": [community.slug]},
        content_type="application/json",
    )
    role = AdviserRole.objects.get(professional=nurse)
    expire(nurse)

    refused = client_for(nurse, mfa=True).post(_own_url(role, "accept"))

    assert refused.status_code == 403
    assert refused.json()["error"]["message"]
    role.refresh_from_db()
    assert role.status == AdviserStatus.INVITED


def test_someone_elses_invitation_is_404() -> None:
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    role = adviser(organization, admin, community, accept=False)

    response = client_for(professional(), mfa=True).post(_own_url(role, "decline"))

    assert response.status_code == 404


def test_the_advisers_list_costs_the_same_queries_for_many_roles(
    django_assert_max_num_queries: Any,
) -> None:
    organization, admin = organisation_with_admin()
    for _ in range(12):
        adviser(organization, admin, CommunityFactory.create(organization=organization))
    client = client_for(admin, mfa=True)

    with django_assert_max_num_queries(14):
        response = client.get(_advisers_url(organization))

    assert response.json()["count"] == 12
