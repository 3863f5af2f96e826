"""articles 0007: featured images and author photos become library images."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from media.tests import helpers

BEFORE = [("articles", "0006_corrections")]
AFTER = [("articles", "0007_media_library")]


@pytest.mark.django_db(transaction=True)
def test_existing_files_move_into_the_library_with_their_words():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Category = old.get_model("articles", "Category")
    Author = old.get_model("articles", "Author")
    Article = old.get_model("articles", "Article")
    name = default_storage.save("articles/2024/05/quay.png", ContentFile(helpers.png()))
    portrait = default_storage.save("authors/amina.png", ContentFile(helpers.png(8, 8)))
    section = Category.objects.create(name="Naval", slug="naval")
    amina = Author.objects.create(
        display_name="Amina Rauf", slug="amina", photo=portrait,
        photo_width=8, photo_height=8,
    )  # fmt: skip
    common = {"category": section, "author": amina, "status": "published"}
    Article.objects.create(
        headline="One", slug="one", featured_image=name, image_width=60,
        image_height=40, image_alt="The quay", image_caption="At dusk",
        image_credit="Staff", **common,
    )  # fmt: skip
    # The same file on a second story: one image (the first story's words).
    Article.objects.create(
        headline="Two", slug="two", featured_image=name, image_alt="Other", **common
    )
    Article.objects.create(
        headline="Lost", slug="lost", featured_image="articles/gone.jpg",
        image_width=30, image_height=20, image_alt="A file no longer there",
        **common,
    )  # fmt: skip
    Article.objects.create(headline="None", slug="none", **common)

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Image = new.get_model("media", "Image")
    Article = new.get_model("articles", "Article")
    Author = new.get_model("articles", "Author")
    one, two, lost, none = (
        Article.objects.get(slug=s) for s in ("one", "two", "lost", "none")
    )
    image = Image.objects.get(pk=one.featured_image_id)
    assert image.file.name == name  # the same file, not a copy
    assert (image.width, image.height) == (60, 40)
    assert (image.alt, image.caption, image.credit) == ("The quay", "At dusk", "Staff")
    assert len(image.digest) == 64
    assert two.featured_image_id == image.pk
    gone = Image.objects.get(pk=lost.featured_image_id)
    assert (gone.alt, gone.digest) == ("A file no longer there", "")
    assert none.featured_image_id is None
    photo = Image.objects.get(pk=Author.objects.get(slug="amina").photo_id)
    assert photo.file.name == portrait and photo.alt == "Portrait of Amina Rauf"
    assert Image.objects.count() == 3
