from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage

from articles.models import Article, Author, Category, Tag
from comments.models import Comment
from importers.models import ImportedItem
from importers.tests.conftest import UPLOADS, fixture_path, run_import

UTC = dt.UTC


def article(wp_id: int) -> Article:
    found = ImportedItem.objects.get(kind="post", wp_id=str(wp_id)).article
    assert found is not None
    return found


def comment(wp_id: int) -> Comment:
    post = ImportedItem.objects.get(kind="post", extra__comments__has_key=str(wp_id))
    return Comment.objects.get(pk=post.extra["comments"][str(wp_id)])


def test_statuses_map_to_newshub_and_wordpress_status_is_kept(harbour):
    assert article(101).status == Article.Status.PUBLISHED
    assert article(102).status == Article.Status.PUBLISHED
    assert article(103).status == Article.Status.DRAFT
    assert article(104).status == Article.Status.PENDING
    assert article(105).status == Article.Status.DRAFT
    assert ImportedItem.objects.get(kind="post", wp_id="105").extra["status"] == (
        "private"
    )
    scheduled = article(106)
    assert scheduled.status == Article.Status.SCHEDULED
    assert scheduled.published_at == dt.datetime(2099, 7, 1, 10, 0, tzinfo=UTC)
    assert not scheduled.is_live
    # Password-protected content must not become public.
    assert article(107).status == Article.Status.DRAFT
    assert harbour.counts["posts: publish"] == 4
    assert harbour.counts["posts: future"] == 1


def test_dates_keep_gmt_exactly_and_the_local_date_is_stored(harbour):
    ferry = article(101)
    assert ferry.published_at == dt.datetime(2019, 3, 16, 7, 30, tzinfo=UTC)
    extra = ImportedItem.objects.get(kind="post", wp_id="101").extra
    assert (extra["date"], extra["date_gmt"]) == (
        "2019-03-16 08:30:00",
        "2019-03-16 07:30:00",
    )
    # A draft with no GMT date floats, as in WordPress.
    assert article(103).published_at is None


def test_sticky_excerpt_slug_and_comment_switch(harbour):
    ferry = article(101)
    assert ferry.sticky and not article(102).sticky
    assert ferry.standfirst == "The night ferry is back."
    assert ferry.slug == "night-ferry-returns"
    assert ferry.comments_open and not article(102).comments_open
    assert article(108).slug == "kaffee-am-käi"
    assert article(103).slug == "draft-dredging-budget"


def test_authors_become_profiles_with_accounts_that_cannot_log_in(harbour):
    mara = Author.objects.get(display_name="Mara Wharton")
    assert article(101).author == mara
    user = mara.user
    assert user.username == "mwharton"
    assert user.email == "mwharton@harbour.example"
    assert (user.first_name, user.last_name) == ("Mara", "Wharton")
    assert not user.has_usable_password() and not user.is_staff
    # A login only named by dc:creator still gets a profile.
    assert article(108).author.display_name == "newcomer"


def test_categories_keep_hierarchy_slugs_and_descriptions(harbour):
    shipping = Category.objects.get(slug="shipping")
    assert shipping.parent.slug == "port"
    assert shipping.path == "port/shipping"
    assert Category.objects.get(slug="port").description == "Everything that floats"
    ferry = article(101)
    assert ferry.category == shipping
    extra = ImportedItem.objects.get(kind="post", wp_id="101").extra
    assert extra["more_categories"] == [Category.objects.get(slug="town-hall").pk]
    assert {t.name for t in ferry.tags.all()} == {"Ferries", "Tides"}
    tides = ImportedItem.objects.get(kind="tag", tag__slug="tides")
    assert tides.extra["description"] == "High and low water"


