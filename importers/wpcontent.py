"""Turn WordPress post and comment content into the clean HTML Newshub stores.

Classic content gets WordPress-style paragraphs (blank line: new paragraph, single
newline: line break, block-level markup left alone); block-editor content is
already HTML, so only its `<!-- wp:... -->` delimiters go. The shortcodes a news
site uses ([caption], [gallery], [embed]) become figures and links. Whatever
comes out is sanitised by lib.html.

`prepare` works out everything a post item of an export says on its own (its
fields, clean body, excerpt, slug, old addresses and its comments' HTML), with
no database: the importer may run it in a second process (importers.wxr.read_prepared).
"""

from __future__ import annotations

import html
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit

from django.utils.text import slugify

from lib.html import autop, clean_html, comment_html, plain_text


@dataclass
class Image:
    url: str
    alt: str = ""
    caption: str = ""


#: Looks up an attachment by its WordPress ID (None when unknown).
ImageLookup = Callable[[int], Image | None]

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


def to_html(
    content: str,
    *,
    images: ImageLookup = lambda _id: None,
    attached: list[int] | None = None,
    rewrite_url: Callable[[str], str] | None = None,
) -> str:
    """Clean HTML for a post's `content:encoded`."""
    content = convert(content, images=images, attached=attached)
    if rewrite_url:
        content = rewrite_url(content)
    return clean_html(content)


def convert(
    content: str,
    *,
    images: ImageLookup = lambda _id: None,
    attached: list[int] | None = None,
) -> str:
    """`content:encoded` as HTML, before its media addresses are rewritten and
    it is sanitised (to_html does both)."""
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
    return content


# ----------------------------------------------------------------- items
#: Query-string links of WordPress, answered with a 301 (see importers).
QUERY_KEYS = ("p", "page_id", "cat", "tag", "author", "attachment_id")
_IPV4 = re.compile(
    r"(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}"
)
_UPLOADS = "/wp-content/uploads/"


def old_path(url: str) -> str | None:
    """The key an old address is stored and looked up under: '?p=12' for
    WordPress's query links, else the unquoted path with one trailing slash."""
    parts = urlsplit(url or "")
    for key, value in parse_qsl(parts.query):
        if key in QUERY_KEYS and value:
            return f"?{key}={value}"
    path = unquote(parts.path).rstrip("/")
    return (path + "/")[:500] if path else None


def clean_url(value: str) -> str:
    value = value.strip()
    # WordPress 2.x stored the form's placeholder "http://" for "no website".
    return "" if value in ("http://", "https://") else value[:200]


def clean_ip(value: str) -> str | None:
    value = (value or "").strip()
    if _IPV4.fullmatch(value):  # the common case, without ipaddress's cost
        return value
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def to_int(value: str, default: int = 0) -> int:
    try:
        return int(value.strip())
    except (ValueError, AttributeError):
        return default


class CommentData(NamedTuple):
    """One <wp:comment> as read: ids as numbers, text fields cut to size."""

    wp_id: int  # -1 when missing
    kind: str  # wp:comment_type: "" or "comment" for comments
    parent: int
    author: str
    email: str
    url: str
    ip: str | None
    user_id: str
    approved: str
    date: str
    date_gmt: str
    body: str
    body_html: str  # "" for what is not imported (pingbacks, no id)


@dataclass(slots=True)
class PostData:
    """A post item worked out on its own. `get` answers like the element's
    (importers.wxr.Node.get) for its scalar fields; `body` is None when it needs the
    rest of the file (a gallery, media to copy) and is left to the importer,
    with `content:encoded` then kept in `fields`."""

    wp_id: int
    fields: dict[str, str]
    categories: list[tuple[str | None, str | None, str]]  # domain, nicename, text
    meta: dict[str, str]
    comments: list[CommentData]
    body: str | None
    standfirst: str
    slug: str
    paths: list[str] = field(default_factory=list)  # old addresses: link, guid
    tag: str = "item"

    def get(self, tag: str, default: str = "") -> str:
        return self.fields.get(tag, default)


