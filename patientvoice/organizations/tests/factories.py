"""Organisations, made through their actions (so the audit log is written too)."""

from __future__ import annotations

from typing import Any

import factory

from patientvoice.organizations import actions
from patientvoice.organizations.models import Organization, OrganizationKind


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Patient Organisation {n}")
    slug = factory.Sequence(lambda n: f"patient-organisation-{n}")
    kind = OrganizationKind.ADVOCACY
    description = "We support people living with long-term illness."
    website = ""
    verified = False

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Organization:
        return actions.create_organization(actor=None, **kwargs)
