"""People, places and posts for the notifications tests (through the real actions)."""

from __future__ import annotations

from patientvoice.communities.tests.factories import (
    PHONE_BODY,
    CommunityFactory,
    PostFactory,
    StaffFactory,
    ThreadFactory,
    UserFactory,
)

__all__ = [
    "PHONE_BODY",
    "CommunityFactory",
    "PostFactory",
    "StaffFactory",
    "ThreadFactory",
    "UserFactory",
]
