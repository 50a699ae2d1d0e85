"""The directory: the things people talk about and rate. Conditions come first."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
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
    return casefolded_lines([name_sv, name_en, *synonyms_sv, *synonyms_en, icd10])


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


def casefolded_lines(names: Iterable[str]) -> str:
    """Names case-folded, one per line, each once (the ``search_text`` of every entry)."""
    return "\n".join(dict.fromkeys(n.strip().casefold() for n in names if n and n.strip()))


# ATC codes (WHO) at the substance level: "N02BE01". Used as identifiers only; the
# ATC index itself is licensed and is not shipped.
ATC_PATTERN = r"^[A-Z][0-9]{2}[A-Z]{2}[0-9]{2}$"
# HSA-id (Inera): "SE" + the 10-digit organisation number + "-" + a local suffix.
HSA_ID_PATTERN = r"^SE[0-9]{10}-[0-9A-Z]{1,}$"
POSTCODE_PATTERN = r"^[0-9]{3} [0-9]{2}$"
# FASS's search for the public ("allmänhet"); the default link of a medicine.
FASS_SEARCH_URL = "https://www.fass.se/LIF/result"


class Prescription(models.TextChoices):
    RX = "rx", pgettext_lazy("prescription status", "Prescription only")
    OTC = "otc", pgettext_lazy("prescription status", "Without prescription")
    MIXED = "mixed", pgettext_lazy("prescription status", "With or without prescription")


class MedicineForm(models.TextChoices):
    TABLET = "tablet", pgettext_lazy("medicine form", "Tablet")
    CAPSULE = "capsule", pgettext_lazy("medicine form", "Capsule")
    ORAL_SOLUTION = "oral-solution", pgettext_lazy("medicine form", "Oral solution")
    INJECTION = "injection", pgettext_lazy("medicine form", "Injection")
    INHALER = "inhaler", pgettext_lazy("medicine form", "Inhaler")
    NASAL_SPRAY = "nasal-spray", pgettext_lazy("medicine form", "Nasal spray")
    EYE_DROPS = "eye-drops", pgettext_lazy("medicine form", "Eye drops")
    CREAM = "cream", pgettext_lazy("medicine form", "Cream")
    PATCH = "patch", pgettext_lazy("medicine form", "Patch")
    SUPPOSITORY = "suppository", pgettext_lazy("medicine form", "Suppository")
    OTHER = "other", pgettext_lazy("medicine form", "Other")


def medicine_search_text(
    *,
    inn_en: str,
    name_sv: str,
    brands_sv: Iterable[str],
    synonyms_sv: Iterable[str],
    synonyms_en: Iterable[str],
    atc_code: str = "",
) -> str:
    """Every name a medicine goes by (substance, brands, spellings), case-folded, one
    per line: searched with ``contains`` like ``condition_search_text``."""
    return casefolded_lines([name_sv, inn_en, *brands_sv, *synonyms_sv, *synonyms_en, atc_code])


class Medicine(TimeStampedModel):
    """An active substance (or fixed combination) with its Swedish brand names."""

    slug = models.SlugField(max_length=80, unique=True)
    inn_en = models.CharField(pgettext_lazy("medicine field", "substance (INN)"), max_length=200)
    name_sv = models.CharField(pgettext_lazy("medicine field", "Swedish name"), max_length=200)
    brands_sv = models.JSONField(
        pgettext_lazy("medicine field", "Swedish brand names"), default=list, blank=True
    )
    synonyms_sv = models.JSONField(
        pgettext_lazy("medicine field", "Swedish synonyms"), default=list, blank=True
    )
    synonyms_en = models.JSONField(
        pgettext_lazy("medicine field", "English synonyms"), default=list, blank=True
    )
    atc_code = models.CharField(
        pgettext_lazy("medicine field", "ATC code"), max_length=7, blank=True, db_index=True
    )
    prescription = models.CharField(
        pgettext_lazy("medicine field", "prescription status"),
        max_length=8,
        choices=Prescription.choices,
        # A medicine added without knowing better is treated as prescription-only.
        default=Prescription.RX,
        db_index=True,
    )
    # Values from MedicineForm; checked by the importer and clean() (a JSON list
    # cannot carry a portable CHECK on its items).
    forms = models.JSONField(pgettext_lazy("medicine field", "forms"), default=list, blank=True)
    strength = models.CharField(
        pgettext_lazy("medicine field", "strength"), max_length=200, blank=True
    )
    fass_url = models.URLField(
        pgettext_lazy("medicine field", "FASS link"), max_length=500, blank=True
    )
    leaflet_url = models.URLField(
        pgettext_lazy("medicine field", "package leaflet link"), max_length=500, blank=True
    )
    search_text = models.TextField(blank=True, editable=False)
    is_active = models.BooleanField(pgettext_lazy("directory field", "active"), default=True)
    # The organisations that make or market this medicine: their staff may not rate it
    # (reviews.permissions.known_conflict).
    holder_organisations = models.ManyToManyField(
        "organizations.Organization",
        verbose_name=pgettext_lazy("medicine field", "organisations that make or market it"),
        related_name="medicines_held",
        blank=True,
    )

    class Meta:
        ordering = ["slug"]
        verbose_name = pgettext_lazy("model", "medicine")
        verbose_name_plural = pgettext_lazy("model", "medicines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(atc_code="") | models.Q(atc_code__regex=ATC_PATTERN),
                name="medicine_atc_code_format",
            ),
            models.CheckConstraint(
                condition=models.Q(prescription__in=Prescription.values),
                name="medicine_prescription_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name_sv or self.inn_en or self.slug

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        unknown = [f for f in self.forms or [] if f not in MedicineForm.values]
        if unknown:
            message = pgettext_lazy("medicine field", "Unknown form: %(forms)s")
            forms = ", ".join(map(str, unknown))
            raise ValidationError({"forms": ValidationError(message, params={"forms": forms})})

    def fass_link(self) -> str:
        """The FASS page given for this medicine, or FASS's search for its Swedish name."""
        if self.fass_url:
            return self.fass_url
        return (
            f"{FASS_SEARCH_URL}?{urlencode({'query': self.name_sv or self.inn_en, 'userType': 2})}"
        )

    def build_search_text(self) -> str:
        return medicine_search_text(
            inn_en=self.inn_en,
            name_sv=self.name_sv,
            brands_sv=self.brands_sv or [],
            synonyms_sv=self.synonyms_sv or [],
            synonyms_en=self.synonyms_en or [],
            atc_code=self.atc_code,
        )


