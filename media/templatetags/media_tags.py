"""`{% picture %}`: an image of the library as <picture> with its renditions;
`|with_renditions`: the same for the figures in an article's body."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from media import services
from media.models import Image

register = template.Library()

#: `sizes` for each place a page shows an image (site.css's columns).
SIZES = {
    "card": "(max-width: 760px) 100vw, 300px",
    "lead": "(max-width: 760px) 100vw, 720px",
    "article": "(max-width: 760px) 100vw, 720px",
    "author": "96px",
    "body": "(max-width: 760px) 100vw, 720px",
}


@register.simple_tag
def picture(
    image: Image | None,
    shape: str = "full",
    *,
    sizes: str = "article",
    alt: str | None = None,
    loading: str = "lazy",
    css_class: str = "",
) -> SafeString:
    """<picture> with a <source> of the modern renditions and an <img> of the
    fallback ones, sized (no layout shift); the original file before the
    renditions exist."""
    if image is None:
        return SafeString("")
    return _markup(image, shape, SIZES.get(sizes, sizes), alt, loading, css_class)


def _markup(
    image: Image, shape: str, sizes: str, alt: str | None, loading: str, css: str
) -> SafeString:
    shown = services.picture(image, shape)
    text = image.alt if alt is None else alt
    img_attrs: dict[str, Any] = {
        "src": shown.src,
        "srcset": shown.fallback_srcset,
        "sizes": sizes if shown.fallback_srcset else "",
        "width": shown.width,
        "height": shown.height,
        "alt": text,
        "loading": loading,
        "decoding": "async",
        "class": css,
    }
    attrs = " ".join(
        f'{name}="{escape(value)}"'
        for name, value in img_attrs.items()
        if value not in ("", 0) or name == "alt"  # 0: a size never measured
    )
    source = ""
    if shown.modern_srcset:
        source = format_html(
            '<source type="{}" srcset="{}" sizes="{}">',
            shown.modern_type,
            shown.modern_srcset,
            sizes,
        )
    return mark_safe(f"<picture>{source}<img {attrs}></picture>")  # noqa: S308 (escaped above)


_FIGURE = services.BODY_FIGURE
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r'\balt="([^"]*)"', re.IGNORECASE)


@register.filter
def with_renditions(html: str) -> SafeString:
    """The body with each library figure's <img> made a <picture> of the
    image's renditions (one query for them all); a figure naming no image
    keeps the <img> it carries. The body was sanitised when saved."""
    ids = services.body_image_ids(html)
    if not ids:
        return mark_safe(html)  # noqa: S308 (sanitised on save)
    images = Image.objects.in_bulk(ids)

    def swap(match: re.Match[str]) -> str:
        image = images.get(int(match[2]))
        inner = match[3]
        found = _IMG.search(inner)
        if image is None or found is None:
            return match[0]
        alt_found = _ALT.search(found[0])
        alt = _unescape(alt_found[1]) if alt_found else image.alt
        shown = _markup(image, "full", SIZES["body"], alt or image.alt, "lazy", "")
        return (
            match[1] + inner[: found.start()] + shown + inner[found.end() :] + match[4]
        )

    return mark_safe(_FIGURE.sub(swap, html))  # noqa: S308 (sanitised on save)


def _unescape(text: str) -> str:
    import html as html_module

    return html_module.unescape(text)


@register.simple_tag
def initials(name: str, css_class: str = "") -> SafeString:
    """A tidy stand-in for a missing portrait: the name's initials on a
    circle tinted by the name (one of six classes; no inline style)."""
    words = [w for w in (name or "").replace("-", " ").split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:1] + words[1:][-1:]).upper() or "?"
    tint = sum(map(ord, name or "")) % 6
    return format_html(
        '<span class="{} initials initials--{}" aria-hidden="true">{}</span>',
        css_class,
        tint,
        letters,
    )


@register.simple_tag
def share_image(image: Image | None) -> dict[str, Any] | None:
    """A large JPEG (or PNG) of the image for shares and structured data:
    {url (site-relative or the storage's), width, height, alt}."""
    if image is None:
        return None
    url, width, height = services.large_fallback(image)
    return {"url": url, "width": width, "height": height, "alt": image.alt}
