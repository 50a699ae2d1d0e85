"""Data migration: load the starter set of medicines (data/medicines.csv) when the
file exists; without it the migration does nothing. Same shape as
0002_starter_conditions.

Later edits to the file, and full catalogues, reach existing databases through
`manage.py import_medicines FILE.csv` (idempotent), not through this migration.
Reversing it deletes the medicines the file names.
"""

from django.db import migrations

from patientvoice.directory import importing_medicines
from patientvoice.directory.models import medicine_search_text


def _fields(row):
    return {
        **row.fields(),
        "search_text": medicine_search_text(
            inn_en=row.inn_en,
            name_sv=row.name_sv,
            brands_sv=row.brands_sv,
            synonyms_sv=row.synonyms_sv,
            synonyms_en=row.synonyms_en,
            atc_code=row.atc_code,
        ),
    }


def load(apps, schema_editor):
    if not importing_medicines.STARTER_FILE.exists():
        return
    Medicine = apps.get_model("directory", "Medicine")
    parsed = importing_medicines.read_medicines_file()
    if parsed.rejected:
        raise ValueError(
            "data/medicines.csv has rejected rows: " + "; ".join(map(str, parsed.rejected))
        )
    existing = set(Medicine.objects.values_list("slug", flat=True))
    new = []
    for row in parsed.rows:
        if row.slug in existing:
            Medicine.objects.filter(slug=row.slug).update(**_fields(row))
        else:
            new.append(Medicine(slug=row.slug, **_fields(row)))
    Medicine.objects.bulk_create(new, batch_size=500)


def unload(apps, schema_editor):
    if not importing_medicines.STARTER_FILE.exists():
        return
    Medicine = apps.get_model("directory", "Medicine")
    slugs = [row.slug for row in importing_medicines.read_medicines_file().rows]
    Medicine.objects.filter(slug__in=slugs).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_medicines_clinics_physicians")]
    operations = [migrations.RunPython(load, unload)]
