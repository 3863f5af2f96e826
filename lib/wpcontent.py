"""Turn WordPress post and comment content into the clean HTML Newshub stores.

Classic content gets WordPress-style paragraphs (blank line: new paragraph, single
newline: line break, block-level markup left alone); block-editor content is
already HTML, so only its `<!-- wp:... -->` delimiters go. The shortcodes a news
site uses ([caption], [gallery], [embed]) become figures and links. Whatever
comes out is sanitised by lib.html.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import nh3

from lib.html import clean_html


@dataclass
class Image:
    url: str
    alt: str = ""
    caption: str = ""


#: Looks up an attachment by its WordPress ID (None when unknown).
ImageLookup = Callable[[int], Image | None]

_BLOCKS = (
    "address|article|aside|blockquote|caption|dd|details|div|dl|dt|figcaption|"
    "figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|summary|"
    "table|tbody|td|tfoot|th|thead|tr|ul"
)
_BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCKS})\b[^>]*>)", re.I)
_BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCKS})>)", re.I)
_STARTS_BLOCK = re.compile(rf"^</?(?:{_BLOCKS})\b", re.I)
_PRE = re.compile(r"<pre\b.*?</pre>", re.I | re.S)
_DELIMITER = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
_EMBED_WRAPPER = re.compile(
    r'<div class="wp-block-embed__wrapper">\s*(https?://[^\s<]+)\s*</div>'
)
_CAPTION = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.S | re.I)
_GALLERY = re.compile(r"\[gallery([^\]]*)\]", re.I)
_EMBED = re.compile(r"\[embed[^\]]*\]\s*(https?://[^\s\[]+)\s*\[/embed\]", re.I)
_LONE_URL = re.compile(r"^\s*(https?://[^\s<>\"']+)\s*$", re.M)
_ATTR = re.compile(r'(\w+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\'|(\S+))')
_IMG_OR_LINK = re.compile(
    r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.S
)


def has_blocks(content: str) -> bool:
    return "<!-- wp:" in content


def _attrs(raw: str) -> dict[str, str]:
    return {m[1].lower(): m[2] or m[3] or m[4] or "" for m in _ATTR.finditer(raw)}


def _link(url: str) -> str:
    safe = html.escape(url, quote=True)
    return f'<a href="{safe}">{safe}</a>'


def _caption(match: re.Match) -> str:
    attrs = _attrs(match[1])
    inner = match[2].strip()
    found = _IMG_OR_LINK.match(inner)
    image, text = (found[1], found[2].strip()) if found else ("", inner)
    text = text or html.escape(attrs.get("caption", ""))
    caption = f"<figcaption>{text}</figcaption>" if text else ""
    return f"\n\n<figure>{image}{caption}</figure>\n\n"


def _gallery(images: ImageLookup, attached: list[int]) -> Callable[[re.Match], str]:
    def render(match: re.Match) -> str:
        raw_ids = _attrs(match[1]).get("ids") or _attrs(match[1]).get("include", "")
        ids = [int(x) for x in re.findall(r"\d+", raw_ids)] or attached
        parts = []
        for wp_id in ids:
            image = images(wp_id)
            if image is None:
                continue
            alt = html.escape(image.alt, quote=True)
            parts.append(
                f'<img src="{html.escape(image.url, quote=True)}" alt="{alt}">'
            )
        if not parts:
            return ""
        return "\n\n<figure>" + "".join(parts) + "</figure>\n\n"

    return render


def autop(text: str) -> str:
    """WordPress-style paragraphs for classic content."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    saved: list[str] = []

    def keep(match: re.Match) -> str:
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


def to_html(
    content: str,
    *,
    images: ImageLookup = lambda _id: None,
    attached: list[int] | None = None,
    rewrite_url: Callable[[str], str] | None = None,
) -> str:
    """Clean HTML for a post's `content:encoded`."""
    content = content or ""
    blocks = has_blocks(content)
    if "[" in content:  # shortcodes
        content = _CAPTION.sub(_caption, content)
        content = _GALLERY.sub(_gallery(images, attached or []), content)
        content = _EMBED.sub(lambda m: f"\n\n<p>{_link(m[1])}</p>\n\n", content)
    if blocks:
        if "wp-block-embed__wrapper" in content:
            content = _EMBED_WRAPPER.sub(lambda m: _link(m[1]), content)
        content = _DELIMITER.sub("", content).strip()
    else:
        # WordPress turns a URL alone on its line into an embed; we link it.
        content = _LONE_URL.sub(lambda m: _link(m[1]), content)
        content = autop(content)
    if rewrite_url:
        content = rewrite_url(content)
    return clean_html(content)


def comment_html(content: str) -> str:
    """A WordPress comment's text (a little markup allowed) as safe HTML."""
    content = (content or "").replace("\r\n", "\n").strip()
    if "<" not in content and "&" not in content:  # plain text: no parser needed
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
