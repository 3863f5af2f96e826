"""Small WordPress exports written by the tests themselves (original content)."""

from __future__ import annotations

NS = "http://wordpress.org/export/1.2/"


def export(
    *parts: str,
    ns: str = NS,
    excerpt_ns: str | None = None,
    version: str | None = "1.2",
    site: str | None = "https://gazette.example",
    title: str = "Border Gazette",
    description: str = "Reporting from the frontier",
    declare: bool = True,
) -> bytes:
    """A WXR file: channel header, then `parts` (items, authors, terms)."""
    excerpt_ns = excerpt_ns or ns.rstrip("/") + "/excerpt/"
    names = (
        f'\n  xmlns:excerpt="{excerpt_ns}"'
        '\n  xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        '\n  xmlns:dc="http://purl.org/dc/elements/1.1/"'
        f'\n  xmlns:wp="{ns}"'
        if declare
        else f'\n  xmlns:wp="{ns}"'
    )
    head = [
        '<?xml version="1.0" encoding="UTF-8" ?>',
        f'<rss version="2.0"{names}>',
        "<channel>",
        f"<title>{title}</title>",
        f"<description>{description}</description>",
    ]
    if version is not None:
        head.append(f"<wp:wxr_version>{version}</wp:wxr_version>")
    if site:
        head += [
            f"<link>{site}</link>",
            f"<wp:base_site_url>{site}</wp:base_site_url>",
            f"<wp:base_blog_url>{site}</wp:base_blog_url>",
        ]
    return "\n".join([*head, *parts, "</channel>", "</rss>", ""]).encode()


def item(
    wp_id: int,
    title: str = "",
    *,
    content: str = "",
    status: str | None = "publish",
    post_type: str | None = "post",
    name: str | None = None,
    creator: str | None = "editor",
    date_gmt: str = "2024-05-02 09:00:00",
    terms: list[tuple[str, str, str]] = (),  # type: ignore[assignment]
    meta: dict[str, str] | None = None,
    extra: str = "",
) -> str:
    """One <item>; None leaves an element out."""
    lines = ["<item>", f"<title>{title or f'Story {wp_id}'}</title>"]
    if creator is not None:
        lines.append(f"<dc:creator><![CDATA[{creator}]]></dc:creator>")
    lines += [
        f'<guid isPermaLink="false">https://gazette.example/?p={wp_id}</guid>',
        f"<content:encoded><![CDATA[{content}]]></content:encoded>",
        f"<wp:post_id>{wp_id}</wp:post_id>",
        f"<wp:post_date_gmt>{date_gmt}</wp:post_date_gmt>",
    ]
    if name is not None:
        lines.append(f"<wp:post_name><![CDATA[{name}]]></wp:post_name>")
    if status is not None:
        lines.append(f"<wp:status>{status}</wp:status>")
    if post_type is not None:
        lines.append(f"<wp:post_type>{post_type}</wp:post_type>")
    for domain, nicename, text in terms:
        lines.append(
            f'<category domain="{domain}" nicename="{nicename}">'
            f"<![CDATA[{text}]]></category>"
        )
    for key, value in (meta or {}).items():
        lines.append(
            f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key>"
            f"<wp:meta_value><![CDATA[{value}]]></wp:meta_value></wp:postmeta>"
        )
    lines += [extra, "</item>"]
    return "\n".join(lines)


def author(login: str, display: str, user_id: int) -> str:
    return (
        f"<wp:author><wp:author_id>{user_id}</wp:author_id>"
        f"<wp:author_login>{login}</wp:author_login>"
        f"<wp:author_email>{login}@gazette.example</wp:author_email>"
        f"<wp:author_display_name><![CDATA[{display}]]></wp:author_display_name>"
        "</wp:author>"
    )


def category(term_id: int, nicename: str, name: str, parent: str = "") -> str:
    return (
        f"<wp:category><wp:term_id>{term_id}</wp:term_id>"
        f"<wp:category_nicename>{nicename}</wp:category_nicename>"
        f"<wp:category_parent>{parent}</wp:category_parent>"
        f"<wp:cat_name><![CDATA[{name}]]></wp:cat_name></wp:category>"
    )
