"""Entries to review and reviews, made through the real actions."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from typing import Any

from allauth.account.models import EmailAddress
from django.utils import timezone

from patientvoice.accounts.models import User
from patientvoice.accounts.tests.factories import StaffFactory, UserFactory
from patientvoice.directory.models import Clinic, Medicine, Physician
from patientvoice.directory.tests.factories import ConditionFactory
from patientvoice.moderation.tests.factories import with_second_factor
from patientvoice.organizations.tests.factories import OrganizationFactory
from patientvoice.reviews import actions
from patientvoice.reviews.actions import ReviewResult
from patientvoice.reviews.dimensions import kind_for_entry
from patientvoice.reviews.models import Review

__all__ = [
    "ConditionFactory",
    "OrganizationFactory",
    "StaffFactory",
    "UserFactory",
    "acting_staff",
    "clinic",
    "medicine",
    "new_member",
    "physician",
    "review",
    "scores_for",
    "submit",
    "unverified_member",
]

_n = count(1)


def medicine(**fields: Any) -> Medicine:
    n = next(_n)
    values = {"slug": f"test-medicine-{n}", "inn_en": f"testamol {n}", "name_sv": f"Testamol {n}"}
    return Medicine.objects.create(**{**values, **fields})


def physician(**fields: Any) -> Physician:
    n = next(_n)
    return Physician.objects.create(
        **{"slug": f"test-physician-{n}", "name": f"Dr Test {n}", **fields}
    )


def clinic(**fields: Any) -> Clinic:
    n = next(_n)
    values = {"slug": f"test-clinic-{n}", "name": f"Testkliniken {n}", "region": "skane"}
    return Clinic.objects.create(**{**values, **fields})


def scores_for(entry: Any, value: int = 4, **overrides: int) -> dict[str, int]:
    """Every dimension of ``entry``'s kind at ``value``, some overridden."""
    return {key: overrides.get(key, value) for key in kind_for_entry(entry).keys}


def submit(author: User, entry: Any, value: int = 4, **kwargs: Any) -> ReviewResult:
    kwargs.setdefault("scores", scores_for(entry, value))
    kwargs.setdefault("conflict", "none")
    return actions.submit_review(author=author, entry=entry, **kwargs)


def review(entry: Any, value: int = 4, author: User | None = None, **kwargs: Any) -> Review:
    """A review of ``entry`` by ``author`` (a new, verified, month-old member if None)."""
    return submit(author or UserFactory.create(), entry, value, **kwargs).review


def new_member(**kwargs: Any) -> User:
    """Joined yesterday (e-mail verified)."""
    return UserFactory.create(date_joined=timezone.now() - timedelta(days=1), **kwargs)


def unverified_member(**kwargs: Any) -> User:
    """A month old, but without a verified e-mail address."""
    person = UserFactory.create(**kwargs)
    EmailAddress.objects.filter(user=person).update(verified=False)
    return person


def acting_staff(**kwargs: Any) -> User:
    return with_second_factor(StaffFactory.create(**kwargs))