def test_classic_content_gets_paragraphs_figures_links_and_is_sanitised(harbour):
    body = article(101).body
    assert (
        "<p>The night ferry sailed again on Friday.<br>\n"
        "Passengers cheered on the quay.</p>" in body
    )
    assert (
        "<figure><img" in body and "<figcaption>The quay at dusk</figcaption>" in body
    )
    assert "<blockquote>We missed it more than we knew.</blockquote>" in body
    assert '<a href="https://video.example/watch/ferry"' in body
    assert '<a href="https://maps.example/quay"' in body
    assert "[caption" not in body and "[embed" not in body
    assert "<script" not in body and "onclick" not in body
    assert "<p>Timetables are posted at the kiosk.</p>" in body


def test_block_content_loses_its_delimiters_and_keeps_its_html(db, site_settings):
    run_import("blocks-1.2.xml")
    body = article(7).body
    assert "wp:" not in body and "<!--" not in body
    assert "<p>The new wall kept the river out overnight.</p>" in body
    assert "<figcaption>The wall at first light</figcaption>" in body
    assert "<ul><li>Sandbags: 400</li><li>Pumps: 6</li></ul>" in body
    assert '<a href="https://video.example/v/123"' in body
    # Block content has its paragraphs already: no extra <br> or <p>.
    assert "<br>" not in body and "<p><p>" not in body


def test_comments_keep_threads_status_author_and_dates(harbour):
    first, answer, question = comment(11), comment(12), comment(13)
    assert answer.parent == first and answer.thread == first and answer.depth == 2
    assert question.parent == answer and question.thread == first
    assert question.depth == 3
    assert first.status == Comment.Status.APPROVED
    assert question.status == Comment.Status.PENDING
    assert comment(14).status == Comment.Status.SPAM
    assert comment(15).status == Comment.Status.TRASH
    assert first.author_name == "Olwen"
    assert first.author_email == "olwen@reader.example"
    assert first.author_url == "https://olwen.example"
    assert first.ip_address == "203.0.113.9"
    assert answer.ip_address == "2001:db8::7"
    assert comment(14).ip_address is None
    assert first.created_at == dt.datetime(2019, 3, 16, 8, 0, tzinfo=UTC)
    assert answer.user == get_user_model().objects.get(username="mwharton")
    assert "<strong>late</strong>" in first.body_html
    first.save()  # as editing it in the admin does: the markup survives
    assert "<strong>late</strong>" in first.body_html
    assert answer.body_html == "<p>Thanks Olwen.</p>\n<p>See you on board.</p>"
    assert article(101).comment_count == 2  # approved only
    assert harbour.counts["comments: approved"] == 2
    assert harbour.skipped["pingback"] == 1


def test_a_reply_listed_before_its_parent_is_still_threaded(db, site_settings):
    run_import("blocks-1.2.xml")
    assert comment(3).parent == comment(2)
    assert comment(3).depth == 2


def test_replies_in_a_loop_are_imported_top_level_and_reported(db, site_settings):
    """Comment 3 answers 2 and 2 answers 3 (a broken or hostile export): both
    are kept, each starting a thread, the report says why, nothing half done."""
    xml = fixture_path("blocks-1.2.xml").read_bytes()
    looped = xml.replace(
        b"<wp:comment_parent>0</wp:comment_parent>",
        b"<wp:comment_parent>3</wp:comment_parent>",
        1,
    )
    assert looped != xml
    report = run_import(looped)
    assert comment(2).parent is None and comment(3).parent is None
    assert comment(2).depth == comment(3).depth == 1
    assert report.skipped["reply in a loop of replies: kept top-level"] == 2
    again = run_import(looped)  # idempotent, as any import
    assert again.skipped["reply in a loop of replies: kept top-level"] == 2
    assert Comment.objects.count() == 2


def test_media_is_copied_by_path_and_links_point_at_the_copies(harbour, settings):
    ferry = article(101)
    name = "wordpress/harbour-example/2019/03/harbour.png"
    image = ferry.featured_image
    assert image is not None
    assert image.file.name == name  # the copy is the library's file: no second
    assert (image.width, image.height) == (40, 30)
    assert image.alt == "The quay with the ferry moored"
    assert image.caption == "The quay at dusk"
    assert (settings.MEDIA_ROOT / name).read_bytes() == (
        UPLOADS / "2019/03/harbour.png"
    ).read_bytes()
    assert f'src="/media/{name}"' in ferry.body
    crane = article(102).body
    assert 'src="/media/wordpress/harbour-example/2019/03/dock-crane.png"' in crane
    assert "[gallery" not in crane
    assert "2018/01/gone.jpg" in harbour.missing_media


