# The roles' groups. Their permissions are set after every migrate by
# newsroom.services.sync_roles (post_migrate): on a new database the
# permissions do not exist yet while migrations run.

from django.db import migrations

GROUPS = ["Contributors", "Authors", "Editors", "Administrators"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
