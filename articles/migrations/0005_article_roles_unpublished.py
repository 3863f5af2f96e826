# The permissions the newsroom's roles are made of (publish; edit other
# people's stories) and the status of a story taken off the site.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0004_article_seo_fields'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='article',
            options={'ordering': ['-published_at', '-pk'], 'permissions': [('publish_article', 'Can publish, schedule and unpublish articles'), ('edit_others_article', "Can edit and delete other people's articles")], 'verbose_name': 'article', 'verbose_name_plural': 'articles'},
        ),
        migrations.AlterField(
            model_name='article',
            name='status',
            field=models.CharField(choices=[('draft', 'Draft'), ('pending', 'Pending review'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('unpublished', 'Unpublished')], default='draft', max_length=12, verbose_name='status'),
        ),
    ]
