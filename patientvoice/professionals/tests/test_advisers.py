"""Advisers (issue 6, item 7; decisions/0037): an organisation's administrators invite a
verified professional to advise communities it hosts; the professional accepts or
declines; administrators end it; all of it audited and shown on the professional's
pages and public card."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.core.models import AuditEntry
from patientvoice.organizations.models import StaffRole
from patientvoice.professionals import advisers
from patientvoice.professionals.errors import (
    AdviserNotAProfessional,
    AdviserRoleClosed,
    AlreadyAdviser,
    CommunityNotHosted,
)
from patientvoice.professionals.models import (
    AdviserRole,
    AdviserStatus,
    Credential,
    NoticeKind,
    ProfessionalNotice,
)
from patientvoice.professionals.permissions import NotAProfessional

from . import factories
from .question_factories import (
    adviser,
    client_for,
    expire,
    org_staff,
    organisation_with_admin,
    professional,
)

pytestmark = pytest.mark.django_db


def _en(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(f"professionals:{name}", args=args)


def _invite(client: Any, organization: Any, handle: str, *communities: Any) -> Any:
    return client.post(
        _en("organisation_advisers", organization.slug),
        {"handle": handle, "communities": [c.slug for c in communities]},
    )


# --- inviting -------------------------------------------------------------------------------


def test_an_administrator_invites_a_nurse_to_two_communities_and_the_nurse_is_told():
    organization, admin = organisation_with_admin()
    first = CommunityFactory.create(organization=organization, name="Diabetes Umeå")
    second = CommunityFactory.create(organization=organization, name="Diabetes Luleå")
    nurse = professional()

    response = _invite(client_for(admin, mfa=True), organization, nurse.handle, first, second)

    assert response.status_code == 302
    roles = AdviserRole.objects.filter(professional=nurse)
    assert {r.community for r in roles} == {first, second}
    assert all(r.status == AdviserStatus.INVITED for r in roles)
    notice = ProfessionalNotice.objects.get(recipient=nurse, kind=NoticeKind.ADVISER_INVITED)
    assert "Diabetes Luleå, Diabetes Umeå" in notice.text
    assert AuditEntry.objects.filter(action="professionals.adviser_invited").count() == 2


def test_inviting_someone_who_is_not_verified_comes_back_with_400_and_the_handle_kept():
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    member = UserFactory.create(handle="Vanlig_medlem")

    with translation.override("en"):
        response = _invite(client_for(admin, mfa=True), organization, member.handle, community)

    assert response.status_code == 400
    page = response.content.decode()
    assert "not a verified healthcare professional" in page
    assert "Vanlig_medlem" in page
    assert not AdviserRole.objects.exists()


def test_an_unknown_handle_and_no_community_are_refused_with_400():
    organization, admin = organisation_with_admin()
    CommunityFactory.create(organization=organization)

    with translation.override("en"):
        response = _invite(client_for(admin, mfa=True), organization, "Finns_inte")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Nobody has that handle." in page
    assert "Choose at least one" in page


def test_inviting_again_to_the_same_community_is_refused_with_409():
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    nurse = professional()
    adviser(organization, admin, community, nurse, accept=False)

    with translation.override("en"):
        response = _invite(client_for(admin, mfa=True), organization, nurse.handle, community)

    assert response.status_code == 409
    assert AdviserRole.objects.count() == 1


def test_the_action_refuses_communities_of_another_organisation_and_expired_professionals():
    organization, admin = organisation_with_admin()
    other = CommunityFactory.create(organization=organisation_with_admin()[0])
    mine = CommunityFactory.create(organization=organization)
    nurse = professional()

    with pytest.raises(CommunityNotHosted):
        advisers.invite_adviser(
            admin=admin, organization=organization, professional=nurse, communities=[other]
        )
    expire(nurse)
    with pytest.raises(AdviserNotAProfessional):
        advisers.invite_adviser(
            admin=admin, organization=organization, professional=nurse, communities=[mine]
        )


def test_a_private_community_of_the_organisation_can_be_chosen():
    organization, admin = organisation_with_admin()
    private = CommunityFactory.create(organization=organization, private=True)

    with translation.override("en"):
        page = client_for(admin, mfa=True).get(_en("organisation_advisers", organization.slug))

    assert private.name in page.content.decode()


# --- the administrators' page: role x action -----------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("visitor", 302),
        ("member", 403),
        ("professional", 403),
        ("organisation_moderator", 403),
        ("administrator_without_two_step_login", 403),
        ("administrator_of_another_organisation", 403),
        ("administrator", 200),
        ("site_staff", 200),
    ],
)
def test_who_may_open_the_organisations_adviser_page(who: str, expected: int):
    organization, admin = organisation_with_admin()
    CommunityFactory.create(organization=organization)
    people: dict[str, Callable[[], Any]] = {
        "visitor": lambda: None,
        "member": UserFactory.create,
        "professional": professional,
        "organisation_moderator": lambda: org_staff(organization),
        "administrator_without_two_step_login": lambda: admin,
        "administrator_of_another_organisation": lambda: organisation_with_admin()[1],
        "administrator": lambda: admin,
        "site_staff": factories.staff,
    }
    person = people[who]()
    mfa = who not in ("visitor", "member", "administrator_without_two_step_login")

    response = client_for(person, mfa=mfa).get(_en("organisation_advisers", organization.slug))

    assert response.status_code == expected


@pytest.mark.parametrize(
    ("who", "expected", "ended"),
    [
        ("member", 404, False),
        ("the_adviser", 404, False),
        ("organisation_moderator", 404, False),
        ("administrator_of_another_organisation", 404, False),
        ("administrator", 302, True),
        ("site_staff", 302, True),
    ],
)
def test_who_may_end_an_adviser_role(who: str, expected: int, ended: bool):
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    role = adviser(organization, admin, community)
    people = {
        "member": UserFactory.create,
        "the_adviser": lambda: role.professional,
        "organisation_moderator": lambda: org_staff(organization),
        "administrator_of_another_organisation": lambda: organisation_with_admin()[1],
        "administrator": lambda: admin,
        "site_staff": factories.staff,
    }
    person = people[who]()

    response = client_for(person, mfa=who != "member").post(
        _en("adviser_end", role.public_id), {"reason": "The project ended."}
    )

    assert response.status_code == expected
    role.refresh_from_db()
    assert (role.status == AdviserStatus.ENDED) is ended


def test_ending_is_audited_with_the_reason_and_cannot_happen_twice():
    organization, admin = organisation_with_admin()
    role = adviser(organization, admin, CommunityFactory.create(organization=organization))

    advisers.end_adviser_role(admin=admin, role=role, reason="The project ended.")

    entry = AuditEntry.objects.get(action="professionals.adviser_ended")
    assert entry.reason == "The project ended."
    assert entry.data["was"] == AdviserStatus.ACTIVE
    with pytest.raises(AdviserRoleClosed):
        advisers.end_adviser_role(admin=admin, role=role)


def test_an_ended_adviser_can_be_invited_again():
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    role = adviser(organization, admin, community)
    advisers.end_adviser_role(admin=admin, role=role)

    again = adviser(organization, admin, community, role.professional, accept=False)

    assert again.status == AdviserStatus.INVITED


# --- the professional's side ----------------------------------------------------------------


def test_the_professional_accepts_on_their_page():
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization, name="Hjärtsjuka Malmö")
    role = adviser(organization, admin, community, accept=False)
    client = client_for(role.professional, mfa=True)

    with translation.override("en"):
        listed = client.get(_en("adviser_roles")).content.decode()
    response = client.post(_en("adviser_accept", role.public_id))

    assert "invites you to be an adviser to Hjärtsjuka Malmö" in listed
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.status == AdviserStatus.ACTIVE
    assert AuditEntry.objects.filter(action="professionals.adviser_accepted").exists()


def test_the_professional_declines():
    organization, admin = organisation_with_admin()
    role = adviser(
        organization, admin, CommunityFactory.create(organization=organization), accept=False
    )

    response = client_for(role.professional).post(_en("adviser_decline", role.public_id))

    assert response.status_code == 302
    role.refresh_from_db()
    assert role.status == AdviserStatus.DECLINED
    assert AuditEntry.objects.filter(action="professionals.adviser_declined").exists()


def test_accepting_without_a_two_step_login_is_refused_with_403_and_the_reason():
    organization, admin = organisation_with_admin()
    role = adviser(
        organization, admin, CommunityFactory.create(organization=organization), accept=False
    )

    with translation.override("en"):
        response = client_for(role.professional).post(_en("adviser_accept", role.public_id))

    assert response.status_code == 403
    assert "two-step verification" in response.content.decode()
    role.refresh_from_db()
    assert role.status == AdviserStatus.INVITED


def test_someone_else_cannot_answer_an_invitation():
    organization, admin = organisation_with_admin()
    role = adviser(
        organization, admin, CommunityFactory.create(organization=organization), accept=False
    )
    other = professional()

    accepted = client_for(other, mfa=True).post(_en("adviser_accept", role.public_id))
    declined = client_for(other, mfa=True).post(_en("adviser_decline", role.public_id))

    assert (accepted.status_code, declined.status_code) == (404, 404)


def test_an_answered_invitation_cannot_be_answered_again_409():
    organization, admin = organisation_with_admin()
    role = adviser(organization, admin, CommunityFactory.create(organization=organization))

    response = client_for(role.professional, mfa=True).post(_en("adviser_decline", role.public_id))

    assert response.status_code == 409


def test_an_expired_professional_cannot_accept():
    organization, admin = organisation_with_admin()
    role = adviser(
        organization, admin, CommunityFactory.create(organization=organization), accept=False
    )
    expire(role.professional)
    nurse = User.objects.get(pk=role.professional_id)  # as the next request loads them

    with pytest.raises(NotAProfessional):
        advisers.accept_adviser_role(professional=nurse, role=role)


def test_the_status_page_lists_adviser_roles_and_invitations():
    organization, admin = organisation_with_admin(name="Hjärtföreningen")
    active = adviser(
        organization, admin, CommunityFactory.create(organization=organization, name="Hjärta A")
    )
    adviser(
        organization,
        admin,
        CommunityFactory.create(organization=organization, name="Hjärta B"),
        active.professional,
        accept=False,
    )

    with translation.override("en"):
        page = client_for(active.professional).get(_en("status")).content.decode()

    assert "Adviser to Hjärta A" in page
    assert "Hjärtföreningen invites you to be an adviser to Hjärta B" in page


# --- the public card ------------------------------------------------------------------------


def test_the_card_says_adviser_to_a_public_community_to_everyone():
    organization, admin = organisation_with_admin()
    role = adviser(
        organization, admin, CommunityFactory.create(organization=organization, name="Astma Väst")
    )
    credential = Credential.objects.get(user=role.professional)

    with translation.override("en"):
        page = client_for(None).get(_en("card", credential.public_id)).content.decode()

    assert "Adviser to Astma Väst" in page


def test_the_card_does_not_name_a_private_community_to_outsiders():
    organization, admin = organisation_with_admin()
    private = CommunityFactory.create(organization=organization, private=True, name="Hemlig grupp")
    role = adviser(organization, admin, private)
    credential = Credential.objects.get(user=role.professional)
    url = _en("card", credential.public_id)

    outsider = client_for(UserFactory.create()).get(url).content.decode()
    insider = client_for(admin, mfa=True).get(url).content.decode()

    assert "Hemlig grupp" not in outsider
    assert "Hemlig grupp" in insider


def test_an_invitation_not_accepted_and_an_ended_role_are_not_on_the_card():
    organization, admin = organisation_with_admin()
    invited = adviser(
        organization,
        admin,
        CommunityFactory.create(organization=organization, name="Inbjuden"),
        accept=False,
    )
    ended = adviser(
        organization,
        admin,
        CommunityFactory.create(organization=organization, name="Avslutad"),
        invited.professional,
    )
    advisers.end_adviser_role(admin=admin, role=ended)
    credential = Credential.objects.get(user=invited.professional)

    page = client_for(None).get(_en("card", credential.public_id)).content.decode()

    assert "Inbjuden" not in page
    assert "Avslutad" not in page


def test_already_adviser_everywhere_chosen_raises_the_typed_error():
    organization, admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    role = adviser(organization, admin, community)

    with pytest.raises(AlreadyAdviser):
        advisers.invite_adviser(
            admin=admin,
            organization=organization,
            professional=role.professional,
            communities=[community],
        )


def test_an_organisation_moderator_cannot_invite_through_the_action():
    organization, _admin = organisation_with_admin()
    community = CommunityFactory.create(organization=organization)
    moderator = org_staff(organization, StaffRole.MODERATOR)

    with pytest.raises(PermissionDenied) as refused, translation.override("en"):
        advisers.invite_adviser(
            admin=moderator,
            organization=organization,
            professional=professional(),
            communities=[community],
        )

    assert "administrators" in str(refused.value)
