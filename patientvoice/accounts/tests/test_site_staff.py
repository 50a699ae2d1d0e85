"""Making someone site staff: a second factor first, and it is audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from patientvoice.accounts import actions
from patientvoice.accounts.tests.factories import UserFactory
from patientvoice.core.models import AuditEntry
from patientvoice.moderation.tests.factories import with_second_factor

pytestmark = pytest.mark.django_db


def test_site_staff_needs_a_second_factor() -> None:
    person = UserFactory.create()

    with pytest.raises(PermissionDenied):
        actions.grant_site_staff(actor=None, user=person)

    person.refresh_from_db()
    assert not person.is_staff


def test_granting_site_staff_is_audited() -> None:
    person = with_second_factor(UserFactory.create())

    actions.grant_site_staff(actor=None, user=person)

    person.refresh_from_db()
    assert person.is_staff
    assert AuditEntry.objects.filter(action="accounts.site_staff_granted").count() == 1
