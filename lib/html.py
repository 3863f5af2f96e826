"""Sanitise HTML that comes from editors, imports or readers."""

from __future__ import annotations

import html
import re

import nh3
from django.utils.html import urlize

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del",
    "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr",
    "i", "img", "ins", "li", "mark", "ol", "p", "pre", "q", "s", "small", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}


#: Built once: nh3.clean() would build the same rules again for every call.
_BODY_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)


def clean_html(value: str) -> str:
    """Keep the markup an article body needs and drop everything else."""
    return _BODY_CLEANER.clean(value or "")


def clean_bio(value: str) -> str:
    """Biographies allow inline markup and links only."""
    return nh3.clean(
        value or "",
        tags={"a", "p", "em", "strong", "br", "i", "b"},
        attributes={"a": {"href"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def plain_text(value: str) -> str:
    """Text content of an HTML fragment, for excerpts and meta descriptions."""
    if not value:
        return ""
    spaced = _BLOCK_END.sub(" ", value or "")  # "One.</p><p>Two." -> "One. Two."
    text = html.unescape(nh3.clean(spaced, tags=set()))
    return " ".join(text.split())


_PARAGRAPHS = re.compile(r"\n\s*\n")
_BLOCK_END = re.compile(
    r"<(?:/p|br|/h[1-6]|/li|/blockquote|/figcaption|/td)\b[^>]*>", re.I
)


def text_to_html(text: str) -> str:
    """A reader's plain text as paragraphs with links (rel="nofollow ugc");
    nothing they type becomes markup."""
    parts = []
    for paragraph in _PARAGRAPHS.split((text or "").strip()):
        linked = urlize(paragraph, trim_url_limit=60, nofollow=True, autoescape=True)
        linked = linked.replace('rel="nofollow"', 'rel="nofollow ugc noopener"')
        parts.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return nh3.clean(
        "".join(parts),
        tags={"p", "br", "a"},
        attributes={"a": {"href", "rel"}},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )
