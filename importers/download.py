"""Fetch an old WordPress site's media over HTTP (import_wxr --download-media).

For sites whose uploads folder cannot be copied (WordPress.com): each file is
fetched once into a folder that then serves as the import's media folder, so a
second run fetches only what is still missing. Files are fetched in parallel
(a thread pool), each within a size and a time limit, and kept only when they
are what their name says (an image must open as that kind of image).

Requests go to public addresses only, unless the operator allows private ones:
the host name is resolved here, every address it gives is checked, and the
connection is made to the checked address itself (so a name that resolves
differently a moment later cannot send the request elsewhere); each redirect
is checked the same way.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from PIL import Image

#: Formats Pillow reports for each image extension.
IMAGE_FORMATS = {
    "jpg": {"JPEG", "MPO"}, "jpeg": {"JPEG", "MPO"}, "jpe": {"JPEG", "MPO"},
    "png": {"PNG"}, "gif": {"GIF"}, "webp": {"WEBP"}, "bmp": {"BMP"},
    "tif": {"TIFF"}, "tiff": {"TIFF"}, "ico": {"ICO"}, "avif": {"AVIF"},
}  # fmt: skip
#: Never fetched: can carry scripts that would then be served from this site.
REFUSED_EXTENSIONS = {"svg", "svgz", "html", "htm", "js", "php", "xml"}
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """A file that was not fetched or not kept, and why."""


@dataclass
class Limits:
    max_bytes: int = 64 * 2**20
    timeout: float = 20.0  # seconds for connecting and for each read
    deadline: float = 120.0  # seconds for one whole file
    workers: int = 8
    max_redirects: int = 5
    #: Private, loopback, link-local and reserved addresses allowed: None for
    #: none, an empty list for all, or these networks only.
    allow_private: list[Network] | None = None


@dataclass
class Result:
    fetched: int = 0
    present: int = 0
    bytes: int = 0
    failed: list[str] = field(default_factory=list)  # "url: why"


def check_address(address: str, limits: Limits) -> Address:
    """The address as an ip_address, if requests may go there."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    real = mapped or ip
    if real.is_global and not real.is_multicast:
        return ip
    allowed = limits.allow_private
    same_kind = [net for net in allowed or () if net.version == real.version]
    if allowed is not None and (not allowed or any(real in n for n in same_kind)):
        return ip
    raise Refused(
        f"{real} is a private, loopback, link-local or reserved address "
        "(--allow-private-addresses permits it)"
    )


def resolve(host: str, port: int, limits: Limits) -> str:
    """One address of `host` that requests may go to (every address it
    resolves to is checked; the first allowed one is used)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"cannot resolve {host}: {exc}") from None
    refusal: Refused | None = None
    for _family, _type, _proto, _name, sockaddr in infos:
        try:
            check_address(str(sockaddr[0]), limits)
        except Refused as exc:
            refusal = exc
            continue
        return str(sockaddr[0])
    raise refusal or Refused(f"{host} has no address")


class _PinnedHTTP(http.client.HTTPConnection):
    """An HTTP connection to a checked address, whatever the name resolves to."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a checked address; the certificate is checked for the name."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def _open(url: str, limits: Limits) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("not an http(s) address")
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    address = resolve(parts.hostname, port, limits)
    kind = _PinnedHTTPS if secure else _PinnedHTTP
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return kind(parts.hostname, address, port, limits.timeout), path


def fetch(url: str, target: Path, limits: Limits) -> int:
    """Download `url` into `target` (through a .part file, renamed when
    complete and checked); the number of bytes. Raises Refused."""
    extension = target.suffix.lower().lstrip(".")
    if extension in REFUSED_EXTENSIONS:
        raise Refused(f".{extension} files are not downloaded (may carry scripts)")
    started = time.monotonic()
    for _hop in range(limits.max_redirects + 1):
        connection, path = _open(url, limits)
        try:
            try:
                connection.request(
                    "GET", path, headers={"User-Agent": "Newshub-import/1"}
                )
                response = connection.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                raise Refused(_network_error(exc)) from None
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise Refused(f"HTTP {response.status} without a Location")
                url = urljoin(url, location)
                continue  # the next address is checked like the first
            if response.status != 200:
                raise Refused(f"HTTP {response.status} {response.reason}")
            return _save(response, target, extension, limits, started)
        finally:
            connection.close()
    raise Refused(f"more than {limits.max_redirects} redirects")


def _network_error(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError | socket.timeout):
        return "timed out"
    return f"network error: {exc}"


def _save(response, target: Path, extension: str, limits: Limits, started: float):
    kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    image = extension in IMAGE_FORMATS
    if image and not kind.startswith("image/"):
        raise Refused(f"not an image: the server says {kind or 'nothing'}")
    if not image and kind in ("text/html", "application/xhtml+xml"):
        raise Refused("the server sent a web page, not the file")
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise Refused(f"larger than {limits.max_bytes:,} bytes ({int(declared):,})")
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.{threading.get_ident()}.part")
    size = 0
    try:
        with part.open("wb") as out:
            while True:
                if time.monotonic() - started > limits.deadline:
                    raise Refused(f"took longer than {limits.deadline:g} s")
                try:
                    block = response.read(1 << 16)
                except (OSError, http.client.HTTPException) as exc:
                    raise Refused(_network_error(exc)) from None
                if not block:
                    break
                size += len(block)
                if size > limits.max_bytes:
                    raise Refused(f"larger than {limits.max_bytes:,} bytes")
                out.write(block)
        if image:
            _verify_image(part, extension)
        os.replace(part, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
    return size


def _verify_image(path: Path, extension: str) -> None:
    try:
        with Image.open(path) as picture:
            found = picture.format
            picture.verify()
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds
        raise Refused(f"not a readable image ({exc.__class__.__name__})") from None
    if found not in IMAGE_FORMATS[extension]:
        raise Refused(f"a {found} image, not the .{extension} its name says")


def fetch_all(
    wanted: Iterable[tuple[str, Path]],
    limits: Limits,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Fetch each (url, target) whose target does not exist yet, in parallel."""
    result = Result()
    todo = []
    for url, target in wanted:
        if target.is_file():
            result.present += 1
        else:
            todo.append((url, target))
    lock = threading.Lock()
    done = [0]

    def one(job: tuple[str, Path]) -> None:
        url, target = job
        try:
            size = fetch(url, target, limits)
        except Refused as exc:
            with lock:
                result.failed.append(f"{url}: {exc}")
        else:
            with lock:
                result.fetched += 1
                result.bytes += size
        with lock:
            done[0] += 1
            if progress:
                progress(done[0], len(todo))

    if progress:
        progress(0, len(todo))
    with ThreadPoolExecutor(max_workers=max(1, limits.workers)) as pool:
        list(pool.map(one, todo))
    result.failed.sort()
    return result
