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


_BLOCKS = (
    "address|article|aside|blockquote|caption|dd|details|div|dl|dt|figcaption|"
    "figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|"
    "table|tbody|td|tfoot|th|thead|tr|ul"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCKS})\b[^>]*>)", re.I)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCKS})>)", re.I)
_STARTS_BLOCK = re.compile(rf"^</?(?:{_BLOCKS})\b", re.I)
_PRE = re.compile(r"<pre\b.*?</pre>", re.I | re.S)


def autop(text: str) -> str:
    """WordPress-style paragraphs for classic content."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    saved: list[str] = []

    def keep(match: re.Match[str]) -> str:
        saved.append(match[0])
        return f"\n\n<pre data-keep='{len(saved) - 1}'></pre>\n\n"

    text = _PRE.sub(keep, text)
    text = _BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _BLOCK_CLOSE.sub(r"\1\n\n", text)
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _STARTS_BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    result = "\n".join(out)
    return re.sub(r"<pre data-keep='(\d+)'></pre>", lambda m: saved[int(m[1])], result)


def comment_html(content: str) -> str:
    """A WordPress comment's text (a little markup allowed) as safe HTML."""
    content = (content or "").replace("\r\n", "\n").strip()
    if "<" not in content and "&" not in content:  # plain text: no parser needed
        if "\n" not in content:  # one paragraph (most comments)
            return "<p>" + html.escape(content, quote=False) + "</p>" if content else ""
        return "\n".join(
            "<p>"
            + html.escape(part.strip(), quote=False).replace("\n", "<br>\n")
            + "</p>"
            for part in re.split(r"\n\s*\n", content)
            if part.strip()
        )
    return nh3.clean(
        autop(content or ""),
        tags={"p", "br", "a", "em", "strong", "b", "i", "code", "blockquote", "q"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