class ClinicKind(models.TextChoices):
    PRIMARY_CARE = "primary_care", pgettext_lazy("clinic kind", "Primary care centre")
    HOSPITAL_DEPARTMENT = "hospital_department", pgettext_lazy("clinic kind", "Hospital department")
    SPECIALIST = "specialist", pgettext_lazy("clinic kind", "Specialist clinic")
    DENTAL = "dental", pgettext_lazy("clinic kind", "Dental clinic")
    PHARMACY = "pharmacy", pgettext_lazy("clinic kind", "Pharmacy")
    PSYCHIATRY = "psychiatry", pgettext_lazy("clinic kind", "Psychiatry clinic")
    REHABILITATION = "rehabilitation", pgettext_lazy("clinic kind", "Rehabilitation")
    OTHER = "other", pgettext_lazy("clinic kind", "Other")


class Region(models.TextChoices):
    """The 21 Swedish regions (the former county councils), by their own names."""

    STOCKHOLM = "stockholm", pgettext_lazy("region", "Region Stockholm")
    UPPSALA = "uppsala", pgettext_lazy("region", "Region Uppsala")
    SORMLAND = "sormland", pgettext_lazy("region", "Region Sörmland")
    OSTERGOTLAND = "ostergotland", pgettext_lazy("region", "Region Östergötland")
    JONKOPING = "jonkoping", pgettext_lazy("region", "Region Jönköpings län")
    KRONOBERG = "kronoberg", pgettext_lazy("region", "Region Kronoberg")
    KALMAR = "kalmar", pgettext_lazy("region", "Region Kalmar län")
    GOTLAND = "gotland", pgettext_lazy("region", "Region Gotland")
    BLEKINGE = "blekinge", pgettext_lazy("region", "Region Blekinge")
    SKANE = "skane", pgettext_lazy("region", "Region Skåne")
    HALLAND = "halland", pgettext_lazy("region", "Region Halland")
    VASTRA_GOTALAND = "vastra_gotaland", pgettext_lazy("region", "Västra Götalandsregionen")
    VARMLAND = "varmland", pgettext_lazy("region", "Region Värmland")
    OREBRO = "orebro", pgettext_lazy("region", "Region Örebro län")
    VASTMANLAND = "vastmanland", pgettext_lazy("region", "Region Västmanland")
    DALARNA = "dalarna", pgettext_lazy("region", "Region Dalarna")
    GAVLEBORG = "gavleborg", pgettext_lazy("region", "Region Gävleborg")
    VASTERNORRLAND = "vasternorrland", pgettext_lazy("region", "Region Västernorrland")
    JAMTLAND_HARJEDALEN = (
        "jamtland_harjedalen",
        pgettext_lazy("region", "Region Jämtland Härjedalen"),
    )
    VASTERBOTTEN = "vasterbotten", pgettext_lazy("region", "Region Västerbotten")
    NORRBOTTEN = "norrbotten", pgettext_lazy("region", "Region Norrbotten")


