"""People, places and indexed posts shared by the search tests.

Tests do not run after-commit callbacks, so the after-publish hook does not index
what the factories write: ``indexed()`` rebuilds the index, as the hook or
``rebuild_search_index`` would have.
"""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client

from patientvoice.accounts.models import User
from patientvoice.communities import actions
from patientvoice.communities.models import Community, Post
from patientvoice.communities.tests.factories import (
    CommunityFactory,
    PostFactory,
    StaffFactory,
    ThreadFactory,
    UserFactory,
)
from patientvoice.core.testing.sessions import log_in
from patientvoice.search.indexing import POST_KIND, rebuild


def indexed(*labels: str) -> None:
    """Index the posts (or the kinds ``labels`` names). Posts only by default: the
    directory's starter set (hundreds of medicines, from a data migration) would be
    found too."""
    rebuild(labels=labels or [POST_KIND])


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        log_in(client, user)
    return client


def post_in(community: Community, body: str, *, language: str = "sv", title: str = "") -> Post:
    """A thread in ``community`` whose opening post is ``body``."""
    thread = ThreadFactory.create(
        community=community,
        body=body,
        language=language,
        title=title or f"Tråd om {body.split()[0]}",
    )
    return Post.objects.get(thread=thread)


def author_of(post: Post) -> User:
    assert post.author is not None
    return post.author


def reply_in(post: Post, body: str, *, language: str = "sv") -> Post:
    return PostFactory.create(thread=post.thread, body=body, language=language)


@pytest.fixture
def member() -> User:
    return UserFactory.create()


@pytest.fixture
def outsider() -> User:
    return UserFactory.create()


@pytest.fixture
def staff() -> User:
    return StaffFactory.create()


@pytest.fixture
def other_moderator() -> User:
    """Moderates another community, with a second factor: no power here."""
    user = UserFactory.create()
    Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    actions.make_moderator(actor=None, community=CommunityFactory.create(), user=user)
    return user


@pytest.fixture
def public(member: User) -> Community:
    return CommunityFactory.create(members=[member])


@pytest.fixture
def members_only(member: User) -> Community:
    return CommunityFactory.create(members=[member], members_only=True)


@pytest.fixture
def private(member: User) -> Community:
    return CommunityFactory.create(members=[member], private=True)
