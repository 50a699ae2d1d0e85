"""Professionals, targets and notes for the expert notes' tests, all made through the
actions as the pages make them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities.models import Post
from patientvoice.communities.tests.factories import CommunityFactory, PostFactory, ThreadFactory
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.expertnotes import actions
from patientvoice.expertnotes.models import ExpertNote
from patientvoice.professionals.models import Credential
from patientvoice.professionals.queries import forget_credential
from patientvoice.professionals.tests import factories as professionals
from patientvoice.reviews.models import Review
from patientvoice.reviews.tests.factories import medicine, review

FASS = ("FASS: Metformin", "https://www.fass.se/LIF/product?nplId=19750101000001")
NOTE_BODY = "Metformin is usually taken with food to ease stomach upset (note text)."


def professional(**kwargs: Any) -> User:
    """A member with an active credential as a registered nurse and a second factor,
    as a new request loads them."""
    credential = professionals.approved(professionals.applicant(**kwargs))
    return User.objects.get(pk=credential.user_id)


def expire(user: User) -> None:
    past = timezone.now() - timedelta(days=1)
    Credential.objects.filter(user=user).update(
        verified_at=past - timedelta(days=365), expires_at=past
    )
    forget_credential(user.pk)


def fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def post(**kwargs: Any) -> Post:
    """A published reply in a public community by a member (or ``author``)."""
    return PostFactory.create(**kwargs)


def members_only_post() -> Post:
    community = CommunityFactory.create(members_only=True)
    thread = ThreadFactory.create(community=community)
    return PostFactory.create(thread=thread)


def a_review() -> Review:
    return review(medicine())


def note(
    author: User | None = None,
    target: Any = None,
    *,
    kind: str = "context",
    body: str = NOTE_BODY,
    sources: Any = (FASS,),
    **kwargs: Any,
) -> ExpertNote:
    result = actions.add_note(
        author=author or professional(),
        target=target if target is not None else post(),
        kind=kind,
        body=body,
        sources=list(sources),
        **kwargs,
    )
    written = result.content
    assert isinstance(written, ExpertNote)
    return written


def client_for(user: User | None, *, mfa: bool = False) -> Client:
    client = Client()
    if user is not None:
        if mfa:
            log_in_with_mfa(client, user)
        else:
            log_in(client, user)
    return client


__all__ = ["UserFactory"]


def author_of(target: Any) -> User:
    """The person who wrote a post or review."""
    author: User | None = target.author
    assert author is not None
    return author
