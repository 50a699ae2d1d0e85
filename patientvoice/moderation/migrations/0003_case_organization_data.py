"""Open cases about campaign submissions opened before cases named an organisation
(0002) get the organisation running the campaign, so its staff see them."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def name_organisations(apps, schema_editor):  # type: ignore[no-untyped-def]
    Case = apps.get_model("moderation", "Case")
    Submission = apps.get_model("campaigns", "Submission")
    running = Submission.objects.filter(pk=OuterRef("object_id")).values("campaign__organization_id")
    Case.objects.filter(
        kind="campaign_submission", community__isnull=True, organization__isnull=True
    ).update(organization_id=Subquery(running[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_case_organization"),
        ("campaigns", "0001_initial"),
    ]

    operations = [migrations.RunPython(name_organisations, migrations.RunPython.noop)]
