"""Conditions, made through the import action (the way every condition is written)."""

from __future__ import annotations

from typing import Any

import factory

from patientvoice.directory.actions import import_conditions
from patientvoice.directory.importing import ConditionRow
from patientvoice.directory.models import Condition, ConditionCategory


class ConditionFactory(factory.django.DjangoModelFactory[Condition]):
    """A condition with distinctive names ("Testsjukdom 3", "Test disease 3"). The
    starter set is loaded by a migration, so slugs here never clash with it."""

    class Meta:
        model = Condition

    slug = factory.Sequence(lambda n: f"test-condition-{n}")
    icd10 = ""
    category = ConditionCategory.CHRONIC
    name_sv = factory.Sequence(lambda n: f"Testsjukdom {n}")
    name_en = factory.Sequence(lambda n: f"Test disease {n}")
    synonyms_sv: Any = factory.LazyFunction(list)
    synonyms_en: Any = factory.LazyFunction(list)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Condition:
        import_conditions(rows=[ConditionRow(line=0, **kwargs)])
        return Condition.objects.get(slug=kwargs["slug"])
