"""Sponsors, their staff and sponsorships, made through the real actions (so the audit
log, the checks and the caches behave as in production)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from allauth.mfa.models import Authenticator
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.organizations import actions, sponsorship
from patientvoice.organizations.models import Organization, OrganizationKind, Sponsorship, StaffRole

from .factories import OrganizationFactory


def sponsor(**kwargs: Any) -> Organization:
    kwargs.setdefault("name", "Pharma Nordic AB")
    kwargs.setdefault("slug", kwargs["name"].lower().replace(" ", "-"))
    return OrganizationFactory.create(kind=OrganizationKind.SPONSOR, **kwargs)


def with_second_factor(user: User) -> User:
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )
    return user


def staff_of(organization: Organization, role: str = StaffRole.ADMIN, **kwargs: Any) -> User:
    """A person with ``role`` at ``organization`` and a second factor."""
    person = with_second_factor(UserFactory.create(**kwargs))
    actions.add_staff(actor=None, organization=organization, user=person, role=role)
    person.refresh_from_db()
    return person


def sponsorship_of(
    organization: Organization,
    community: Any = None,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    **kwargs: Any,
) -> Sponsorship:
    kwargs.setdefault("purpose", "Pays for the moderators' training and the servers.")
    kwargs.setdefault(
        "agreement_summary",
        "A grant for one year. The sponsor has no editorial control and sees no member data.",
    )
    return sponsorship.record_sponsorship(
        actor=None,
        sponsor=organization,
        community=community,
        starts_on=starts_on or timezone.localdate() - timedelta(days=30),
        ends_on=ends_on,
        **kwargs,
    )
