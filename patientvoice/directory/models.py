"""The directory: the things people talk about and rate. Conditions come first."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from patientvoice.core.models import TimeStampedModel

# ICD-10 (WHO) and ICD-10-SE codes: a letter, two digits, and optionally a dot with up
# to four more characters ("E10", "K90.0", "F43.8A"). Used as identifiers only.
ICD10_PATTERN = r"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$"


class ConditionCategory(models.TextChoices):
    CHRONIC = "chronic", pgettext_lazy("condition category", "Chronic conditions")
    CANCER = "cancer", pgettext_lazy("condition category", "Cancer")
    MENTAL_HEALTH = "mental_health", pgettext_lazy("condition category", "Mental health")
    NEUROLOGICAL = "neurological", pgettext_lazy("condition category", "Neurological conditions")
    RARE = "rare", pgettext_lazy("condition category", "Rare diseases")
    OTHER = "other", pgettext_lazy("condition category", "Other conditions")


def condition_search_text(
    *,
    name_sv: str,
    name_en: str,
    synonyms_sv: Iterable[str],
    synonyms_en: Iterable[str],
    icd10: str = "",
) -> str:
    """Every name a condition goes by, case-folded, one per line.

    Searching this column with a plain ``LIKE '%…%'`` (``contains``) on the case-folded
    query works the same on SQLite and PostgreSQL: SQLite's ``LIKE`` folds ASCII only
    ("Å" ≠ "å") and stores JSON with ``\\u`` escapes, so searching the JSON lists
    themselves would miss "ångest".
    """
    names = [name_sv, name_en, *synonyms_sv, *synonyms_en, icd10]
    return "\n".join(dict.fromkeys(n.strip().casefold() for n in names if n.strip()))


class Condition(TimeStampedModel):
    """A diagnosis people live with. Communities and threads are tagged with it."""

    slug = models.SlugField(max_length=80, unique=True)
    name_sv = models.CharField(pgettext_lazy("condition field", "Swedish name"), max_length=120)
    name_en = models.CharField(pgettext_lazy("condition field", "English name"), max_length=120)
    synonyms_sv = models.JSONField(
        pgettext_lazy("condition field", "Swedish synonyms"), default=list, blank=True
    )
    synonyms_en = models.JSONField(
        pgettext_lazy("condition field", "English synonyms"), default=list, blank=True
    )
    icd10 = models.CharField(
        pgettext_lazy("condition field", "ICD-10 code"), max_length=8, blank=True, db_index=True
    )
    category = models.CharField(
        pgettext_lazy("condition field", "category"),
        max_length=16,
        choices=ConditionCategory.choices,
        default=ConditionCategory.OTHER,
        db_index=True,
    )
    # Derived from the names above (condition_search_text); written by the actions.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["slug"]
        verbose_name = pgettext_lazy("model", "condition")
        verbose_name_plural = pgettext_lazy("model", "conditions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(icd10="") | models.Q(icd10__regex=ICD10_PATTERN),
                name="condition_icd10_format",
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=ConditionCategory.values),
                name="condition_category_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name_sv or self.slug

    def get_absolute_url(self) -> str:
        return reverse("directory:condition_detail", kwargs={"slug": self.slug})

    def name(self, language: str | None) -> str:
        """The name in ``language`` ("sv", "en", "en-gb"), Swedish otherwise."""
        if (language or "").lower().startswith("en") and self.name_en:
            return self.name_en
        return self.name_sv or self.name_en

    def synonyms(self, language: str | None) -> list[str]:
        chosen = self.synonyms_en if (language or "").lower().startswith("en") else self.synonyms_sv
        return list(chosen or [])

    def build_search_text(self) -> str:
        return condition_search_text(
            name_sv=self.name_sv,
            name_en=self.name_en,
            synonyms_sv=self.synonyms_sv or [],
            synonyms_en=self.synonyms_en or [],
            icd10=self.icd10,
        )
