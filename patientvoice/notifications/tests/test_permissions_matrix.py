"""Role x action matrix for every notifications page and endpoint: visitor, member,
non-member (signed in, outside the members-only community) and site staff (powers
active). Expected statuses; 404 where the person must not learn the thing exists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from patientvoice.core.testing.sessions import log_in
from patientvoice.notifications.models import Notification
from patientvoice.notifications.tokens import unsubscribe_token

from .factories import PostFactory, StaffFactory

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "member", "non_member", "staff"]


@pytest.fixture
def world(anna, bo, outsider, thread, published) -> dict[str, Any]:
    with published():
        PostFactory.create(thread=thread, author=bo)
    staff = StaffFactory.create()
    return {
        "people": {"visitor": None, "member": anna, "non_member": outsider, "staff": staff},
        "thread": thread,
        "community": thread.community,
        "notification": Notification.objects.get(recipient=anna),
    }


def client_as(world: dict[str, Any], role: str) -> Client:
    client = Client()
    person = world["people"][role]
    if person is not None:
        log_in(client, person)
    return client


def follow(kind: str) -> Callable[[dict[str, Any]], tuple[str, str, dict[str, str]]]:
    def request(world: dict[str, Any]) -> tuple[str, str, dict[str, str]]:
        target = world[kind]
        data = {"kind": kind, "target": str(target.public_id), "follow": "1"}
        return "post", reverse("notifications:follow"), data

    return request


LOGIN = 302
# action -> (how to request it, expected status per role)
MATRIX: dict[
    str, tuple[Callable[[dict[str, Any]], tuple[str, str, dict[str, str]]], dict[str, int]]
] = {
    "centre": (
        lambda w: ("get", reverse("notifications:list"), {}),
        {"visitor": LOGIN, "member": 200, "non_member": 200, "staff": 200},
    ),
    "mark all read": (
        lambda w: ("post", reverse("notifications:mark_all_read"), {}),
        {"visitor": LOGIN, "member": 302, "non_member": 302, "staff": 302},
    ),
    "mark the member's notification read": (
        lambda w: (
            "post",
            reverse("notifications:mark_read", args=[w["notification"].public_id]),
            {},
        ),
        {"visitor": LOGIN, "member": 302, "non_member": 404, "staff": 404},
    ),
    "open the member's notification": (
        lambda w: ("get", reverse("notifications:open", args=[w["notification"].public_id]), {}),
        {"visitor": LOGIN, "member": 302, "non_member": 404, "staff": 404},
    ),
    "follow a members-only thread": (
        follow("thread"),
        {"visitor": LOGIN, "member": 302, "non_member": 404, "staff": 302},
    ),
    "follow a members-only community": (
        follow("community"),
        {"visitor": LOGIN, "member": 302, "non_member": 403, "staff": 302},
    ),
    "e-mail preferences": (
        lambda w: ("get", reverse("notifications:preferences"), {}),
        {"visitor": LOGIN, "member": 200, "non_member": 200, "staff": 200},
    ),
    "unsubscribe page (token of the member)": (
        lambda w: (
            "get",
            reverse("notifications:unsubscribe", args=[unsubscribe_token(w["people"]["member"])]),
            {},
        ),
        {"visitor": 200, "member": 200, "non_member": 200, "staff": 200},
    ),
}

API = "/api/v1/notifications"
API_MATRIX: dict[str, tuple[Callable[[dict[str, Any]], tuple[str, str]], dict[str, int]]] = {
    "list": (lambda w: ("get", API), {"visitor": 401, "member": 200, "non_member": 200}),
    "subscriptions": (
        lambda w: ("get", f"{API}/subscriptions"),
        {"visitor": 401, "member": 200, "non_member": 200},
    ),
    "unread count": (
        lambda w: ("get", f"{API}/unread-count"),
        {"visitor": 401, "member": 200, "non_member": 200},
    ),
    "mark the member's notification read": (
        lambda w: ("post", f"{API}/{w['notification'].public_id}/read"),
        {"visitor": 401, "member": 200, "non_member": 404, "staff": 404},
    ),
    "follow a members-only thread": (
        lambda w: ("put", f"{API}/subscriptions/threads/{w['thread'].public_id}"),
        {"visitor": 401, "member": 200, "non_member": 404, "staff": 200},
    ),
    "unfollow a members-only community": (
        lambda w: ("delete", f"{API}/subscriptions/communities/{w['community'].slug}"),
        {"visitor": 401, "member": 200, "non_member": 403, "staff": 200},
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", MATRIX)
def test_page_matrix(world, action, role):
    build, expected = MATRIX[action]
    method, url, data = build(world)

    response = getattr(client_as(world, role), method)(url, data)

    assert response.status_code == expected[role], (action, role)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", API_MATRIX)
def test_api_matrix(world, action, role):
    build, expected = API_MATRIX[action]
    method, url = build(world)
    client = client_as(world, role)

    response = getattr(client, method)(url)

    assert response.status_code == expected.get(role, 200), (action, role)
