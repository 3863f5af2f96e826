"""Discoverability metadata: absolute URLs, ISO dates and schema.org JSON-LD.

The JSON-LD is built as Python data and serialised here, never assembled in a
template, and `<`, `>` and `&` are written as \\u003C, \\u003E and \\u0026 so that no
headline, standfirst or biography can close the <script> element. A
`<script type="application/ld+json">` is a data block: browsers do not run it, so
the Content Security Policy (`script-src 'self'`) does not need to allow it.

Everything reads only what the views already loaded (tags and co-authors are
prefetched by `Article.objects.for_page()`, the site settings are in the context):
these tags add no SQL queries.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Author, Category, Correction
from lib.html import plain_text as _plain_text
from media.models import Image
from media.services import large_fallback

register = template.Library()

SCHEMA = "https://schema.org"
PUBLISHER_LOGO = "img/publisher-logo.png"
PUBLISHER_LOGO_SIZE = (600, 60)

_JSON_SCRIPT_ESCAPES = {
    ord("<"): "\\u003C",
    ord(">"): "\\u003E",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


# Helpers (plain functions, usable from Python) ---------------------------------


def absolute(url: str | None) -> str:
    """`url` as an absolute URL on the public address (settings.SITE_URL), not
    the request's host. URLs that are already absolute are returned unchanged."""
    url = str(url or "")
    if url.startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        scheme = settings.SITE_URL.split(":", 1)[0] or "https"
        return f"{scheme}:{url}"
    if not url.startswith("/"):
        url = "/" + url
    return settings.SITE_URL + url


def iso8601(value: dt.datetime | None) -> str:
    """A moment in the site's time zone, to the second, with its UTC offset."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat()


def to_json_ld(data: dict[str, Any] | list[Any]) -> str:
    """JSON that is safe inside <script>…</script> (like Django's json_script)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return text.translate(_JSON_SCRIPT_ESCAPES)


def json_ld_scripts(*blocks: dict[str, Any]) -> SafeString:
    """One <script type="application/ld+json"> element per block."""
    return format_html_join(
        "\n",
        '<script type="application/ld+json">{}</script>',
        # to_json_ld escapes <, > and &, so the text cannot leave the element.
        ((mark_safe(to_json_ld(block)),) for block in blocks),
    )


_BLOCK_BOUNDARY = re.compile(r"<(/p|br|/li|/h\d|/div)\b", re.IGNORECASE)


def text_of(value: str | None) -> str:
    """The text of an HTML fragment on one line; paragraphs and line breaks
    become spaces ("<p>One.</p><p>Two.</p>" → "One. Two.")."""
    return _plain_text(_BLOCK_BOUNDARY.sub(r" <\1", value or ""))


def _site_name(site: Any) -> str:
    return getattr(site, "site_name", "") or settings.SITE_NAME


def image_object(image: Image, shape: str = "full") -> dict[str, Any]:
    """A library image as a schema.org ImageObject: a large JPEG rendition
    (or the original before they exist), with its size and caption."""
    url, width, height = large_fallback(image, shape)
    data: dict[str, Any] = {"@type": "ImageObject", "url": absolute(url)}
    if width and height:
        data |= {"width": width, "height": height}
    if image.caption:
        data["caption"] = image.caption
    return data


def publisher_logo() -> dict[str, Any]:
    width, height = PUBLISHER_LOGO_SIZE
    return {
        "@type": "ImageObject",
        "url": absolute(static(PUBLISHER_LOGO)),
        "width": width,
        "height": height,
    }


def organization(site: Any, *, with_context: bool = False) -> dict[str, Any]:
    data = {
        "@type": "Organization",
        "@id": absolute("/") + "#organization",
        "name": _site_name(site),
        "url": absolute("/"),
        "logo": publisher_logo(),
    }
    return {"@context": SCHEMA, **data} if with_context else data


def website(site: Any) -> dict[str, Any]:
    data = {
        "@context": SCHEMA,
        "@type": "WebSite",
        "@id": absolute("/") + "#website",
        "name": _site_name(site),
        "url": absolute("/"),
        "publisher": {"@id": absolute("/") + "#organization"},
        "potentialAction": {
            "@type": "SearchAction",
            "target": absolute("/") + "?s={search_term_string}",
            "query-input": "required name=search_term_string",
        },
    }
    if getattr(site, "tagline", ""):
        data["description"] = site.tagline
    return data


def person(author: Author, site: Any = None, *, full: bool = False) -> dict[str, Any]:
    """An author as a schema.org Person; `full` adds the biography, the photo and
    the employer, for the author's own page."""
    data: dict[str, Any] = {
        "@type": "Person",
        "name": author.display_name,
        "url": absolute(author.get_absolute_url()),
    }
    if author.role_line:
        data["jobTitle"] = author.role_line
    if full:
        data = {"@context": SCHEMA, **data}
        data["@id"] = data["url"] + "#person"
        bio = text_of(author.bio)
        if bio:
            data["description"] = bio
        if author.photo:
            data["image"] = image_object(author.photo, "square")
        if author.location:
            data["workLocation"] = {"@type": "Place", "name": author.location}
        data["worksFor"] = {
            "@type": "Organization",
            "name": _site_name(site),
            "url": absolute("/"),
        }
    return data


def category_chain(category: Category) -> list[Category]:
    """The category's ancestors, top first, then the category itself."""
    chain: list[Category] = []
    node: Category | None = category
    seen: set[int] = set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def correction_comment(note: Correction) -> dict[str, Any]:
    return {
        "@type": "CorrectionComment",
        "text": note.text,
        "datePublished": iso8601(note.published_at),
    }


def news_article(
    article: Article,
    authors: list[Author],
    site: Any,
    canonical: str,
    notes: Sequence[Correction] = (),
) -> dict[str, Any]:
    """NewsArticle; `notes`: the story's corrections and update notes (the
    corrections are listed; both moved its dateModified)."""
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": article.seo_description or article.excerpt,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "url": canonical,
    }
    if article.featured_image:
        data["image"] = image_object(article.featured_image)
    if article.published_at:
        data["datePublished"] = iso8601(article.published_at)
    if article.modified_at:
        data["dateModified"] = iso8601(article.modified_at)
    corrections = [n for n in notes if n.kind == Correction.Kind.CORRECTION]
    if corrections:
        data["correction"] = [correction_comment(n) for n in corrections]
    data["author"] = [person(a) for a in authors]
    publisher = organization(site)
    publisher.pop("@id")
    data["publisher"] = publisher
    data["articleSection"] = article.category.name
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        data["keywords"] = tags
    return data


