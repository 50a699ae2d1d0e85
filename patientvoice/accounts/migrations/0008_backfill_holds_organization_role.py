"""Fill User.holds_organization_role from the organisation roles people hold (data only)."""

from django.db import migrations


def backfill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    OrganizationStaff = apps.get_model("organizations", "OrganizationStaff")
    holders = OrganizationStaff.objects.values("user_id")
    User.objects.filter(pk__in=holders).update(holds_organization_role=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_holds_organization_role"),
        ("organizations", "0001_initial"),
    ]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
