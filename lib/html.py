"""Sanitise HTML that comes from editors, imports or readers."""

from __future__ import annotations

import html
import re

import nh3
from django.utils.html import urlize

from lib.embeds import PROVIDERS, parse_embed

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
#: What the body editor writes beyond plain markup (see docs/architecture.md):
#: a media-library image <figure class="image" data-image-id="12">, an embed
#: <figure class="embed" data-embed="youtube" data-embed-url="...">, a pull
#: quote <blockquote class="pullquote">, a credit <small class="credit">.
#: Classes are kept one by one; any other value of any attribute is dropped.
BODY_CLASSES = {
    "figure": {"image", "embed"},
    "blockquote": {"pullquote"},
    "small": {"credit"},
}
BODY_ATTRIBUTES = {
    **ALLOWED_ATTRIBUTES,
    "figure": {"data-image-id", "data-embed-url"},  # checked by _attribute
}
BODY_ATTRIBUTE_VALUES = {"figure": {"data-embed": set(PROVIDERS)}}
#: Deeper markup is not parsed: the HTML parser's cost grows with the square
#: of the depth (a 2 MB body of nested tags took minutes), and no story needs
#: more than a few dozen levels.
MAX_DEPTH = 500
_IMAGE_ID = re.compile(r"[1-9][0-9]{0,9}")


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Values the allow-lists cannot check: image ids are numbers, embed
    addresses an allowed provider's (stored in their canonical form)."""
    if tag != "figure":
        return value
    if name == "data-image-id":
        return value if _IMAGE_ID.fullmatch(value) else None
    if name == "data-embed-url":
        embed = parse_embed(value)
        return embed.url if embed else None
    return value


#: Built once: nh3.clean() would build the same rules again for every call.
_BODY_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=BODY_ATTRIBUTES,
    tag_attribute_values=BODY_ATTRIBUTE_VALUES,
    allowed_classes=BODY_CLASSES,
    attribute_filter=_attribute,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_FIGURE = re.compile(r"<figure ([^>]*)>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def _figure(match: re.Match[str]) -> str:
    """An embed is a figure with an allowed address: its class and provider
    follow from the address (a figure whose address was dropped is a plain
    figure with a link)."""
    attrs = dict(_ATTRIBUTE.findall(match[1]))
    classes = [c for c in attrs.pop("class", "").split() if c != "embed"]
    url = attrs.pop("data-embed-url", "")
    attrs.pop("data-embed", None)
    embed = parse_embed(html.unescape(url)) if url else None
    if embed:
        classes.append("embed")
    out = {"class": " ".join(classes)} if classes else {}
    out.update(attrs)
    if embed:
        out["data-embed"] = embed.provider.name
        out["data-embed-url"] = html.escape(embed.url)
    return "<figure" + "".join(f' {k}="{v}"' for k, v in out.items()) + ">"


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
#: Elements that never hold others, or whose end tag is implied by the next
#: one of their kind: they add no depth.
_FLAT = frozenset(
    "area base br col embed hr img input link meta source track wbr "
    "p li dt dd tr td th option optgroup rb rt rp tbody thead tfoot".split()
)


def nesting_depth(value: str) -> int:
    """How deep the markup nests, counting start and end tags (an upper
    bound for what the parser builds)."""
    if value.count("<") <= MAX_DEPTH:
        return min(value.count("<"), MAX_DEPTH)  # cannot be deeper: no scan
    depth = deepest = 0
    for closing, name in _TAG.findall(value):
        if name.lower() in _FLAT:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def too_deep(value: str) -> bool:
    return nesting_depth(value or "") > MAX_DEPTH


def clean_html(value: str) -> str:
    """Keep the markup an article body needs and drop everything else.
    Markup nested deeper than MAX_DEPTH is kept as its text only (forms
    refuse it first, with a message: too_deep)."""
    value = value or ""
    if too_deep(value):
        text = html.escape(" ".join(re.sub(r"<[^>]*>?", " ", value).split()))
        return f"<p>{text}</p>" if text else ""
    cleaned = _BODY_CLEANER.clean(value)
    return _FIGURE.sub(_figure, cleaned) if "<figure " in cleaned else cleaned


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
