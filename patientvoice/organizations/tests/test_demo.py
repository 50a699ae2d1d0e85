"""Demo organisations get drawn logos through the upload pipeline, once."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage

from patientvoice.core.models import AuditEntry
from patientvoice.organizations.demo import seed_demo_logos

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_demo_organisations_get_a_logo_once() -> None:
    organizations = {
        "a": OrganizationFactory.create(name="Ledstöd – förbundet för ledsjuka"),
        "b": OrganizationFactory.create(name="Cancer Together Europe"),
    }

    seed_demo_logos(organizations)
    names = {str(org.logo.name) for org in organizations.values()}
    seed_demo_logos(organizations)

    assert all(name.startswith("logos/") and name.endswith(".webp") for name in names)
    assert all(default_storage.exists(name) for name in names)
    assert {org.logo.name for org in organizations.values()} == names
    assert AuditEntry.objects.filter(action="organizations.logo_changed").count() == 2
