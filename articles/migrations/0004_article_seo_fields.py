# The SEO title and description of an article (kept from Yoast SEO or Rank Math
# by the WordPress import; used by the page's title, meta tags and JSON-LD).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_search_filter_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="seo_title",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The page title for search engines and shares, if not the "
                    "headline, e.g. Navy orders frigates - Frontline Desk"
                ),
                max_length=300,
                verbose_name="SEO title",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="seo_description",
            field=models.CharField(
                blank=True,
                help_text="For search results and shares, if not the standfirst",
                max_length=500,
                verbose_name="SEO description",
            ),
        ),
    ]
