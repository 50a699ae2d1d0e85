"""Questions, answers, organisations and advisers for the questions' tests, all made
through the actions as the pages make them."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.communities.models import Community, Post, Thread
from patientvoice.communities.tests.factories import CommunityFactory, PostFactory, ThreadFactory
from patientvoice.core.testing.sessions import log_in, log_in_with_mfa
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.organizations import actions as organization_actions
from patientvoice.organizations.models import Organization, StaffRole
from patientvoice.organizations.tests.factories import OrganizationFactory
from patientvoice.professionals import advisers, questions
from patientvoice.professionals.models import AdviserRole, Credential, ProfessionalQuestion
from patientvoice.professionals.queries import forget_credential

from . import factories

Capture = Callable[..., AbstractContextManager[Any]]


def professional(profession: str = "nurse", **kwargs: Any) -> User:
    """A member with an active credential in ``profession`` and a second factor."""
    credential = factories.approved(factories.applicant(**kwargs), profession=profession)
    return User.objects.get(pk=credential.user_id)


def expire(user: User) -> None:
    past = timezone.now() - timedelta(days=1)
    Credential.objects.filter(user=user).update(
        verified_at=past - timedelta(days=365), expires_at=past
    )
    forget_credential(user.pk)


def client_for(user: User | None, *, mfa: bool = False) -> Client:
    client = Client()
    if user is not None:
        if mfa:
            log_in_with_mfa(client, user)
        else:
            log_in(client, user)
    return client


def question(
    community: Community | None = None,
    *,
    field: str = "nursing",
    author: User | None = None,
    **kwargs: Any,
) -> ProfessionalQuestion:
    """A published thread in a public community (or ``community``), marked by its
    author as a question for professionals in ``field``."""
    thread = ThreadFactory.create(
        community=community or CommunityFactory.create(),
        author=author or UserFactory.create(),
        **kwargs,
    )
    assert thread.author is not None
    return questions.mark_question(asker=thread.author, thread=thread, field=field)


def answer(capture: Capture, thread: Thread, author: User, **kwargs: Any) -> Post:
    """A reply by ``author``, with the after-publish hooks run (as the worker does)."""
    with capture(execute=True):
        post = PostFactory.create(thread=thread, author=author, **kwargs)
    return post


def fresh(found: ProfessionalQuestion) -> ProfessionalQuestion:
    return ProfessionalQuestion.objects.get(pk=found.pk)


def organisation_with_admin(**kwargs: Any) -> tuple[Organization, User]:
    organization = OrganizationFactory.create(**kwargs)
    admin = with_second_factor(UserFactory.create())
    organization_actions.add_staff(
        actor=None, organization=organization, user=admin, role=StaffRole.ADMIN
    )
    return organization, admin


def org_staff(organization: Organization, role: str = StaffRole.MODERATOR) -> User:
    person = with_second_factor(UserFactory.create())
    organization_actions.add_staff(actor=None, organization=organization, user=person, role=role)
    return person


def adviser(
    organization: Organization,
    admin: User,
    community: Community,
    person: User | None = None,
    *,
    accept: bool = True,
) -> AdviserRole:
    """``person`` (a new nurse by default) invited to advise ``community`` and, unless
    ``accept`` is false, accepting."""
    person = person or professional()
    [role] = advisers.invite_adviser(
        admin=admin,
        organization=organization,
        professional=person,
        communities=[community],
    )
    if accept:
        role = advisers.accept_adviser_role(professional=person, role=role)
    return role
