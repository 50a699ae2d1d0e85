"""The group "safety officers" (decisions/0036): the role exists from the start, so
staff can give it in the Django admin."""

from django.db import migrations

GROUP = "safety officers"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("safety", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
