"""What newsrooms keep in WordPress plugins: bylines, SEO, sections, menus."""

from __future__ import annotations

import json
import re

from django.conf import settings

from articles.models import Article, Author, Category
from articles.services import nav_sections
from core.models import SiteSettings
from importers.models import ImportedItem
from importers.tests.conftest import UPLOADS, run_import
from importers.tests.wxr_builder import author, category, export, item


def article(wp_id: int) -> Article:
    found = ImportedItem.objects.get(kind="post", wp_id=str(wp_id)).article
    assert found is not None
    return found


def bylines(story: Article) -> list[str]:
    return [a.display_name for a in story.all_authors()]


def guest_author(wp_id: int, login: str, display: str, bio: str) -> str:
    return item(
        wp_id, display, post_type="guest-author", name=f"cap-{login}",
        meta={"cap-user_login": login, "cap-display_name": display,
              "cap-first_name": display.split()[0], "cap-description": bio},
    )  # fmt: skip


def test_co_authors_plus_keeps_every_byline_guests_included(db, site_settings):
    data = export(
        author("ivarga", "Ines Varga", 3),
        author("okone", "Obi Kone", 4),
        item(
            1, "Joint patrol", creator="ivarga",
            terms=[("author", "cap-okone", "okone"),
                   ("author", "cap-ivarga", "ivarga"),
                   ("author", "cap-lnour", "lnour")],
        ),
        # The guest author's own item comes after the post that names it.
        guest_author(90, "lnour", "Layla Nour", "Freelance in the north."),
    )  # fmt: skip
    report = run_import(data)
    story = article(1)
    assert bylines(story) == ["Obi Kone", "Ines Varga", "Layla Nour"]
    guest = Author.objects.get(display_name="Layla Nour")
    assert guest.user is None and guest.bio == "Freelance in the north."
    assert report.counts["co-authored posts"] == 1
    assert "taxonomy author" not in report.text()
    # Importing again changes nothing.
    run_import(data)
    assert bylines(article(1)) == ["Obi Kone", "Ines Varga", "Layla Nour"]
    assert Author.objects.filter(display_name="Layla Nour").count() == 1


def test_publishpress_authors_terms_with_users_and_guests(db, site_settings):
    term = (
        "<wp:term><wp:term_id>{id}</wp:term_id><wp:term_taxonomy>author"
        "</wp:term_taxonomy><wp:term_slug>{slug}</wp:term_slug><wp:term_name>"
        "<![CDATA[{name}]]></wp:term_name>{meta}</wp:term>"
    )
    meta = (
        "<wp:termmeta><wp:meta_key>{key}</wp:meta_key><wp:meta_value>"
        "<![CDATA[{value}]]></wp:meta_value></wp:termmeta>"
    )
    data = export(
        author("ivarga", "Ines Varga", 3),
        term.format(id=40, slug="ines-v", name="Ines V.",
                    meta=meta.format(key="user_id", value="3")),
        term.format(id=41, slug="the-desk", name="The Defence Desk",
                    meta=meta.format(key="description", value="Our team.")),
        item(2, "Budget lines", creator="ivarga",
             terms=[("author", "ines-v", "Ines V."),
                    ("author", "the-desk", "The Defence Desk")]),
    )  # fmt: skip
    run_import(data)
    assert bylines(article(2)) == ["Ines Varga", "The Defence Desk"]
    assert Author.objects.get(display_name="The Defence Desk").bio == "Our team."


def test_yoast_title_template_and_description_reach_the_page(db, site_settings, client):
    data = export(
        category(5, "frontier", "Frontier"),
        item(
            3, "Bridge reopens", content="Cars cross again.",
            terms=[("category", "frontier", "Frontier")],
            meta={
                "_yoast_wpseo_title": "%%title%% %%page%% %%sep%% %%sitename%%",
                "_yoast_wpseo_metadesc": "The old bridge carries traffic again.",
            },
        ),
        item(
            4, "Rank Math story", content="Text.",
            meta={"rank_math_title": "%title% %sep% %category% %sep% %pagenumber%",
                  "rank_math_description": "Rank &amp; file."},
        ),
    )  # fmt: skip
    run_import(data)
    story = article(3)
    assert story.seo_title == "Bridge reopens - Border Gazette"
    assert story.seo_description == "The old bridge carries traffic again."
    assert article(4).seo_title == "Rank Math story - Uncategorized"
    assert article(4).seo_description == "Rank & file."
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<title>Bridge reopens - Border Gazette</title>" in html
    assert '<meta name="description" content="The old bridge carries' in html
    assert '<meta property="og:title" content="Bridge reopens - Border Gazette">' in (
        html
    )
    assert "%%" not in html
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    news = next(b for b in map(json.loads, blocks) if b.get("@type") == "NewsArticle")
    assert news["description"] == "The old bridge carries traffic again."


def test_the_primary_category_becomes_the_section(db, site_settings):
    data = export(
        category(5, "frontier", "Frontier"),
        category(6, "economy", "Economy"),
        item(
            1, "Tariffs at the border",
            terms=[("category", "economy", "Economy"),
                   ("category", "frontier", "Frontier")],
            meta={"_yoast_wpseo_primary_category": "5"},
        ),
        item(2, "Other", terms=[("category", "economy", "Economy"),
                                ("category", "frontier", "Frontier")],
             meta={"rank_math_primary_category": "6"}),
    )  # fmt: skip
    run_import(data)
    assert article(1).category.slug == "frontier"
    extra = ImportedItem.objects.get(kind="post", wp_id="1").extra
    assert extra["more_categories"] == [Category.objects.get(slug="economy").pk]
    assert article(2).category.slug == "economy"