def test_importing_the_same_media_again_reuses_the_library_image(
    harbour, django_capture_on_commit_callbacks
):
    from media.models import Image

    image = article(101).featured_image
    assert image is not None and image.renditions  # made by the worker
    count = Image.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        run_import("classic-1.1.xml", media_dir=UPLOADS)
    assert Image.objects.count() == count
    assert article(101).featured_image == image


def test_an_attachment_that_is_not_an_image_is_no_featured_image(
    db, site_settings, tmp_path
):
    fake = tmp_path / "uploads" / "2019" / "03"
    fake.mkdir(parents=True)
    (fake / "harbour.png").write_bytes(b"<svg><script>alert(1)</script></svg>")
    report = run_import("classic-1.1.xml", media_dir=tmp_path / "uploads")
    assert article(101).featured_image is None
    (skipped,) = [s for s in report.skipped_items if "featured image" in s]
    assert "SVG images are not accepted" in skipped


def test_a_gallery_without_ids_shows_the_posts_attachments_in_file_order(
    db, site_settings, django_capture_on_commit_callbacks
):
    xml = fixture_path("classic-1.1.xml").read_bytes()
    xml = xml.replace(b'[gallery ids="202,999"]', b"[gallery]")
    # The harbour picture (listed first) also belongs to post 102 now.
    xml = xml.replace(
        b"<wp:post_parent>101</wp:post_parent>",
        b"<wp:post_parent>102</wp:post_parent>",
        1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_import(xml, media_dir=UPLOADS)
    crane = article(102).body
    first = crane.index("2019/03/harbour.png")
    assert first < crane.index("2019/03/dock-crane.png")
    assert "[gallery" not in crane


def test_without_a_media_folder_files_are_listed_missing_not_fatal(db, site_settings):
    report = run_import("classic-1.1.xml")
    assert "2019/03/harbour.png" in report.missing_media
    assert not article(101).featured_image
    assert "https://harbour.example/wp-content/uploads/2019/03/harbour.png" in (
        article(101).body
    )


def test_a_path_that_climbs_out_of_the_media_folder_is_refused(
    db, site_settings, settings, tmp_path
):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not yours")
    data = fixture_path("classic-1.1.xml").read_bytes()
    data = data.replace(b"[CDATA[2019/03/harbour.png]]", b"[CDATA[../../secret.png]]")
    report = run_import(data, media_dir=UPLOADS / "2019")
    assert "../../secret.png" in report.missing_media
    assert not any((settings.MEDIA_ROOT).rglob("secret.png"))


def test_pages_become_flat_pages_at_their_old_address(harbour, client):
    page = FlatPage.objects.get(url="/about/")
    assert page.title == "About the Gazette"
    assert not page.registration_required
    response = client.get("/about/")
    assert response.status_code == 200
    assert "We report on the harbour." in response.content.decode()
    assert harbour.skipped["pages take no comments"] == 1


def test_nested_page_keeps_its_path(db, site_settings, client):
    run_import("blocks-1.2.xml")
    assert client.get("/about/contact/").status_code == 200


def test_the_report_counts_and_explains_what_was_skipped(harbour):
    assert harbour.counts["authors"] == 3
    assert harbour.counts["attachments"] == 2
    assert harbour.counts["pages: publish"] == 1
    assert harbour.counts["menu items"] == 1
    assert harbour.skipped["status 'auto-draft' (not content)"] == 1
    assert harbour.skipped["taxonomy post_format"] == 1
    assert harbour.counts["password-protected posts (kept as drafts)"] == 1
    text = harbour.text()
    assert "was password-protected: kept as a draft" in text
    assert "posts: publish: 4" in text and "2018/01/gone.jpg" in text


def _census() -> dict:
    return {
        "articles": Article.objects.count(),
        "comments": Comment.objects.count(),
        "authors": Author.objects.count(),
        "users": get_user_model().objects.count(),
        "categories": Category.objects.count(),
        "tags": Tag.objects.count(),
        "pages": FlatPage.objects.count(),
        "items": ImportedItem.objects.count(),
    }


def test_importing_again_updates_in_place_without_duplicates(harbour):
    before = _census()
    ferry_pk = article(101).pk
    first_comment = comment(11).pk
    data = fixture_path("classic-1.1.xml").read_bytes()
    data = data.replace(b"Night ferry returns after storm", b"Night ferry back after")
    data = data.replace(b"best part of my week", b"best part of my month")
    run_import(data, media_dir=UPLOADS)
    assert _census() == before
    assert article(101).pk == ferry_pk
    assert article(101).headline == "Night ferry back after repairs"
    assert comment(11).pk == first_comment
    assert "best part of my month" in comment(11).body
    assert comment(13).thread_id == first_comment


def test_a_second_site_with_the_same_ids_does_not_mix(harbour):
    before = _census()
    report = run_import("second-site-1.1.xml")
    after = _census()
    assert after["articles"] == before["articles"] * 2
    assert after["comments"] == before["comments"] * 2
    ferries = ImportedItem.objects.filter(kind="post", wp_id="101")
    assert ferries.count() == 2
    headlines = {i.article.headline for i in ferries}
    assert headlines == {
        "Night ferry returns after storm repairs",
        "Estuary ferry timetable",
    }
    # Slugs collided: the second site's article got a free one.
    slugs = {i.article.slug for i in ferries}
    assert "night-ferry-returns" in slugs and len(slugs) == 2
    assert report.skipped["already used by another site"] >= 1


def test_wxr_1_0_from_wordpress_2_imports(db, site_settings):
    report = run_import("wp2-1.0.xml")
    wheel = article(5)
    assert wheel.author.display_name == "miller"
    assert wheel.category.slug == "mill"
    assert [t.slug for t in wheel.tags.all()] == ["flour"]
    assert wheel.published_at == dt.datetime(2008, 6, 2, 10, 0, tzinfo=UTC)
    assert comment(1).author_url == ""  # WordPress 2's "http://" placeholder
    assert report.counts["posts: publish"] == 1


def test_a_real_wordpress_6_export_imports_completely(db, site_settings):
    data = fixture_path("real-wordpress-6.1.xml").read_bytes()
    report = run_import(data)
    assert report.counts["posts: publish"] == data.count(
        b"<wp:post_type><![CDATA[post]]>"
    )
    assert Comment.objects.count() == data.count(b"<wp:comment>")
    assert Author.objects.count() == data.count(b"<wp:author>")
    for item in ImportedItem.objects.filter(kind="post").select_related("article"):
        assert item.article.comment_count == len(item.extra["comments"])
        assert "wp:" not in item.article.body
    assert not report.skipped


def test_dry_run_reports_but_keeps_nothing(db, site_settings, settings):
    report = run_import("classic-1.1.xml", media_dir=UPLOADS, dry_run=True)
    assert report.dry_run and report.counts["posts: publish"] == 4
    assert _census()["articles"] == 0 and ImportedItem.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "wordpress").exists()
    assert report.text().startswith("DRY RUN")


def test_imported_articles_are_found_by_search(harbour, client):
    response = client.get("/search/", {"q": "kiosk timetables"})
    assert "Night ferry returns" in response.content.decode()


@pytest.mark.parametrize("path", ["/2019/03/16/night-ferry-returns/"])
def test_imported_article_page_renders(harbour, client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Finally! The" in response.content.decode()


def test_a_scheduled_post_is_published_by_the_scheduler_at_its_time(harbour):
    import time_machine

    from articles.tasks import publish_due_articles

    regatta = article(106)
    with time_machine.travel(dt.datetime(2099, 7, 1, 10, 0, 1, tzinfo=UTC)):
        assert publish_due_articles.call() == [regatta.pk]
        regatta.refresh_from_db()
        assert regatta.is_live
