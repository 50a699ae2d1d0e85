"""Fill User.consented_policy_version from the consent ledger (data only)."""

from django.db import migrations

# The required purposes when this migration was written (models.REQUIRED_PURPOSES).
REQUIRED_PURPOSES = ("health_data",)


def backfill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    ConsentRecord = apps.get_model("accounts", "ConsentRecord")
    for user in User.objects.only("pk").iterator():
        versions = []
        for purpose in REQUIRED_PURPOSES:
            latest = (
                ConsentRecord.objects.filter(user_id=user.pk, purpose=purpose)
                .order_by("-at", "-id")
                .values("granted", "policy__version")
                .first()
            )
            if latest is None or not latest["granted"]:
                versions = []
                break
            versions.append(latest["policy__version"])
        if versions:
            User.objects.filter(pk=user.pk).update(consented_policy_version=min(versions))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_consented_policy_version")]
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