class Clinic(TimeStampedModel):
    """A place where people get care: a vårdcentral, a hospital department, a pharmacy."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(pgettext_lazy("clinic field", "name"), max_length=200)
    kind = models.CharField(
        pgettext_lazy("clinic field", "kind"),
        max_length=24,
        choices=ClinicKind.choices,
        default=ClinicKind.OTHER,
        db_index=True,
    )
    # Blank only for a clinic a member suggested and staff have not completed yet;
    # the importer requires it.
    region = models.CharField(
        pgettext_lazy("clinic field", "region"),
        max_length=24,
        choices=Region.choices,
        blank=True,
        db_index=True,
    )
    municipality = models.CharField(
        pgettext_lazy("clinic field", "municipality"), max_length=80, blank=True
    )
    address = models.CharField(
        pgettext_lazy("clinic field", "street address"), max_length=200, blank=True
    )
    postcode = models.CharField(pgettext_lazy("clinic field", "postcode"), max_length=6, blank=True)
    website = models.URLField(pgettext_lazy("clinic field", "website"), max_length=500, blank=True)
    hsa_id = models.CharField(
        pgettext_lazy("clinic field", "HSA-id"), max_length=31, blank=True, db_index=True
    )
    search_text = models.TextField(blank=True, editable=False)
    is_active = models.BooleanField(pgettext_lazy("directory field", "active"), default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = pgettext_lazy("model", "clinic")
        verbose_name_plural = pgettext_lazy("model", "clinics")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ClinicKind.values), name="clinic_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(region="") | models.Q(region__in=Region.values),
                name="clinic_region_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(hsa_id="") | models.Q(hsa_id__regex=HSA_ID_PATTERN),
                name="clinic_hsa_id_format",
            ),
            models.CheckConstraint(
                condition=models.Q(postcode="") | models.Q(postcode__regex=POSTCODE_PATTERN),
                name="clinic_postcode_format",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.slug

    def build_search_text(self) -> str:
        return casefolded_lines([self.name, self.municipality, self.hsa_id])


class Profession(models.TextChoices):
    PHYSICIAN = "physician", pgettext_lazy("profession", "Physician")
    NURSE = "nurse", pgettext_lazy("profession", "Nurse")
    MIDWIFE = "midwife", pgettext_lazy("profession", "Midwife")
    PSYCHOLOGIST = "psychologist", pgettext_lazy("profession", "Psychologist")
    PHYSIOTHERAPIST = "physiotherapist", pgettext_lazy("profession", "Physiotherapist")
    OCCUPATIONAL_THERAPIST = (
        "occupational_therapist",
        pgettext_lazy("profession", "Occupational therapist"),
    )
    DENTIST = "dentist", pgettext_lazy("profession", "Dentist")
    PHARMACIST = "pharmacist", pgettext_lazy("profession", "Pharmacist")
    DIETITIAN = "dietitian", pgettext_lazy("profession", "Dietitian")
    COUNSELLOR = "counsellor", pgettext_lazy("profession", "Counsellor")
    OTHER = "other", pgettext_lazy("profession", "Other profession")


class Physician(TimeStampedModel):
    """A named professional people meet in care (a physician, nurse, psychologist...)."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(pgettext_lazy("physician field", "name"), max_length=200)
    profession = models.CharField(
        pgettext_lazy("physician field", "profession"),
        max_length=24,
        choices=Profession.choices,
        default=Profession.PHYSICIAN,
        db_index=True,
    )
    specialty = models.CharField(
        pgettext_lazy("physician field", "specialty"), max_length=200, blank=True
    )
    workplaces = models.ManyToManyField(
        Clinic,
        verbose_name=pgettext_lazy("physician field", "workplaces"),
        related_name="physicians",
        blank=True,
    )
    licence_id = models.CharField(
        pgettext_lazy("physician field", "licence number"), max_length=32, blank=True
    )
    search_text = models.TextField(blank=True, editable=False)
    is_active = models.BooleanField(pgettext_lazy("directory field", "active"), default=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = pgettext_lazy("model", "physician")
        verbose_name_plural = pgettext_lazy("model", "physicians")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(profession__in=Profession.values),
                name="physician_profession_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.slug

    def build_search_text(self) -> str:
        return casefolded_lines([self.name, self.specialty])


class SuggestionKind(models.TextChoices):
    MEDICINE = "medicine", pgettext_lazy("suggestion kind", "Medicine")
    PHYSICIAN = "physician", pgettext_lazy("suggestion kind", "Physician")
    CLINIC = "clinic", pgettext_lazy("suggestion kind", "Clinic")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("suggestion status", "Waiting for a decision")
    APPROVED = "approved", pgettext_lazy("suggestion status", "Approved")
    DECLINED = "declined", pgettext_lazy("suggestion status", "Declined")


class EntrySuggestion(TimeStampedModel):
    """A member's suggestion of a missing medicine, physician or clinic; site staff
    approve (which creates the entry) or decline it (actions.approve_suggestion /
    decline_suggestion)."""

    kind = models.CharField(
        pgettext_lazy("suggestion field", "kind"), max_length=16, choices=SuggestionKind.choices
    )
    name = models.CharField(pgettext_lazy("suggestion field", "name"), max_length=200)
    details = models.TextField(
        pgettext_lazy("suggestion field", "details"), max_length=2000, blank=True
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("suggestion field", "suggested by"),
    )
    status = models.CharField(
        pgettext_lazy("suggestion field", "status"),
        max_length=16,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("suggestion field", "decided by"),
    )
    decided_at = models.DateTimeField(
        pgettext_lazy("suggestion field", "decided at"), null=True, blank=True
    )
    reason = models.TextField(
        pgettext_lazy("suggestion field", "reason"), max_length=2000, blank=True
    )
    # The slug of the entry an approval created (of the model named by ``kind``).
    entry_slug = models.SlugField(max_length=80, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "entry suggestion")
        verbose_name_plural = pgettext_lazy("model", "entry suggestions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=SuggestionKind.values), name="suggestion_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=SuggestionStatus.values),
                name="suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=SuggestionStatus.PENDING, decided_at__isnull=True)
                | (~models.Q(status=SuggestionStatus.PENDING) & models.Q(decided_at__isnull=False)),
                name="suggestion_decided_at_with_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
