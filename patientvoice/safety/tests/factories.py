"""People, content and signals for the safety tests, and the detector they use."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.communities.models import Community, Post
from patientvoice.communities.tests.factories import CommunityFactory, PostFactory, ThreadFactory
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.directory.models import Medicine
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.safety import actions
from patientvoice.safety.models import SafetyCase, SafetySignal
from patientvoice.safety.permissions import SAFETY_OFFICER_GROUP

__all__ = [
    "CommunityFactory",
    "StaffFactory",
    "UserFactory",
    "client_for",
    "officer",
    "post_saying",
    "signal",
    "signals_of",
]

HEADACHE_SV = "Jag har fått fruktansvärd huvudvärk av Sertralin sedan i måndags."
HEADACHE_EN = "I got terrible headaches from Sertralin, every single day."


@pytest.fixture(scope="session")
def _starter_detector_built() -> Any:
    from patientvoice.safety.detection import Detector

    return Detector.from_directory_csv()


@pytest.fixture
def starter_detector(_starter_detector_built: Any) -> Iterator[Any]:
    """The detector over the directory's starter medicines (those the test database
    holds), built once per process: ``pytestmark = pytest.mark.usefixtures(...)``."""
    from patientvoice.safety.detection import reset_default_detector

    reset_default_detector(_starter_detector_built)
    yield _starter_detector_built
    reset_default_detector(None)


def officer(**kwargs: Any) -> User:
    """A safety officer with a second factor."""
    person = with_second_factor(UserFactory.create(**kwargs))
    group, _ = Group.objects.get_or_create(name=SAFETY_OFFICER_GROUP)
    person.groups.add(group)
    return person


def client_for(user: User | None, *, mfa: bool = True) -> Client:
    """A browser logged in as ``user`` (with the second factor when ``mfa``)."""
    client = Client()
    if user is not None:
        if mfa:
            log_in_with_mfa(client, user)
        else:
            log_in(client, user)
    return client


def post_saying(
    body: str,
    *,
    author: User | None = None,
    community: Community | None = None,
    language: str = "sv",
) -> Post:
    """A reply with ``body`` in a thread of ``community`` (a new public one)."""
    thread = ThreadFactory.create(community=community or CommunityFactory.create())
    return PostFactory.create(
        thread=thread, author=author or UserFactory.create(), body=body, language=language
    )


def signals_of(content: Any) -> list[SafetySignal]:
    return list(
        SafetySignal.objects.filter(
            content_kind=content._meta.label_lower, object_id=content.pk
        ).order_by("id")
    )


def signal(**overrides: Any) -> SafetySignal:
    """A signal as the hook would open it, without content behind it."""
    post = overrides.pop("post", None)
    values: dict[str, Any] = {
        "content_kind": "communities.post",
        "object_id": post.pk if post is not None else SafetySignal.objects.count() + 10_000,
        "source": "detector",
        "origin": "spontaneous",
        "medicine_slug": "sertraline",
        "medicine": Medicine.objects.filter(slug="sertraline").first(),
        "reaction": "headache",
        "excerpt": HEADACHE_SV,
        "medicine_span": [39, 48],
        "reaction_span": [26, 35],
        "confidence": 0.9,
        "language": "sv",
        "audience": "public",
        "content_status": "published",
    }
    if post is not None:
        values["reporter_ref"] = actions.reporter_ref_for(post.author)
    values.update(overrides)
    if "day_zero" in values and values["day_zero"] is not None:
        values.setdefault("day_zero_basis", "published")
    return SafetySignal.objects.create(**values)


def case_for(found: SafetySignal, by: User, **fields: Any) -> SafetyCase:
    fields.setdefault("origin", "spontaneous")
    return actions.open_case(officer=by, signal=found, **fields)
