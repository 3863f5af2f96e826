"""Broken and hostile files: a clear error naming the line, nothing kept."""

from __future__ import annotations

import pytest

from articles.models import Article
from importers import services
from importers.models import ImportedItem, WordPressSite
from importers.tests.conftest import UPLOADS, fixture_path, run_import
from importers.wxr import WXRError

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">\n'
    b"<channel><wp:wxr_version>1.2</wp:wxr_version>\n"
    b"<wp:base_blog_url>https://x.example</wp:base_blog_url>\n"
)


def refused(data: bytes, **options) -> WXRError:
    with pytest.raises(WXRError) as caught:
        run_import(data, **options)
    assert Article.objects.count() == 0
    assert ImportedItem.objects.count() == 0
    assert WordPressSite.objects.count() == 0
    return caught.value


@pytest.mark.django_db
def test_an_external_entity_is_refused_and_nothing_is_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password")
    error = refused(
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://' + str(secret).encode() + b'">]>'
        b"<rss><channel><title>&xxe;</title></channel></rss>"
    )
    assert error.line == 2
    assert "document type declaration" in str(error)


@pytest.mark.django_db
def test_an_entity_expansion_bomb_is_refused():
    lols = b"".join(
        b'<!ENTITY lol%d "' % i + b"&lol%d;" % (i - 1) * 10 + b'">'
        for i in range(1, 10)
    )
    error = refused(
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY lol0 "lol">'
        + lols
        + b"]>\n<rss><channel><title>&lol9;</title></channel></rss>"
    )
    assert "not allowed" in str(error)


@pytest.mark.django_db
def test_an_external_dtd_is_refused():
    error = refused(
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">\n<rss/>'
    )
    assert "line 2" in str(error)


@pytest.mark.django_db(transaction=True)
def test_a_truncated_file_keeps_nothing_not_even_copied_media(
    monkeypatch, settings, site_settings
):
    monkeypatch.setattr(services, "BATCH", 1)  # posts are written before the end
    data = fixture_path("classic-1.1.xml").read_bytes()
    cut = data[: data.index(b"<title>Members only")]
    error = refused(cut, media_dir=UPLOADS)
    assert "ends too early" in error.reason
    assert "expected </item>" in error.reason
    assert error.line == cut.count(b"\n") + 1
    assert not list((settings.MEDIA_ROOT / "wordpress").rglob("*.png"))


@pytest.mark.django_db
def test_a_mismatched_tag_names_the_line_and_the_expected_tag():
    error = refused(HEAD + b"<item><title>A</item></title></channel></rss>")
    assert error.line == 5
    assert "expected </title>" in str(error)


@pytest.mark.django_db
def test_an_html_page_is_not_an_export():
    error = refused(b"<html><body><p>Hello</p></body></html>")
    assert "expected <rss>" in str(error) and "found <html>" in str(error)


@pytest.mark.django_db
def test_a_plain_rss_feed_is_not_an_export():
    error = refused(
        b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Feed</title>\n'
        b"<item><title>Post</title><link>https://x.example/a</link></item>"
        b"</channel></rss>"
    )
    assert "expected <wp:wxr_version>" in str(error)
    assert error.line == 3


@pytest.mark.django_db
def test_a_latin1_file_that_claims_utf8_names_the_encoding():
    error = refused(HEAD + b"<item><title>Caf\xe9</title></item></channel></rss>")
    assert error.line == 5
    assert "not valid UTF-8" in str(error)


@pytest.mark.django_db
def test_a_latin1_file_that_says_so_is_read(site_settings):
    data = HEAD.replace(b"UTF-8", b"ISO-8859-1") + (
        b"<item><title>Caf\xe9 opens</title><wp:post_id>1</wp:post_id>"
        b"<wp:post_type>post</wp:post_type><wp:status>publish</wp:status>"
        b"<wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt>"
        b"</item></channel></rss>"
    )
    run_import(data)
    assert Article.objects.get().headline == "Café opens"


@pytest.mark.django_db
def test_an_unknown_encoding_is_named():
    error = refused(HEAD.replace(b"UTF-8", b"x-martian") + b"</channel></rss>")
    assert "x-martian" in str(error)


@pytest.mark.django_db
def test_an_empty_file_says_so():
    assert "empty" in str(refused(b""))


@pytest.mark.django_db
def test_binary_garbage_is_refused():
    error = refused(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert error.line == 1


@pytest.mark.django_db
def test_an_unsupported_version_is_named():
    error = refused(HEAD.replace(b">1.2<", b">9.9<") + b"</channel></rss>")
    assert "'9.9'" in str(error)


@pytest.mark.django_db
def test_an_oversized_field_is_cut_not_fatal(site_settings):
    title = b"T" * 5000
    run_import(
        HEAD
        + b"<item><title>"
        + title
        + b"</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>"
        b"<wp:status>publish</wp:status></item></channel></rss>"
    )
    assert len(Article.objects.get().headline) == 250


@pytest.mark.django_db
def test_errors_deep_in_a_large_file_name_their_line(site_settings):
    # Past the first item the fast parser reads the file; its errors read the same.
    data = fixture_path("classic-1.1.xml").read_bytes()
    # A long second post: the error lies beyond the chunk where the first item
    # ends, which is as far as the guard reads.
    data = data.replace(b"The crane arrives", b"word " * 20_000 + b"The crane", 1)
    mark = data.index(b"Lamps on the pier.")
    line = data[:mark].count(b"\n") + 1
    bad_tag = data.replace(b">pier-lighting<", b">pier-<b>lighting<")
    error = refused(bad_tag)
    assert error.line == line + 4  # the wp:post_name line below the content
    assert error.reason == "mismatched tag: expected </b>"
    bad_byte = data.replace(b"Lamps on the pier.", b"Lamps on the pi\xe9r.")
    error = refused(bad_byte)
    assert error.line == line and "not valid UTF-8" in error.reason
