"""The two role groups (decisions/0033): "verifier" (staff give it in the admin, to
someone with a second factor) and "verified professional" (given and taken away by
the professionals' actions). Both count as privileged roles (accounts.mfa)."""

from django.db import migrations

GROUPS = ["verifier", "verified professional"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("professionals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