def test_featured_image_keeps_caption_and_credit(db, site_settings):
    # PHP's serialized metadata counts bytes: "Ünal / Gazette" is 15.
    serialized = (
        'a:2:{s:5:"width";i:40;s:10:"image_meta";a:2:{s:6:"credit";'
        's:15:"Ünal / Gazette";s:7:"caption";s:0:"";}}'
    )
    attachment = item(
        201, "Quay", post_type="attachment", status="inherit",
        meta={"_wp_attached_file": "2019/03/harbour.png",
              "_wp_attachment_metadata": serialized},
        extra="<excerpt:encoded><![CDATA[The quay at dusk]]></excerpt:encoded>"
        "<wp:attachment_url>https://gazette.example/wp-content/uploads/2019/03/"
        "harbour.png</wp:attachment_url>",
    )  # fmt: skip
    plugin = item(
        202, "Quay two", post_type="attachment", status="inherit",
        meta={"_wp_attached_file": "2019/03/harbour.png",
              "_media_credit": "Staff photo"},
    )  # fmt: skip
    data = export(
        attachment,
        plugin,
        item(1, "With photo", meta={"_thumbnail_id": "201"}),
        item(2, "With plugin credit", meta={"_thumbnail_id": "202"}),
    )
    run_import(data, media_dir=UPLOADS)
    image = article(1).featured_image
    assert image is not None
    assert image.caption == "The quay at dusk"
    assert image.credit == "Ünal / Gazette"
    # The second attachment is the same file: the same library image (whose
    # words are the first attachment's).
    assert article(2).featured_image == image


def test_an_attachment_with_a_plugin_credit_keeps_it(db, site_settings):
    plugin = item(
        202, "Quay two", post_type="attachment", status="inherit",
        meta={"_wp_attached_file": "2019/03/harbour.png",
              "_media_credit": "Staff photo"},
    )  # fmt: skip
    run_import(
        export(plugin, item(2, "With plugin credit", meta={"_thumbnail_id": "202"})),
        media_dir=UPLOADS,
    )
    image = article(2).featured_image
    assert image is not None and image.credit == "Staff photo"


def menu_item(wp_id: int, order: int, term_id: int, menu: str, parent=0) -> str:
    return item(
        wp_id, "", post_type="nav_menu_item",
        terms=[("nav_menu", menu, menu.title())],
        meta={"_menu_item_type": "taxonomy", "_menu_item_object": "category",
              "_menu_item_object_id": str(term_id),
              "_menu_item_menu_item_parent": str(parent)},
        extra=f"<wp:menu_order>{order}</wp:menu_order>",
    )  # fmt: skip


def test_the_header_menu_orders_the_sections(db, site_settings):
    nav = (
        "<wp:term><wp:term_id>{id}</wp:term_id><wp:term_taxonomy>nav_menu"
        "</wp:term_taxonomy><wp:term_slug>{slug}</wp:term_slug><wp:term_name>"
        "{name}</wp:term_name></wp:term>"
    )
    data = export(
        category(5, "frontier", "Frontier"),
        category(6, "economy", "Economy"),
        category(7, "analysis", "Analysis"),
        category(8, "archive", "Archive"),
        nav.format(id=30, slug="footer", name="Footer"),
        nav.format(id=31, slug="main-menu", name="Main Menu"),
        menu_item(50, 1, 8, "footer"),
        menu_item(51, 2, 7, "main-menu"),
        menu_item(52, 1, 6, "main-menu"),
        menu_item(53, 3, 5, "main-menu"),
    )
    report = run_import(data)
    names = [section["name"] for section in nav_sections()]
    assert names[:3] == ["Economy", "Analysis", "Frontier"]
    assert set(names[3:]) == {"Archive"}
    assert "the sections of the menu 'Main Menu' come first" in report.text()
    assert report.counts["menu items"] == 4


def test_password_protected_posts_stay_drafts_with_a_note(db, site_settings):
    protected = item(
        1, "Members briefing", extra="<wp:post_password>secret</wp:post_password>"
    )
    report = run_import(export(protected))
    assert article(1).status == Article.Status.DRAFT
    assert "post 1 'Members briefing' was password-protected: kept as a draft" in (
        report.text()
    )


def test_custom_post_types_are_counted(db, site_settings):
    data = export(
        item(1, "Story"),
        item(2, "Event one", post_type="tribe_events"),
        item(3, "Event two", post_type="tribe_events"),
        item(4, "Old revision", post_type="revision", status="inherit"),
    )
    report = run_import(data)
    assert report.counts["custom post type 'tribe_events' (not imported)"] == 2
    assert "custom post type 'tribe_events' (not imported): 2" in report.text()
    assert report.skipped["post type 'revision' (not content)"] == 1


def test_site_name_and_tagline_come_along_when_still_the_defaults(db):
    run_import(export(item(1)))
    site = SiteSettings.load()
    assert (site.site_name, site.tagline) == (
        "Border Gazette", "Reporting from the frontier"
    )  # fmt: skip


def test_a_site_name_someone_chose_is_kept(db):
    site = SiteSettings.load()
    site.site_name = "Frontline Desk"
    site.save()
    run_import(export(item(1)))
    assert SiteSettings.load().site_name == "Frontline Desk"
    assert settings.SITE_NAME != "Frontline Desk"
