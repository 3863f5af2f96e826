"""Embedded videos and social posts: which addresses are allowed, in what
canonical form they are stored, and what a reader's click may load.

A body stores an embed as a placeholder figure (see docs/architecture.md)::

    <figure class="embed" data-embed="youtube"
            data-embed-url="https://www.youtube.com/watch?v=ID">
      <a href="https://www.youtube.com/watch?v=ID">Watch on YouTube</a>
    </figure>

Nothing from the provider is loaded until the reader asks: videos then get
the provider's player in a frame (YouTube through youtube-nocookie.com, Vimeo
with dnt=1); social posts are never framed, their link opens the post on the
provider's site (their embeds need the provider's script, which tracks)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

#: Mastodon has no central host: the instances whose posts may be embedded.
MASTODON_HOSTS = frozenset(
    {"mastodon.social", "mastodon.online", "mstdn.social", "journa.host"}
)
#: The origins a reader's click may frame (the CSP's frame-src lists them).
FRAME_ORIGINS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")


@dataclass(frozen=True)
class Provider:
    name: str  # data-embed
    label: str  # shown to readers
    action: str  # the link's text
    frames: bool  # a click loads the provider's player in a frame


PROVIDERS = {
    p.name: p
    for p in (
        Provider("youtube", "YouTube", "Watch on YouTube", True),
        Provider("vimeo", "Vimeo", "Watch on Vimeo", True),
        Provider("x", "X", "View the post on X", False),
        Provider("bluesky", "Bluesky", "View the post on Bluesky", False),
        Provider("mastodon", "Mastodon", "View the post on Mastodon", False),
        Provider("instagram", "Instagram", "View the post on Instagram", False),
    )
}


@dataclass(frozen=True)
class Embed:
    provider: Provider
    url: str  # canonical address of the video or post
    frame: str = ""  # what a click loads in a frame ("" for social posts)


#: A provider's reader of one address: (host, path, query) -> its embed.
Parser = Callable[[str, str, str], Embed | None]

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_PATH = re.compile(r"/(?:shorts|embed|live|v)/([A-Za-z0-9_-]{11})/?")
_VIMEO_PATH = re.compile(r"/(?:video/)?(\d{1,12})(?:/([0-9a-f]{6,20}))?/?")
_X_PATH = re.compile(r"/([A-Za-z0-9_]{1,15})/status/(\d{1,20})/?")
_BLUESKY_PATH = re.compile(r"/profile/([A-Za-z0-9.:-]{1,253})/post/([a-z0-9]{1,20})/?")
_MASTODON_PATH = re.compile(r"/@([A-Za-z0-9_]{1,30})/(\d{1,20})/?")
_INSTAGRAM_PATH = re.compile(r"/(p|reel)/([A-Za-z0-9_-]{1,40})/?")


def _youtube(host: str, path: str, query: str) -> Embed | None:
    video = ""
    if host == "youtu.be":
        video = path.strip("/")
    elif path in ("/watch", "/watch/"):
        video = (parse_qs(query).get("v") or [""])[0]
    elif found := _YOUTUBE_PATH.fullmatch(path):
        video = found[1]
    if not _YOUTUBE_ID.fullmatch(video):
        return None
    return Embed(
        PROVIDERS["youtube"],
        f"https://www.youtube.com/watch?v={video}",
        f"https://www.youtube-nocookie.com/embed/{video}",
    )


def _vimeo(host: str, path: str, query: str) -> Embed | None:
    if host == "player.vimeo.com" and not path.startswith("/video/"):
        return None
    found = _VIMEO_PATH.fullmatch(path)
    if not found:
        return None
    video, private = found[1], found[2]
    url = f"https://vimeo.com/{video}" + (f"/{private}" if private else "")
    frame = f"https://player.vimeo.com/video/{video}?" + (
        f"h={private}&dnt=1" if private else "dnt=1"
    )
    return Embed(PROVIDERS["vimeo"], url, frame)


def _post(provider: str, path: re.Pattern[str], address: str) -> Parser:
    """A social post: its path's parts put into the provider's address for
    it (`{0}`, `{1}`; `{host}`: the server it was posted on)."""

    def parse(host: str, found_path: str, query: str) -> Embed | None:
        found = path.fullmatch(found_path)
        if not found:
            return None
        return Embed(PROVIDERS[provider], address.format(*found.groups(), host=host))

    return parse


_x = _post("x", _X_PATH, "https://x.com/{0}/status/{1}")
_bluesky = _post("bluesky", _BLUESKY_PATH, "https://bsky.app/profile/{0}/post/{1}")
_mastodon = _post("mastodon", _MASTODON_PATH, "https://{host}/@{0}/{1}")
_instagram = _post("instagram", _INSTAGRAM_PATH, "https://www.instagram.com/{0}/{1}/")


_HOSTS = {
    "youtube.com": _youtube,
    "www.youtube.com": _youtube,
    "m.youtube.com": _youtube,
    "youtu.be": _youtube,
    "www.youtube-nocookie.com": _youtube,
    "vimeo.com": _vimeo,
    "www.vimeo.com": _vimeo,
    "player.vimeo.com": _vimeo,
    "x.com": _x,
    "www.x.com": _x,
    "twitter.com": _x,
    "www.twitter.com": _x,
    "mobile.twitter.com": _x,
    "bsky.app": _bluesky,
    "instagram.com": _instagram,
    "www.instagram.com": _instagram,
    **dict.fromkeys(MASTODON_HOSTS, _mastodon),
}


def parse_embed(url: str) -> Embed | None:
    """The embed an address stands for, or None when it is not one of an
    allowed provider's videos or posts."""
    url = (url or "").strip()
    if len(url) > 500 or not url.lower().startswith(("https://", "http://")):
        return None
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if port not in (None, 80, 443) or parts.username or parts.password:
        return None
    handler = _HOSTS.get(host)
    return handler(host, parts.path, parts.query) if handler else None


_FIGURE = re.compile(r"<figure ([^>]*)>.*?</figure>", re.S)
_EMBED_URL = re.compile(r'\bdata-embed-url="([^"]*)"')


def replace_embeds(body: str, render: Callable[[Embed], str]) -> str:
    """The body with each embed figure (as clean_html writes them) replaced
    by render(embed); figures whose address is not an allowed one are left."""
    if 'class="embed"' not in body:
        return body

    def replace(match: re.Match[str]) -> str:
        found = _EMBED_URL.search(match[1])
        embed = parse_embed(html.unescape(found[1])) if found else None
        return render(embed) if embed else match[0]

    return _FIGURE.sub(replace, body)
