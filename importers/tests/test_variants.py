"""Exports as WordPress's own importer reads them: namespace variants, WXR
versions, CDATA, slashes, UTF-8, missing parts, broken XML (--recover).

The cases follow the WordPress importer's parser tests (its phpunit/tests/
parser.php and data files); the files here are written for Newshub's tests."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Author, Category, Tag
from importers import services, wxr
from importers.models import ImportedItem, OldLink, WordPressSite
from importers.tests.conftest import run_import
from importers.tests.wxr_builder import author, category, export, item
from importers.wxr import WXRError


def article(wp_id: int) -> Article:
    found = ImportedItem.objects.get(kind="post", wp_id=str(wp_id)).article
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("ns", "version"),
    [
        ("https://wordpress.org/export/1.2/", "1.2"),  # WordPress.com
        ("http://wordpress.org/export/1.2/", "1.2"),
        ("http://wordpress.org/export/1.1/", "1.1"),
        ("http://wordpress.org/export/1.0/", "1.0"),
        ("https://wordpress.org/export/1.2", "1.2"),  # no trailing slash
    ],
)
def test_every_namespace_variant_imports(db, site_settings, ns, version):
    data = export(
        author("editor", "Ines Varga", 3),
        category(5, "frontier", "Frontier"),
        item(
            1, "Checkpoint reopens", content="Trucks queue again.",
            terms=[("category", "frontier", "Frontier")],
            extra="<excerpt:encoded><![CDATA[Queues are back.]]></excerpt:encoded>",
        ),
        ns=ns, version=version,
    )  # fmt: skip
    report = run_import(data)
    story = article(1)
    assert story.headline == "Checkpoint reopens"
    assert story.standfirst == "Queues are back."
    assert story.author.display_name == "Ines Varga"
    assert story.category.name == "Frontier"
    assert report.counts["posts: publish"] == 1


@pytest.mark.parametrize("version", [None, "abc", "9.9"])
def test_a_missing_or_invalid_version_is_refused_as_wordpress_does(db, version):
    with pytest.raises(WXRError) as caught:
        run_import(export(item(1), version=version))
    message = str(caught.value)
    assert "wxr_version" in message or repr(version) in message
    assert Article.objects.count() == 0


def test_an_item_without_status_or_type_is_a_draft_post(db, site_settings):
    report = run_import(export(item(7, "Notes from the pass", status=None,
                                    post_type=None)))  # fmt: skip
    assert article(7).status == Article.Status.DRAFT
    assert "item 7 'Notes from the pass': no wp:status" not in report.text()
    assert "post 7 'Notes from the pass': no wp:status, imported as a draft" in (
        report.text()
    )


def test_drafts_with_empty_or_repeated_names_get_their_own_slugs(db, site_settings):
    drafts = [
        item(n, "Untitled briefing", status="draft", name="", date_gmt="0000-00-00")
        for n in (11, 12, 13)
    ] + [
        item(14, "Two", status="draft", name="same"),
        item(15, "Three", status="draft", name="same"),
        item(16, "", status="draft", name=""),
    ]
    run_import(export(*drafts))
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 6
    assert article(11).slug == "untitled-briefing"
    assert article(14).slug == "same"


def test_the_same_post_listed_twice_imports_once(db, site_settings):
    report = run_import(export(item(21, "First copy"), item(21, "Second copy")))
    assert Article.objects.count() == 1
    assert article(21).headline == "First copy"
    assert "listed again in the export: the first is kept" in report.text()


def test_an_export_without_site_address_or_link_is_read(db, site_settings):
    report = run_import(
        export(
            item(1, "Relative life", content='<a href="/about/">About</a>'),
            site=None,
            title="Hill Notes",
        )  # fmt: skip
    )
    assert article(1).headline == "Relative life"
    assert 'href="/about/"' in article(1).body
    assert WordPressSite.objects.get().url == "wxr:hill-notes"
    assert "names no site address" in report.text()


def test_cdata_edge_cases_survive(db, site_settings):
    content = "Nested <![CDATA[ tags ]]]]><![CDATA[> stay :)"
    data = export(
        item(1, content=content,
             meta={"_yoast_wpseo_metadesc": "Ends with ]]]]><![CDATA[>"}),
        item(2, extra=""),
    ).replace(
        b"<wp:post_id>2</wp:post_id>",
        b"<wp:post_id>2</wp:post_id><wp:post_name><![CDATA[part-]]><![CDATA[two]]>"
        b"</wp:post_name>",
    )  # fmt: skip
    items = [el for el in wxr.read(io.BytesIO(data)) if el.tag == "item"]
    assert items[0].get("content:encoded") == "Nested <![CDATA[ tags ]]> stay :)"
    run_import(data)
    assert article(1).seo_description == "Ends with ]]>"
    assert article(2).slug == "part-two"  # two CDATA sections, one value


def test_backslashes_and_blank_lines_are_kept(db, site_settings):
    content = "Install to C:\\xampp\\htdocs first.\n\n\nThen run \\\\server\\share."
    run_import(export(item(1, content=content)))
    body = article(1).body
    assert "C:\\xampp\\htdocs" in body and "\\\\server\\share" in body
    assert body.count("<p>") == 2  # the blank line still parts two paragraphs


def test_challenging_utf8_is_kept(db, site_settings):
    title = "Road north 🌲 \u202eRTL\u202c السلام"
    zalgo = "T̷̢̯̭̈w̴̰̜̾o̷͉̅ roads 𝓣𝓮𝓼𝓽 🚀"
    data = export(
        author("editor", "Ädmin 🅰️", 2),
        item(1, title, content=zalgo, name="road-utf8-%f0%9f%92%ab-test"),
    )
    run_import(data)
    story = article(1)
    assert story.headline == title
    assert zalgo in story.body
    # A slug holds letters, digits and dashes: the emoji goes, the old
    # address still leads to the story.
    assert story.slug == "road-utf8-test"
    assert OldLink.objects.filter(path="?p=1").exists()
    assert Author.objects.get(display_name="Ädmin 🅰️")


def test_term_formats_with_spacing_and_cdata_all_import(db, site_settings):
    data = export(
        "<wp:category>\n\t<wp:term_id>1</wp:term_id>\n\t<wp:category_nicename>"
        "<![CDATA[category-name]]></wp:category_nicename>\n\t<wp:category_parent>"
        "<![CDATA[]]></wp:category_parent>\n\t<wp:cat_name><![CDATA[Category Name]]>"
        "</wp:cat_name>\n</wp:category>",
        "<wp:tag> <wp:term_id>3</wp:term_id>\n<wp:tag_slug><![CDATA[a-tag]]>"
        "</wp:tag_slug><wp:tag_name><![CDATA[A Tag!]]></wp:tag_name></wp:tag>",
        "<wp:term><wp:term_id><![CDATA[6]]></wp:term_id><wp:term_taxonomy>category"
        "</wp:term_taxonomy><wp:term_slug>via-term</wp:term_slug><wp:term_name>"
        "<![CDATA[Via Term]]></wp:term_name></wp:term>",
        "<wp:term><wp:term_id>7</wp:term_id><wp:term_taxonomy>post_tag"
        "</wp:term_taxonomy><wp:term_slug>sea</wp:term_slug><wp:term_name>Sea"
        "</wp:term_name></wp:term>",
    )
    report = run_import(data)
    assert set(Category.objects.values_list("name", flat=True)) == {
        "Category Name", "Via Term"
    }  # fmt: skip
    assert set(Tag.objects.values_list("name", flat=True)) == {"A Tag!", "Sea"}
    assert report.counts["categories"] == 2


def test_an_item_with_only_a_title_and_an_id_imports(db, site_settings):
    bare = (
        "<item><title>Bare</title><wp:post_id>5</wp:post_id>"
        "<wp:status>publish</wp:status></item>"
    )
    run_import(export(bare, site=None))
    assert article(5).headline == "Bare"
    assert article(5).author.display_name == "unknown"


def test_nonsense_values_become_report_lines_not_tracebacks(db, site_settings):
    odd = item(
        3, "Odd", date_gmt="yesterday",
        extra="<wp:comment><wp:comment_id>x</wp:comment_id></wp:comment>"
        "<wp:comment><wp:comment_id>9</wp:comment_id><wp:comment_parent>9"
        "</wp:comment_parent><wp:comment_date_gmt>never</wp:comment_date_gmt>"
        "<wp:comment_approved>1</wp:comment_approved></wp:comment>",
    )  # fmt: skip
    data = export(
        odd,
        item(4, post_type="product"),
        item(6, status="weird"),
        "<item><title>No id</title></item>",
        "<wp:term><wp:term_taxonomy>genre</wp:term_taxonomy></wp:term>",
    )
    report = run_import(data)
    assert article(3).headline == "Odd"
    text = report.text()
    assert "custom post type 'product' is not imported" in text
    assert "unknown status 'weird'" in text
    assert "no wp:post_id" in text
    assert "reply in a loop of replies" in text


STRAY = export(
    item(1, "Before"),
    item(2, "Fish & chips"),  # a stray '&' a plugin wrote
    item(3, "After"),
)


def test_a_stray_ampersand_stops_with_line_column_and_the_option(db, tmp_path):
    path = tmp_path / "stray.xml"
    path.write_bytes(STRAY)
    with pytest.raises(CommandError) as caught:
        call_command("import_wxr", str(path), stdout=io.StringIO())
    message = str(caught.value)
    line = STRAY[: STRAY.index(b"Fish &")].count(b"\n") + 1
    assert f"line {line}, column" in message
    assert "--recover" in message and "Nothing was imported" in message
    assert Article.objects.count() == 0


def test_recover_imports_the_rest_and_lists_what_it_could_not_read(
    db, site_settings, tmp_path
):
    path = tmp_path / "stray.xml"
    path.write_bytes(STRAY)
    out = io.StringIO()
    call_command("import_wxr", str(path), "--recover", stdout=out)
    assert Article.objects.count() == 3
    assert article(2).headline == "Fish  chips"  # the '&' could not be read
    text = out.getvalue()
    line = STRAY[: STRAY.index(b"Fish &")].count(b"\n") + 1
    assert "Could not be read as written (1;" in text
    assert f"line {line}, column" in text
    assert "xmlParseEntityRef" in text and "(in or after item 2 'Fish  chips')" in text


def test_recover_reads_a_truncated_file_up_to_the_break(db, site_settings):
    data = export(item(1, "Whole"), item(2, "Cut off"))
    cut = data[: data.index(b"Cut off") + 3]
    report = run_import(cut, recover=True)
    assert article(1).headline == "Whole"
    assert report.problems and "Premature end" in str(report.problems[-1])


def test_recover_reads_undeclared_prefixes(db, site_settings):
    # Hand-made exports declare only wp: WordPress's importer still reads them.
    data = export(item(1, "Plain", content="Body text"), declare=False)
    with pytest.raises(WXRError) as caught:
        run_import(data)
    assert caught.value.recoverable
    run_import(data, recover=True)
    assert "Body text" in article(1).body


def test_recover_still_refuses_a_document_type_declaration(db):
    data = STRAY.replace(
        b"<rss", b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<rss', 1
    )
    with pytest.raises(WXRError) as caught:
        run_import(data, recover=True)
    assert "document type declaration" in str(caught.value)
    assert Article.objects.count() == 0


def test_an_item_that_fails_is_reported_and_the_rest_imports(
    db, site_settings, monkeypatch
):
    fill = services.Importer._fill

    def fragile_fill(self, post, slug):
        if post.wp_id == 2:
            raise ValueError("odd value")
        return fill(self, post, slug)

    def fragile_page(self, el, wp_id):
        raise KeyError("template")

    monkeypatch.setattr(services.Importer, "_fill", fragile_fill)
    monkeypatch.setattr(services.Importer, "page", fragile_page)
    report = run_import(export(item(1), item(2), item(3),
                               item(4, "About", post_type="page")))  # fmt: skip
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "Story 1", "Story 3"
    ]  # fmt: skip
    text = report.text()
    assert "post 2: could not be imported (ValueError: odd value)" in text
    assert "<item> 4: could not be imported (KeyError: 'template')" in text
