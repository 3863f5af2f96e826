"""export_wxr: WXR 1.2 out, and back in without losing anything."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command

from articles.models import Article, Author, Category, Tag
from comments.models import Comment
from importers import services
from importers.models import ImportedItem, OldLink, WordPressSite
from importers.tests.conftest import UPLOADS, run_import

WP = "{http://wordpress.org/export/1.2/}"


def snapshot() -> dict:
    """What a reader or editor would notice, without database ids."""

    def comment_key(c: Comment) -> tuple:
        parent = c.parent.body if c.parent else None
        return (c.author_name, c.author_email, c.author_url, c.body, c.status,
                c.created_at, parent, c.depth, c.ip_address)  # fmt: skip

    articles = {}
    for a in Article.objects.select_related("author", "category"):
        articles[a.slug] = {
            "headline": a.headline,
            "standfirst": a.standfirst,
            "body": a.body,
            "status": a.status,
            "published_at": a.published_at,
            "sticky": a.sticky,
            "comments_open": a.comments_open,
            "author": a.author.display_name,
            "category": a.category.slug,
            "tags": sorted(t.slug for t in a.tags.all()),
            "comment_count": a.comment_count,
            "comments": sorted(map(comment_key, a.comments.all()), key=str),
            "image": ((i.alt, i.caption, i.width) if (i := a.featured_image) else None),
        }
    return {
        "articles": articles,
        "authors": sorted(
            (a.display_name, a.slug, a.user.email if a.user else "")
            for a in Author.objects.select_related("user")
        ),
        "categories": sorted(
            (c.slug, c.name, c.description, c.parent.slug if c.parent else "")
            for c in Category.objects.select_related("parent")
        ),
        "tags": sorted(Tag.objects.values_list("slug", "name")),
        "pages": sorted(FlatPage.objects.values_list("url", "title", "content")),
    }


def empty_the_site() -> None:
    OldLink.objects.all().delete()
    ImportedItem.objects.all().delete()
    WordPressSite.objects.all().delete()
    Comment.objects.all().delete()
    Article.objects.all().delete()
    Category.objects.filter(parent__isnull=False).delete()
    Category.objects.all().delete()
    Tag.objects.all().delete()
    Author.objects.all().delete()
    FlatPage.objects.all().delete()
    get_user_model().objects.all().delete()


def test_round_trip_keeps_content_comments_authors_terms_and_dates(
    harbour, settings, tmp_path
):
    before = snapshot()
    out = io.StringIO()
    services.export_wxr(out)
    empty_the_site()
    assert Article.objects.count() == 0
    # The featured images come back from this site's media folder.
    run_import(out.getvalue().encode(), media_dir=settings.MEDIA_ROOT)
    after = snapshot()
    assert after["articles"].keys() == before["articles"].keys()
    for slug, fields in before["articles"].items():
        assert after["articles"][slug] == fields, slug
    assert after == before


def test_the_export_is_well_formed_wxr_1_2(harbour):
    out = io.StringIO()
    counts = services.export_wxr(out)
    root = ET.fromstring(out.getvalue().encode())
    channel = root.find("channel")
    assert channel.findtext(f"{WP}wxr_version") == "1.2"
    items = channel.findall("item")
    types = [i.findtext(f"{WP}post_type") for i in items]
    assert types.count("post") == Article.objects.count()
    assert types.count("page") == 1 and types.count("attachment") == 1
    assert counts["comments: approved"] == 2
    ids = [i.findtext(f"{WP}post_id") for i in items]
    assert len(set(ids)) == len(ids)  # WordPress keys items by ID


def test_text_that_would_end_a_cdata_section_survives(harbour):
    ferry = Article.objects.get(slug="night-ferry-returns")
    ferry.body = "<p>Use ]]> carefully &amp; bring \x07 nothing</p>"
    ferry.save()
    out = io.StringIO()
    services.export_wxr(out)
    root = ET.fromstring(out.getvalue().encode())
    bodies = [
        i.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
        for i in root.iter("item")
    ]
    assert any("Use ]]&gt; carefully" in b or "Use ]]> carefully" in b for b in bodies)


def test_the_command_writes_the_file_whole(harbour, tmp_path):
    target = tmp_path / "site.xml"
    stdout = io.StringIO()
    call_command("export_wxr", str(target), stdout=stdout)
    assert "posts: publish: 3" in stdout.getvalue()
    assert target.read_text().rstrip().endswith("</rss>")
    assert not (tmp_path / "site.xml.part").exists()
    assert UPLOADS.exists()
