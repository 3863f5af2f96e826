"""Featured images and author photos move into the media library: each file
becomes a media.Image (one per content), keeping its alt text, caption and
credit; the stories and authors point at it."""

from django.db import migrations, models
import django.db.models.deletion


def to_library(apps, schema_editor):
    from media.legacy import library_image

    Image = apps.get_model("media", "Image")
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    # Values, not model instances: the old ImageField would measure each file
    # when loaded (and fail on a missing one).
    rows = (
        Article.objects.exclude(legacy_image="")
        .exclude(legacy_image=None)
        .values_list(
            "pk", "legacy_image", "image_width", "image_height", "image_alt",
            "image_caption", "image_credit",
        )
        .order_by("pk")
    )
    for pk, name, width, height, alt, caption, credit in rows.iterator():
        image = library_image(
            Image, name, width=width, height=height, alt=alt, caption=caption,
            credit=credit,
        )
        Article.objects.filter(pk=pk).update(featured_image=image)
    authors = (
        Author.objects.exclude(legacy_photo="")
        .exclude(legacy_photo=None)
        .values_list("pk", "legacy_photo", "photo_width", "photo_height", "display_name")
        .order_by("pk")
    )
    for pk, name, width, height, display_name in authors.iterator():
        image = library_image(
            Image, name, width=width, height=height, alt=f"Portrait of {display_name}"
        )
        Author.objects.filter(pk=pk).update(photo=image)


def from_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    for article in Article.objects.exclude(featured_image=None).select_related(
        "featured_image"
    ):
        image = article.featured_image
        Article.objects.filter(pk=article.pk).update(
            legacy_image=image.file.name,
            image_width=image.width,
            image_height=image.height,
            image_alt=image.alt,
            image_caption=image.caption,
            image_credit=image.credit,
        )
    for author in Author.objects.exclude(photo=None).select_related("photo"):
        Author.objects.filter(pk=author.pk).update(
            legacy_photo=author.photo.file.name,
            photo_width=author.photo.width,
            photo_height=author.photo.height,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_corrections"),
        ("media", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("article", "featured_image", "legacy_image"),
        migrations.RenameField("author", "photo", "legacy_photo"),
        migrations.AddField(
            model_name="article",
            name="featured_image",
            field=models.ForeignKey(
                blank=True,
                help_text="From the media library; its alt text, caption and credit are the image's (needs alt text to publish)",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="featured_in",
                to="media.image",
                verbose_name="featured image",
            ),
        ),
        migrations.AddField(
            model_name="author",
            name="photo",
            field=models.ForeignKey(
                blank=True,
                help_text="From the media library; cropped square around its focal point",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="author_photos",
                to="media.image",
                verbose_name="photo",
            ),
        ),
        migrations.RunPython(to_library, from_library),
        migrations.RemoveField("article", "legacy_image"),
        migrations.RemoveField("article", "image_width"),
        migrations.RemoveField("article", "image_height"),
        migrations.RemoveField("article", "image_alt"),
        migrations.RemoveField("article", "image_caption"),
        migrations.RemoveField("article", "image_credit"),
        migrations.RemoveField("author", "legacy_photo"),
        migrations.RemoveField("author", "photo_width"),
        migrations.RemoveField("author", "photo_height"),
    ]