def _comment(c) -> CommentData:
    get = c.texts().get
    kind = get("wp:comment_type", "")
    wp_id = to_int(get("wp:comment_id", ""), -1)
    body = get("wp:comment_content", "")
    wanted = kind in ("", "comment") and wp_id >= 0
    return CommentData(
        wp_id,
        kind,
        to_int(get("wp:comment_parent", "")),
        get("wp:comment_author", "")[:100] or "Anonymous",
        get("wp:comment_author_email", "")[:254],
        clean_url(get("wp:comment_author_url", "")),
        clean_ip(get("wp:comment_author_IP", "")),
        get("wp:comment_user_id", ""),
        get("wp:comment_approved", "0"),
        get("wp:comment_date", ""),
        get("wp:comment_date_gmt", ""),
        body,
        comment_html(body) if wanted else "",
    )


def prepare(node):
    """A post item (importers.wxr.Node) as PostData; anything else as it is."""
    if node.tag != "item" or (node.get("wp:post_type").strip() or "post") != "post":
        return node
    fields = node.texts()
    categories, meta, comments = [], {}, []
    for tag in ("category", "wp:comment", "wp:postmeta"):
        if fields.pop(tag, None) is None:
            continue  # none of these
        for child in node.findall(tag):
            if tag == "category":
                attrs = child.attrs
                categories.append(
                    (attrs.get("domain"), attrs.get("nicename"), child.text)
                )
            elif tag == "wp:comment":
                comments.append(_comment(child))
            else:
                meta[child.get("wp:meta_key")] = child.get("wp:meta_value")
    wp_id = to_int(fields.get("wp:post_id", ""), -1)
    content = fields.get("content:encoded", "")
    body = None
    # A gallery needs images from anywhere in the file, an uploads address the
    # media copied by the importer: those bodies are left to it.
    if not ("[" in content and _GALLERY.search(content)):
        converted = convert(content)
        if _UPLOADS not in converted and ".files.wordpress.com/" not in converted:
            body = clean_html(converted)
            fields.pop("content:encoded", None)
    name, title = fields.get("wp:post_name"), fields.get("title", "")
    link, guid = fields.get("link", ""), fields.get("guid", "")
    link_path = old_path(link)
    slug = slugify(unquote(name) if name else slugify(title), allow_unicode=True)
    return PostData(
        wp_id=wp_id,
        fields=fields,
        categories=categories,
        meta=meta,
        comments=comments,
        body=body,
        standfirst=plain_text(fields.get("excerpt:encoded", "")),
        slug=slug[:200] or f"post-{wp_id}",
        paths=[link_path, link_path if guid == link else old_path(guid)],
    )


# ----------------------------------------------------------------- SEO, media
_YOAST_VARIABLE = re.compile(r"%%([A-Za-z0-9_]+)%%")
_RANK_MATH_VARIABLE = re.compile(r"%([a-z][a-z0-9_]*)(?:\([^()%]*\))?%")
SEPARATOR = "-"  # Yoast's and Rank Math's default %%sep%%
_SEP_MARK = "\x00"


def seo_text(template: str, values: dict[str, str]) -> str:
    """A Yoast SEO (`%%title%% %%sep%% %%sitename%%`) or Rank Math (`%title%`)
    title or description as the plugin shows it: known variables filled in
    from `values` (title, sitename, sitedesc, excerpt, category, date),
    %%sep%% as "-", anything else (page numbers, custom fields) dropped,
    with no separator left dangling."""
    if "%" not in template:
        return " ".join(html.unescape(template).split())

    def fill(match: re.Match) -> str:
        name = match[1].lower()
        if name == "sep":
            return _SEP_MARK
        if name == "primary_category":
            name = "category"
        return values.get(name, "")

    text = _RANK_MATH_VARIABLE.sub(fill, _YOAST_VARIABLE.sub(fill, template))
    parts = [" ".join(html.unescape(p).split()) for p in text.split(_SEP_MARK)]
    return f" {SEPARATOR} ".join(p for p in parts if p)


_SERIALIZED_CREDIT = re.compile(r's:6:"credit";s:(\d+):"')


def image_credit(meta: dict[str, str]) -> str:
    """An attachment's credit: from a media-credit plugin's field, or the
    IPTC credit WordPress keeps in its serialized metadata."""
    for key in ("_media_credit", "_navis_media_credit", "_wp_attachment_source_name"):
        if (meta.get(key) or "").strip():
            return plain_text(meta[key]).strip()
    raw = meta.get("_wp_attachment_metadata") or ""
    found = _SERIALIZED_CREDIT.search(raw)
    if not found:
        return ""
    # PHP counts the string's length in bytes.
    data = raw[found.end() :].encode()[: int(found[1])]
    return data.decode("utf-8", "ignore").strip()
