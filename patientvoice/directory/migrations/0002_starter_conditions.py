"""Data migration: load the starter set of conditions (data/conditions.csv), so every
database, including the one `make run` creates, can tag communities and threads.

Later edits to the file reach existing databases through `manage.py import_conditions`
(idempotent), not through this migration. Reversing it deletes the shipped conditions
(and with them their tags).
"""

from django.db import migrations

from patientvoice.directory.importing import read_conditions_file
from patientvoice.directory.models import condition_search_text


def load(apps, schema_editor):
    Condition = apps.get_model("directory", "Condition")
    parsed = read_conditions_file()
    if parsed.rejected:
        raise ValueError("data/conditions.csv has rejected rows: " + "; ".join(map(str, parsed.rejected)))
    for row in parsed.rows:
        fields = row.fields()
        Condition.objects.update_or_create(
            slug=row.slug,
            defaults={
                **fields,
                "search_text": condition_search_text(
                    name_sv=row.name_sv,
                    name_en=row.name_en,
                    synonyms_sv=row.synonyms_sv,
                    synonyms_en=row.synonyms_en,
                    icd10=row.icd10,
                ),
            },
        )


def unload(apps, schema_editor):
    Condition = apps.get_model("directory", "Condition")
    slugs = [row.slug for row in read_conditions_file().rows]
    Condition.objects.filter(slug__in=slugs).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
