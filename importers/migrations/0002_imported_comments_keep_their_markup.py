"""Comments imported before comments 0002 were stored as WordPress markup but
marked as plain text; mark them as HTML so that editing one keeps its markup."""

from django.db import migrations


def mark_html(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    ImportedItem = apps.get_model("importers", "ImportedItem")
    imported = ImportedItem.objects.filter(kind="comment", comment__isnull=False)
    Comment.objects.filter(pk__in=imported.values("comment_id")).update(
        body_format="html"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0001_initial"),
        ("comments", "0002_body_format"),
    ]

    operations = [migrations.RunPython(mark_html, migrations.RunPython.noop)]
