"""Search's objects are defined in search/sql/<vendor>.sql (search.schema);
this applies the files as they are at this migration (both can run again on
a database that has the objects). Migrations 0001-0006 are how databases of
earlier versions got here."""

from django.db import migrations

from search.schema import applying


class Migration(migrations.Migration):
    dependencies = [("search", "0006_postgres_query_words")]

    operations = [
        migrations.RunPython(
            applying(
                postgresql="5299dff8d212842f8956857cfd15fe60c29787bd00b321823f0b58da8711fde4",
                sqlite="72565bc44a51080542b653d4674c1343d661061bd308ed0c004260bde6da52c0",
            ),
            migrations.RunPython.noop,
        )
    ]
