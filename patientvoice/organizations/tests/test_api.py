"""/api/v1/organisations: public list and detail; the staff list for the people who
manage the organisation's staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.api import actions as api_actions
from patientvoice.api.tests.conftest import assert_error
from patientvoice.communities.tests.factories import CommunityFactory
from patientvoice.core.testing.sessions import log_in_with_mfa
from patientvoice.organizations import actions
from patientvoice.organizations.models import Organization, OrganizationKind, StaffRole

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db
ROWS = 30


def with_role(organization: Organization, role: str) -> User:
    person = UserFactory.create()
    log_in_with_mfa(Client(), person)
    actions.add_staff(actor=None, organization=organization, user=person, role=role)
    return person


def bearer(user: User) -> dict[str, Any]:
    _, raw = api_actions.create_token(user=user, name="t", scope="read", lifetime_days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_anyone_lists_organisations_with_their_verification_and_kind() -> None:
    OrganizationFactory.create(name="B Sponsor", kind=OrganizationKind.SPONSOR)
    OrganizationFactory.create(name="A Förening", verified=True)

    body = Client().get("/api/v1/organisations").json()

    assert body["count"] == 2
    first = body["items"][0]
    assert (first["name"], first["kind"], first["verified"]) == ("A Förening", "advocacy", True)
    assert first["verified_at"]
    assert first["logo"] is None
    assert "verified_by" not in first


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("?kind=sponsor", ["B Sponsor"]),
        ("?verified=true", ["A Förening"]),
        ("?verified=false", ["B Sponsor"]),
        ("?kind=provider", []),
    ],
)
def test_the_list_filters_by_kind_and_verification(query: str, names: list[str]) -> None:
    OrganizationFactory.create(name="B Sponsor", kind=OrganizationKind.SPONSOR)
    OrganizationFactory.create(name="A Förening", verified=True)

    items = Client().get(f"/api/v1/organisations{query}").json()["items"]

    assert [item["name"] for item in items] == names


def test_an_unknown_kind_is_422_in_the_error_shape() -> None:
    assert_error(Client().get("/api/v1/organisations?kind=pharma"), 422, "invalid")


def test_the_list_pages_and_refuses_a_limit_out_of_bounds() -> None:
    OrganizationFactory.create_batch(3)

    page = Client().get("/api/v1/organisations?limit=2&offset=2").json()

    assert page["count"] == 3
    assert len(page["items"]) == 1
    assert_error(Client().get("/api/v1/organisations?limit=1000"), 422, "invalid")


def test_the_list_has_a_fixed_query_count(django_assert_num_queries: Any) -> None:
    for n in range(ROWS):
        OrganizationFactory.create(verified=bool(n % 2))

    with django_assert_num_queries(2):  # count, page
        response = Client().get("/api/v1/organisations?limit=100")

    assert len(response.json()["items"]) == ROWS


def test_the_detail_lists_hosted_communities_through_the_visibility_rule() -> None:
    organization = OrganizationFactory.create(slug="ledstod")
    member = UserFactory.create()
    CommunityFactory.create(slug="open", organization=organization)
    CommunityFactory.create(slug="members", members_only=True, organization=organization)
    CommunityFactory.create(
        slug="circle", private=True, organization=organization, members=[member]
    )
    member_client = Client()
    member_client.force_login(member)

    as_visitor = Client().get("/api/v1/organisations/ledstod").json()
    as_member = member_client.get("/api/v1/organisations/ledstod").json()

    assert {c["slug"] for c in as_visitor["communities"]} == {"members", "open"}
    assert "circle" in {c["slug"] for c in as_member["communities"]}


def test_the_detail_has_a_fixed_query_count(django_assert_num_queries: Any) -> None:
    organization = OrganizationFactory.create(slug="ledstod")
    for _ in range(ROWS):
        CommunityFactory.create(organization=organization)

    with django_assert_num_queries(2):  # organisation, communities
        response = Client().get("/api/v1/organisations/ledstod")

    assert len(response.json()["communities"]) == ROWS


def test_an_unknown_organisation_is_404_in_the_error_shape() -> None:
    assert_error(Client().get("/api/v1/organisations/nobody"), 404, "not_found")
    assert_error(Client().get("/api/v1/organisations/bad%00slug"), 422, "invalid")


def test_a_logo_is_given_with_its_address_and_size(settings: Any, tmp_path: Any) -> None:
    import io

    from PIL import Image

    from patientvoice.core.images import LOGO, process_image

    settings.MEDIA_ROOT = tmp_path
    organization = OrganizationFactory.create(slug="ledstod")
    out = io.BytesIO()
    Image.new("RGB", (40, 20)).save(out, format="PNG")
    actions.set_organization_logo(
        actor=None, organization=organization, image=process_image(out.getvalue(), spec=LOGO)
    )

    logo = Client().get("/api/v1/organisations/ledstod").json()["logo"]

    assert logo["url"].startswith("/media/logos/")
    assert (logo["width"], logo["height"]) == (40, 20)


def test_an_administrator_reads_the_staff_list(django_assert_num_queries: Any) -> None:
    organization = OrganizationFactory.create(slug="ledstod")
    admin = with_role(organization, StaffRole.ADMIN)
    for _ in range(ROWS):
        with_role(organization, StaffRole.MODERATOR)
    client = Client()
    log_in_with_mfa(client, admin)

    # session, user, organisation, is admin, has MFA, count, page with people
    with django_assert_num_queries(7):
        response = client.get("/api/v1/organisations/ledstod/staff?limit=100")

    body = response.json()
    assert body["count"] == ROWS + 1
    assert {item["role"] for item in body["items"]} == {"admin", "moderator"}
    assert admin.handle in {item["handle"] for item in body["items"]}
    assert not any("email" in item for item in body["items"])


def test_site_staff_read_any_staff_list() -> None:
    OrganizationFactory.create(slug="ledstod")
    client = Client()
    log_in_with_mfa(client, StaffFactory.create())

    assert client.get("/api/v1/organisations/ledstod/staff").status_code == 200


@pytest.mark.parametrize(
    "who", ["member", "moderator", "admin_without_second_factor_this_session", "admin_token"]
)
def test_everyone_else_is_refused_the_staff_list(who: str) -> None:
    organization = OrganizationFactory.create(slug="ledstod")
    client, headers = Client(), {}
    if who == "member":
        client.force_login(UserFactory.create())
    elif who == "moderator":
        log_in_with_mfa(client, with_role(organization, StaffRole.MODERATOR))
    elif who == "admin_without_second_factor_this_session":
        client.force_login(with_role(organization, StaffRole.ADMIN))
    elif who == "admin_token":
        headers = bearer(with_role(organization, StaffRole.ADMIN))

    assert_error(client.get("/api/v1/organisations/ledstod/staff", **headers), 403, "forbidden")


def test_visitors_must_authenticate_for_the_staff_list() -> None:
    OrganizationFactory.create(slug="ledstod")

    assert_error(Client().get("/api/v1/organisations/ledstod/staff"), 401, "unauthenticated")


def test_writes_are_not_allowed_on_organisations() -> None:
    OrganizationFactory.create(slug="ledstod")

    assert_error(Client().post("/api/v1/organisations/ledstod"), 405, "method_not_allowed")
