"""The reviews API: an entry's reviews (the visibility rule, a fixed number of
queries), one review, and writing, editing and withdrawing one's own, with every
refusal of the actions in the API's error shape; a role x action matrix."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from patientvoice.accounts.models import User
from patientvoice.core.models import ContentStatus
from patientvoice.core.testing.sessions import log_in
from patientvoice.moderation import actions as moderation_actions
from patientvoice.moderation.tests.factories import flagged, with_second_factor
from patientvoice.organizations import actions as organization_actions
from patientvoice.reviews import actions as review_actions
from patientvoice.reviews.errors import (
    ConflictDeclared,
    ConflictKnown,
    ReviewExists,
    ReviewingTooFast,
    ReviewNotEditable,
)
from patientvoice.reviews.models import Review
from patientvoice.reviews.tests.factories import (
    ConditionFactory,
    OrganizationFactory,
    UserFactory,
    acting_staff,
    clinic,
    medicine,
    new_member,
    physician,
    review,
    scores_for,
)

from .conftest import assert_error

pytestmark = pytest.mark.django_db

ROWS = 30  # enough that one query per row would show
Bearer = Callable[..., dict[str, Any]]


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        log_in(client, user)
    return client


def send(client: Client, method: str, url: str, data: Any = None, **headers: Any) -> Any:
    body = json.dumps(data) if data is not None else None
    return getattr(client, method)(url, body, content_type="application/json", **headers)


def form(entry: Any, **fields: Any) -> dict[str, Any]:
    return {"scores": scores_for(entry), "conflict": "none", **fields}


# --- lists and one review


def test_an_entrys_review_list_has_a_fixed_query_count(
    client: Client, django_assert_num_queries: Any
) -> None:
    drug = medicine()
    condition = ConditionFactory.create()
    for n in range(ROWS):
        review(drug, body=f"Erfarenhet {n}.", condition=condition)

    with django_assert_num_queries(3):  # the medicine, count, page (author, condition, entry)
        response = client.get(f"/api/v1/medicines/{drug.slug}/reviews?limit=100")

    body = response.json()
    assert body["count"] == ROWS
    assert {item["condition"] for item in body["items"]} == {condition.slug}
    assert all(item["entry"] == drug.slug for item in body["items"])
    # The review's permanent address, which leads to the page of its entry showing it.
    assert body["items"][0]["url"].endswith(f"/reviews/{body['items'][0]['public_id']}/")


@pytest.mark.usefixtures("db_sessions")
def test_a_signed_in_members_review_list_has_a_fixed_query_count(
    django_assert_num_queries: Any,
) -> None:
    place = clinic()
    for _ in range(ROWS):
        review(place)
    client = client_for(UserFactory.create())

    with django_assert_num_queries(5):  # session, user, the clinic, count, page
        response = client.get(f"/api/v1/clinics/{place.slug}/reviews?limit=100")

    assert response.json()["count"] == ROWS


def test_the_list_is_newest_first_unless_asked_for_oldest(client: Client) -> None:
    doctor = physician()
    first, second = review(doctor), review(doctor)

    newest = client.get(f"/api/v1/physicians/{doctor.slug}/reviews").json()["items"]
    oldest = client.get(f"/api/v1/physicians/{doctor.slug}/reviews?order=oldest").json()["items"]

    assert [r["public_id"] for r in newest] == [str(second.public_id), str(first.public_id)]
    assert [r["public_id"] for r in oldest] == [str(first.public_id), str(second.public_id)]


def test_a_held_review_is_listed_for_its_author_and_staff_only() -> None:
    place = clinic()
    author = new_member()
    held = review(place, author=author)
    assert held.status == ContentStatus.HELD
    url = f"/api/v1/clinics/{place.slug}/reviews"

    def listed(user: User | None) -> bool:
        items = client_for(user).get(url).json()["items"]
        return str(held.public_id) in {item["public_id"] for item in items}

    assert not listed(None)
    assert not listed(UserFactory.create())
    assert listed(author)
    assert listed(acting_staff())


def test_reviews_of_an_inactive_entry_answer_404(client: Client) -> None:
    place = clinic(is_active=False)

    assert_error(client.get(f"/api/v1/clinics/{place.slug}/reviews"), 404, "not_found")


# --- writing


def test_a_member_reviews_a_medicine_and_it_is_published(client: Client) -> None:
    member = UserFactory.create()
    drug = medicine()
    condition = ConditionFactory.create()
    client.force_login(member)

    response = send(
        client, "post", f"/api/v1/medicines/{drug.slug}/reviews",
        form(drug, body="Det hjälpte.", condition=condition.slug, still_taking=False,
             stop_reason="cost", side_effects=["headache"], would_recommend=True),
    )  # fmt: skip

    assert response.status_code == 201, response.content
    saved = Review.objects.get(public_id=response.json()["public_id"])
    assert response.json()["status"] == "published"
    assert (saved.author, saved.medicine, saved.condition) == (member, drug, condition)
    assert saved.stop_reason == "cost"


def test_a_new_accounts_review_is_held_and_says_why(client: Client) -> None:
    client.force_login(new_member())
    place = clinic()

    body = send(client, "post", f"/api/v1/clinics/{place.slug}/reviews", form(place)).json()

    assert body["status"] == "held"
    assert body["held_because"]


def test_a_visitor_cannot_review_and_a_read_only_token_cannot_either(
    client: Client, bearer: Bearer
) -> None:
    place = clinic()
    url = f"/api/v1/clinics/{place.slug}/reviews"
    member = UserFactory.create()

    assert_error(send(client, "post", url, form(place)), 401, "unauthenticated")
    response = send(client, "post", url, form(place), **bearer(member, scope="read"))
    assert_error(response, 403, "insufficient_scope")
    written = send(client, "post", url, form(place), **bearer(member, scope="read_write"))
    assert written.status_code == 201


REFUSALS = [
    # (what is sent, status, code, field in details)
    (lambda e: form(e, scores={"overall": 6}), 400, "invalid_scores", ["body", "scores"]),
    (lambda e: form(e, waiting_minutes=5000), 400, "invalid_review", ["body", "waiting_minutes"]),
    (lambda e: form(e, duration="1_6m"), 400, "invalid_review", ["body", "duration"]),
    (lambda e: form(e, conflict="maybe"), 400, "invalid_review", ["body", "conflict"]),
    (lambda e: form(e, conflict="paid_by"), 403, "conflict_declared", None),
]  # fmt: skip


@pytest.mark.parametrize(("payload", "status", "code", "loc"), REFUSALS)
def test_each_refusal_answers_its_status_code_and_field(
    client: Client, payload: Any, status: int, code: str, loc: list[str] | None
) -> None:
    client.force_login(UserFactory.create())
    doctor = physician()

    response = send(client, "post", f"/api/v1/physicians/{doctor.slug}/reviews", payload(doctor))

    body = assert_error(response, status, code)
    if loc is not None:
        assert body["error"]["details"][0]["loc"][: len(loc)] == loc
    assert not Review.objects.exists()


def test_a_second_review_of_the_same_entry_is_409_naming_the_first(client: Client) -> None:
    member = UserFactory.create()
    place = clinic()
    first = review(place, author=member)
    client.force_login(member)

    response = send(client, "post", f"/api/v1/clinics/{place.slug}/reviews", form(place))

    body = assert_error(response, 409, "review_exists")
    assert body["error"]["details"] == [{"review": str(first.public_id)}]
    assert body["error"]["message"] == str(ReviewExists())


def test_refusals_are_told_in_the_callers_language(client: Client) -> None:
    client.force_login(UserFactory.create())
    place = clinic()
    url = f"/api/v1/clinics/{place.slug}/reviews"

    english = send(client, "post", url, form(place, conflict="related"), HTTP_ACCEPT_LANGUAGE="en")
    swedish = send(client, "post", url, form(place, conflict="related"), HTTP_ACCEPT_LANGUAGE="sv")

    with translation.override("en"):
        assert english.json()["error"]["message"] == str(ConflictDeclared())
    with translation.override("sv"):
        assert swedish.json()["error"]["message"] == str(ConflictDeclared())


def test_the_makers_staff_get_conflict_known(client: Client) -> None:
    maker = OrganizationFactory.create()
    drug = medicine()
    drug.holder_organisations.add(maker)
    employee = with_second_factor(UserFactory.create())
    organization_actions.add_staff(actor=None, organization=maker, user=employee, role="moderator")
    client.force_login(employee)

    response = send(client, "post", f"/api/v1/medicines/{drug.slug}/reviews", form(drug))

    body = assert_error(response, 403, "conflict_known")
    assert body["error"]["message"] == str(ConflictKnown())


def test_past_the_daily_limit_a_review_is_429(client: Client, settings: Any) -> None:
    settings.PV_REVIEWS_PER_DAY = 1
    client.force_login(UserFactory.create())
    first, second = clinic(), clinic()
    send(client, "post", f"/api/v1/clinics/{first.slug}/reviews", form(first))

    response = send(client, "post", f"/api/v1/clinics/{second.slug}/reviews", form(second))

    body = assert_error(response, 429, "rate_limited")
    assert body["error"]["message"] == str(ReviewingTooFast())


def test_a_banned_member_gets_403(client: Client) -> None:
    member = UserFactory.create()
    moderation_actions.decide(
        moderator=acting_staff(), case=flagged(member), action="ban",
        reason_code="terms_conduct", explanation="Repeated abuse.", site_wide=True,
    )  # fmt: skip
    client.force_login(member)
    place = clinic()

    response = send(client, "post", f"/api/v1/clinics/{place.slug}/reviews", form(place))

    assert_error(response, 403, "forbidden")


def test_an_unknown_condition_is_422(client: Client) -> None:
    client.force_login(UserFactory.create())
    drug = medicine()

    response = send(
        client, "post", f"/api/v1/medicines/{drug.slug}/reviews", form(drug, condition="nope")
    )

    assert_error(response, 422, "invalid")


def test_the_author_edits_their_review_and_the_earlier_version_is_kept(client: Client) -> None:
    place = clinic()
    author = UserFactory.create()
    written = review(place, 2, body="Först.", author=author)
    client.force_login(author)

    response = send(
        client, "put", f"/api/v1/reviews/{written.public_id}", form(place, body="Sedan.")
    )

    assert response.status_code == 200, response.content
    written.refresh_from_db()
    assert written.body == "Sedan."
    assert written.revisions.get().body == "Först."


def test_a_review_hidden_by_a_moderator_cannot_be_edited(client: Client) -> None:
    place = clinic()
    author = UserFactory.create()
    written = review(place, author=author)
    review_actions.set_review_status(written, ContentStatus.HIDDEN)
    client.force_login(author)

    response = send(client, "put", f"/api/v1/reviews/{written.public_id}", form(place))

    body = assert_error(response, 403, "review_not_editable")
    assert body["error"]["message"] == str(ReviewNotEditable())


# --- who may do what


ROLES = ("visitor", "member", "author", "staff")
# action: expected status per role (visitor, member, author, staff)
MATRIX = {
    "list": (200, 200, 200, 200),
    "get published": (200, 200, 200, 200),
    "get held": (404, 404, 200, 200),
    "create": (401, 201, 409, 201),
    "edit": (401, 404, 200, 404),
    "withdraw": (401, 404, 204, 404),
}


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_role_action_matrix(role: str, action: str) -> None:
    place = clinic()
    author = UserFactory.create()
    published = review(place, author=author)
    held = review(clinic(), author=new_member())
    people: dict[str, User | None] = {
        "visitor": None,
        "member": UserFactory.create(),
        "author": author,
        "staff": acting_staff(),
    }
    client = client_for(people[role])
    one = f"/api/v1/reviews/{published.public_id}"
    requests = {
        "list": lambda: client.get(f"/api/v1/clinics/{place.slug}/reviews"),
        "get published": lambda: client.get(one),
        "get held": lambda: client.get(f"/api/v1/reviews/{held.public_id}"),
        "create": lambda: send(
            client, "post", f"/api/v1/clinics/{place.slug}/reviews", form(place)
        ),
        "edit": lambda: send(client, "put", one, form(place, body="Ändrad.")),
        "withdraw": lambda: client.delete(one),
    }
    if role == "author":
        # The author of the held review reads it; the published one is theirs to change.
        client_for_held = client_for(held.author)
        requests["get held"] = lambda: client_for_held.get(f"/api/v1/reviews/{held.public_id}")

    response = requests[action]()

    expected = MATRIX[action][ROLES.index(role)]
    assert response.status_code == expected, (role, action, response.content)
    if action == "list":
        assert str(published.public_id) in response.text
        assert str(held.public_id) not in response.text
    if action == "withdraw":
        assert Review.objects.filter(pk=published.pk).exists() is (expected != 204)