def breadcrumbs(article: Article, canonical: str) -> dict[str, Any]:
    """Home → category (parents first) → article."""
    trail = [("Home", absolute("/"))]
    trail += [
        (c.name, absolute(c.get_absolute_url()))
        for c in category_chain(article.category)
    ]
    trail.append((article.headline, canonical))
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": url}
            for n, (name, url) in enumerate(trail, start=1)
        ],
    }


# Template tags and filters ------------------------------------------------------


@register.simple_tag
def absolute_url(path: str = "/") -> str:
    """{% absolute_url article.get_absolute_url %} → SITE_URL + path."""
    return absolute(path)


@register.simple_tag
def publisher_logo_url() -> str:
    return absolute(static(PUBLISHER_LOGO))


@register.filter
def iso_datetime(value: dt.datetime | None) -> str:
    """ISO 8601 in the site's time zone with its offset: 2025-07-04T00:30:00+05:00."""
    return iso8601(value)


@register.filter
def plain_text(value: str) -> str:
    """The text of an HTML fragment (e.g. an author's bio) without markup."""
    return text_of(value)


@register.simple_tag(takes_context=True)
def article_canonical_url(context: template.Context, article: Article) -> str:
    return context.get("canonical_url") or absolute(article.get_absolute_url())


@register.simple_tag(takes_context=True)
def archive_canonical_url(context: template.Context) -> str:
    """Page 1 of an archive is its base address; page N > 1 is itself."""
    base = context.get("base_path") or "/"
    page_obj = context.get("page_obj")
    number = getattr(page_obj, "number", 1)
    if number > 1:
        return absolute(f"{base}page/{number}/")
    return absolute(base)


@register.simple_tag(takes_context=True)
def article_json_ld(
    context: template.Context, article: Article, authors: list[Author] | None = None
) -> SafeString:
    """NewsArticle and BreadcrumbList for an article page."""
    if authors is None:
        authors = article.all_authors()
    canonical = article_canonical_url(context, article)
    site = context.get("site")
    # The page's view passes the notes it read (a function, called once).
    notes = context.get("corrections")
    if notes is None:
        notes = article.corrections.in_order() if article.pk else []
    elif callable(notes):
        notes = notes()
    return json_ld_scripts(
        news_article(article, list(authors), site, canonical, list(notes)),
        breadcrumbs(article, canonical),
    )


@register.simple_tag(takes_context=True)
def website_json_ld(context: template.Context) -> SafeString:
    """WebSite (with the site search) and Organization for the home page."""
    site = context.get("site")
    return json_ld_scripts(website(site), organization(site, with_context=True))


@register.simple_tag(takes_context=True)
def person_json_ld(context: template.Context, author: Author) -> SafeString:
    """Person for an author's archive page."""
    return json_ld_scripts(person(author, context.get("site"), full=True))
