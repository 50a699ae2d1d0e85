"""Every API error has one shape, bad input is never a 500, and the schema is published."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.testing.sessions import log_in_with_password

from .conftest import assert_error

pytestmark = pytest.mark.django_db

Bearer = Callable[..., dict[str, Any]]


@pytest.fixture
def writer(client: Client, member: User, bearer: Bearer) -> dict[str, Any]:
    return bearer(member, scope="read_write")


def test_malformed_json_is_a_client_error_in_the_error_shape(
    client: Client, writer: dict[str, Any]
) -> None:
    response = client.patch(
        "/api/v1/me", data='{"bio": "unterminated', content_type="application/json", **writer
    )

    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(
    ("path", "method", "payload", "field"),
    [
        ("/api/v1/me", "patch", {"bio": 5}, "bio"),
        ("/api/v1/me", "patch", {"bio": "x" * 501}, "bio"),
        ("/api/v1/me", "patch", {"presence": "alien"}, "presence"),
        ("/api/v1/me", "patch", {"preferred_language": "de"}, "preferred_language"),
        ("/api/v1/me", "patch", {"profile_audience": "all"}, "profile_audience"),
        ("/api/v1/me/consents", "put", {"granted": "health_data"}, "granted"),
        ("/api/v1/me/consents", "put", {"granted": [None]}, "granted"),
    ],
)
def test_invalid_field_values_answer_422_naming_the_field(
    client: Client,
    writer: dict[str, Any],
    member: User,
    path: str,
    method: str,
    payload: dict[str, Any],
    field: str,
) -> None:
    send = getattr(client, method)

    response = send(path, data=json.dumps(payload), content_type="application/json", **writer)

    body = assert_error(response, 422, "invalid")
    assert any(field in detail["loc"] for detail in body["error"]["details"])
    member.refresh_from_db()
    assert (member.bio, member.presence) == ("", "other")


@pytest.mark.parametrize(
    ("path", "method", "payload"),
    [
        ("/api/v1/me", "patch", {"bio": "a\u0000b"}),
        ("/api/v1/me/consents", "put", {"granted": ["health_data", "email_digest\u0000"]}),
    ],
)
def test_text_with_a_nul_character_answers_422_not_500(
    client: Client, writer: dict[str, Any], path: str, method: str, payload: dict[str, Any]
) -> None:
    send = getattr(client, method)

    response = send(path, data=json.dumps(payload), content_type="application/json", **writer)

    assert_error(response, 422, "invalid")


def test_token_name_with_a_nul_character_answers_422(client: Client, member: User) -> None:
    client.force_login(member)

    response = client.post(
        "/api/v1/me/tokens", data=json.dumps({"name": "a\u0000b"}), content_type="application/json"
    )

    assert_error(response, 422, "invalid")


def test_unknown_consent_purpose_answers_422(client: Client, writer: dict[str, Any]) -> None:
    response = client.put(
        "/api/v1/me/consents",
        data=json.dumps({"granted": ["health_data", "selling_my_data"]}),
        content_type="application/json",
        **writer,
    )

    body = assert_error(response, 422, "invalid")
    assert body["error"]["details"] == ["selling_my_data"]


def test_required_consent_cannot_be_withdrawn_through_the_api(
    client: Client, writer: dict[str, Any], member: User
) -> None:
    response = client.put(
        "/api/v1/me/consents",
        data=json.dumps({"granted": ["email_digest"]}),
        content_type="application/json",
        **writer,
    )

    assert_error(response, 422, "invalid")


def test_optional_consent_can_be_given_through_the_api(
    client: Client, writer: dict[str, Any]
) -> None:
    response = client.put(
        "/api/v1/me/consents",
        data=json.dumps({"granted": ["health_data", "email_digest"]}),
        content_type="application/json",
        **writer,
    )

    granted = {c["purpose"]: c["granted"] for c in response.json()}
    assert response.status_code == 200
    assert granted == {"health_data": True, "email_digest": True, "research_contact": False}


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/communities?limit=abc", "limit"),
        ("/api/v1/communities?limit=0", "limit"),
        ("/api/v1/communities?limit=100000", "limit"),
        ("/api/v1/communities?offset=-1", "offset"),
        ("/api/v1/communities/x/threads/not-a-uuid/posts", "thread_id"),
        ("/api/v1/communities/a%00b/threads", "slug"),
        ("/api/v1/communities/a%00b/threads/00000000-0000-0000-0000-000000000000/posts", "slug"),
    ],
)
def test_invalid_query_or_path_values_answer_422(client: Client, path: str, field: str) -> None:
    body = assert_error(client.get(path), 422, "invalid")

    assert any(field in detail["loc"] for detail in body["error"]["details"])


def test_token_lifetime_out_of_range_answers_422(client: Client, member: User) -> None:
    client.force_login(member)

    response = client.post(
        "/api/v1/me/tokens",
        data=json.dumps({"name": "x", "lifetime_days": 0}),
        content_type="application/json",
    )

    assert_error(response, 422, "invalid")


def test_unknown_token_scope_answers_422(client: Client, member: User) -> None:
    log_in_with_password(client, member)

    response = client.post(
        "/api/v1/me/tokens",
        data=json.dumps({"name": "x", "scope": "admin"}),
        content_type="application/json",
    )

    assert_error(response, 422, "invalid")


def test_unknown_endpoint_answers_json_404(client: Client) -> None:
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")


def test_unknown_api_version_answers_json_404(client: Client) -> None:
    assert_error(client.get("/api/v2/me"), 404, "not_found")


def test_wrong_method_answers_json_405(client: Client) -> None:
    response = client.delete("/api/v1/communities")

    assert_error(response, 405, "method_not_allowed")


@pytest.mark.parametrize("handle", ["nobody_here", "a%00b"])
def test_unknown_profile_answers_json_404(client: Client, handle: str) -> None:
    assert_error(client.get(f"/api/v1/profiles/{handle}"), 404, "not_found")


def test_openapi_schema_is_valid_json_and_lists_every_endpoint(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")

    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "PatientVoice API"
    assert {
        "/api/v1/me": {"get", "patch"},
        "/api/v1/me/consents": {"get", "put"},
        "/api/v1/me/export": {"get"},
        "/api/v1/me/tokens": {"get", "post"},
        "/api/v1/me/tokens/{public_id}": {"delete"},
        "/api/v1/profiles/{handle}": {"get"},
        "/api/v1/communities": {"get"},
        "/api/v1/communities/{slug}/threads": {"get", "post"},
        "/api/v1/communities/{slug}/threads/{thread_id}/posts": {"get", "post"},
    }.items() <= {path: set(ops) for path, ops in schema["paths"].items()}.items()


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(value) for value in node))
    return set()


def test_openapi_schema_references_resolve(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()

    refs = _refs(schema)

    assert "#/components/schemas/ErrorOut" in refs
    for ref in refs:
        node: Any = schema
        for key in ref.removeprefix("#/").split("/"):
            node = node[key]
        assert isinstance(node, dict)


def test_rate_limit_answers_429_in_the_error_shape(client: Client, tiny_rate_limit: int) -> None:
    for _ in range(tiny_rate_limit):
        assert client.get("/api/v1/communities").status_code == 200

    response = client.get("/api/v1/communities")

    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0


def test_rate_limit_counts_visitors_per_address(client: Client, tiny_rate_limit: int) -> None:
    for _ in range(tiny_rate_limit):
        client.get("/api/v1/communities", REMOTE_ADDR="192.0.2.1")

    response = client.get("/api/v1/communities", REMOTE_ADDR="192.0.2.2")

    assert response.status_code == 200


def test_rate_limit_counts_signed_in_people_per_account(
    client: Client, member: User, bearer: Bearer, tiny_rate_limit: int
) -> None:
    mine, theirs = bearer(member), bearer(UserFactory.create())
    for _ in range(tiny_rate_limit):
        client.get("/api/v1/me", **mine)

    assert_error(client.get("/api/v1/me", **mine), 429, "rate_limited")
    assert client.get("/api/v1/me", **theirs).status_code == 200


@pytest.mark.parametrize(
    "query", ["offset=9223372036854775808", "offset=-1", "limit=0", "limit=1000"]
)
def test_out_of_range_paging_answers_422_not_500(client: Client, query: str) -> None:
    response = client.get(f"/api/v1/communities?{query}")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_head_on_an_api_list_answers_like_get_without_a_body(client: Client) -> None:
    response = client.head("/api/v1/communities")

    assert response.status_code == 200
    assert response.content == b""


def test_a_refused_token_on_a_public_list_answers_401_not_a_visitors_view(client: Client) -> None:
    response = client.get("/api/v1/communities", HTTP_AUTHORIZATION="Bearer pv_not-a-token")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_patching_me_with_a_json_array_answers_422(client: Client, member: User) -> None:
    client.force_login(member)

    response = client.patch("/api/v1/me", "[1, 2]", content_type="application/json")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
