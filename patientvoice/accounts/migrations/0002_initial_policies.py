"""Data migration: publish version 1 of the privacy notice and the terms of use.

A person cannot sign up without a privacy notice to consent to, so every database
starts with one. The texts live in accounts/policies/ as Markdown files.
"""

from pathlib import Path

from django.db import migrations

POLICIES = Path(__file__).resolve().parent.parent / "policies"


def _read(name: str) -> str:
    return (POLICIES / name).read_text(encoding="utf-8").strip()


def _body(name: str) -> tuple[str, str]:
    text = _read(name)
    title, _, rest = text.partition("\n")
    return title.lstrip("# ").strip(), rest.strip()


def publish(apps, schema_editor):
    PolicyVersion = apps.get_model("accounts", "PolicyVersion")
    for kind in ("privacy", "terms"):
        title_sv, body_sv = _body(f"{kind}_v1.sv.md")
        title_en, body_en = _body(f"{kind}_v1.en.md")
        PolicyVersion.objects.get_or_create(
            kind=kind,
            version=1,
            defaults={
                "title_sv": title_sv,
                "title_en": title_en,
                "body_sv": body_sv,
                "body_en": body_en,
                "summary_sv": _read(f"{kind}_v1.summary.sv.md"),
                "summary_en": _read(f"{kind}_v1.summary.en.md"),
            },
        )


def unpublish(apps, schema_editor):
    PolicyVersion = apps.get_model("accounts", "PolicyVersion")
    ConsentRecord = apps.get_model("accounts", "ConsentRecord")
    versions = PolicyVersion.objects.filter(version=1)
    if not ConsentRecord.objects.filter(policy__in=versions).exists():
        versions.delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(publish, unpublish)]
