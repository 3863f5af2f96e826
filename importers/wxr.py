"""A streaming reader for WordPress eXtended RSS (WXR 1.0, 1.1 and 1.2).

The file is read in chunks by expat and handed out one top-level element of the
<channel> at a time (an author, a category, an item with its comments), so memory
stays flat however large the export is. Hostile XML is refused: any document type
declaration (and with it every entity declaration, external entity and entity
expansion bomb) stops the parse, and nothing is ever fetched.

read_prepared() does the same with a function applied to each element, and can
run both in a second process while the caller writes what it has received.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import importlib
import os
import pickle
import queue
import re
import signal
import stat
import subprocess
import sys
import threading
import traceback
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import IO, Any, cast
from xml.etree import ElementTree as ET
from xml.parsers import expat

CHUNK = 1 << 16
VERSIONS = ("1.0", "1.1", "1.2")
_NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class ReaderFailed(RuntimeError):
    """The reading process (read_prepared with process=True) failed or died
    for a reason other than the file's content; says what happened there."""


class WXRError(ValueError):
    """A file that is not a readable WordPress export; says where and why."""

    #: True when the file is not well-formed XML: a recovering parser
    #: (read(recover=True), import_wxr --recover) may still read most of it.
    recoverable = False

    def __init__(self, message: str, line: int = 0, column: int = 0):
        self.line, self.column, self.reason = line, column, message
        where = f"line {line}, column {column}: " if line else ""
        super().__init__(where + message)


@dataclass(slots=True)
class Element:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[Element] = field(default_factory=list)
    text: str = ""
    _index: dict[str, Element] | None = None

    def find(self, tag: str) -> Element | None:
        if self._index is None:  # built once: items are read many times
            self._index = {c.tag: c for c in reversed(self.children)}
        return self._index.get(tag)

    def findall(self, tag: str) -> list[Element]:
        return [child for child in self.children if child.tag == tag]

    def get(self, tag: str, default: str = "") -> str:
        child = self.find(tag)
        return child.text if child is not None else default


#: WordPress's own namespace as exporters write it: http or https (WordPress.com),
#: wordpress.org or .com, any version, with or without the trailing slash.
_WP_NAMESPACE = re.compile(
    r"https?://(?:www\.)?wordpress\.(?:org|com)/export/\d+(?:\.\d+)*/?(excerpt/?)?",
    re.I,
)


def _short(uri_and_name: str) -> str:
    """'http://wordpress.org/export/1.2/ post_id' -> 'wp:post_id'."""
    uri, _sep, name = uri_and_name.rpartition(" ")
    if not uri:
        return name
    found = _WP_NAMESPACE.fullmatch(uri)
    if found:
        return ("excerpt:" if found[1] else "wp:") + name
    prefix = _NAMESPACES.get(uri) or _NAMESPACES.get(
        re.sub("^https://", "http://", uri).rstrip("/") + "/"
    )
    return f"{prefix}:{name}" if prefix else f"{{{uri}}}{name}"


class _Reader:
    def __init__(self) -> None:
        self.parser = expat.ParserCreate(namespace_separator=" ")
        p = self.parser
        p.buffer_text = True
        p.buffer_size = CHUNK
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartDoctypeDeclHandler = self._refuse_dtd
        p.EntityDeclHandler = self._refuse_entity
        p.ExternalEntityRefHandler = self._refuse_external
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._text
        self.stack: list[Element] = []
        self.ready: list[Element] = []
        self.names: dict[str, str] = {}
        self.root_seen = False
        self.at_end = False

    def _where(self) -> tuple[int, int]:
        return self.parser.CurrentLineNumber, self.parser.CurrentColumnNumber + 1

    def _refuse_dtd(self, *args) -> None:
        raise WXRError(
            "a document type declaration (<!DOCTYPE>) is not allowed in a WordPress "
            "export: expected <rss> (refused to protect against entity attacks)",
            *self._where(),
        )

    def _refuse_entity(self, *args) -> None:
        raise WXRError("entity declarations are not allowed", *self._where())

    def _refuse_external(self, *args) -> int:
        raise WXRError("external entities are not allowed", *self._where())

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        tag = self.names.get(name)
        if tag is None:
            tag = self.names[name] = _short(name)
        stack = self.stack
        depth = len(stack)
        if depth >= 3:  # the common case: inside an item, author or term
            element = Element(tag, attrs, self.parser.CurrentLineNumber)
            stack[-1].children.append(element)
            stack.append(element)
            return
        if depth == 0 and not self.root_seen:
            self.root_seen = True
            if tag != "rss":
                raise WXRError(
                    f"expected <rss> (a WordPress export), found <{tag}>",
                    *self._where(),
                )
        elif depth == 1 and tag != "channel":
            raise WXRError(f"expected <channel>, found <{tag}>", *self._where())
        stack.append(Element(tag, attrs, self.parser.CurrentLineNumber))

    def _end(self, name: str) -> None:
        element = self.stack.pop()
        if len(self.stack) == 2:  # a child of <channel>: hand it out
            element.text = element.text.strip() if not element.children else ""
            self.ready.append(element)

    def _text(self, data: str) -> None:
        if len(self.stack) >= 3:
            self.stack[-1].text += data

    def error(self, exc: expat.ExpatError, declared: str | None) -> WXRError:
        error = self._error(exc, declared)
        empty = "the file is empty" in error.reason
        error.recoverable = not empty and "unknown encoding" not in error.reason
        return error

    def _error(self, exc: expat.ExpatError, declared: str | None) -> WXRError:
        line, column = exc.lineno, exc.offset + 1
        code = exc.code
        errors = expat.errors
        truncated = {
            errors.XML_ERROR_UNCLOSED_TOKEN,
            errors.XML_ERROR_UNCLOSED_CDATA_SECTION,
            errors.XML_ERROR_PARTIAL_CHAR,
        }
        if self.at_end and code in {expat.errors.codes[e] for e in truncated}:
            return WXRError(
                "the file ends too early (truncated?) in the middle of a tag or "
                "text: expected " + self._expected_closing(),
                line,
                column,
            )
        if code == expat.errors.codes[errors.XML_ERROR_NO_ELEMENTS]:
            if not self.root_seen:
                return WXRError(
                    "the file is empty: expected a WordPress export (<rss>)",
                    line,
                    column,
                )
            return WXRError(
                "the file ends too early (truncated?): expected "
                + self._expected_closing(),
                line,
                column,
            )
        if code == expat.errors.codes[errors.XML_ERROR_TAG_MISMATCH]:
            return WXRError(
                "mismatched tag: expected " + self._expected_closing(), line, column
            )
        if code == expat.errors.codes[errors.XML_ERROR_UNKNOWN_ENCODING]:
            return WXRError(
                f"unknown encoding {declared!r}: expected UTF-8 or another encoding "
                "Python knows",
                line,
                column,
            )
        if code == expat.errors.codes[errors.XML_ERROR_INVALID_TOKEN] and declared:
            return WXRError(
                f"not well-formed: bytes that are not valid {declared} or a stray "
                "'<' or '&' (the file may be in another encoding than its "
                "declaration says)",
                line,
                column,
            )
        if code == expat.errors.codes[errors.XML_ERROR_INVALID_TOKEN]:
            return WXRError(
                "not well-formed: bytes that are not valid UTF-8 or a stray '<' or "
                "'&' (expected UTF-8 text)",
                line,
                column,
            )
        return WXRError(
            f"not well-formed XML ({expat.ErrorString(code)})", line, column
        )

    def _expected_closing(self) -> str:
        if not self.stack:
            return "nothing more"
        open_ = self.stack[-1]
        return f"</{open_.tag}> (opened at line {open_.line})"


def _declared_encoding(head: bytes) -> str | None:
    if not head.startswith(b"<?xml"):
        return None
    end = head.find(b"?>")
    decl = head[: end if end > 0 else 200].decode("ascii", "replace")
    for quote in ('"', "'"):
        marker = f"encoding={quote}"
        if marker in decl:
            return decl.split(marker, 1)[1].split(quote, 1)[0]
    return None


class _Guard:
    """The Python-level reader run over the file's head (everything up to the end
    of the first item): it refuses DTDs before the fast parser sees a byte of
    them, and checks the root, the channel and the WXR version with exact lines."""

    def __init__(self) -> None:
        self.reader = _Reader()
        self.version: str | None = None
        self.started = False
        self.active = True

    def feed(self, chunk: bytes, declared: str | None) -> None:
        reader = self.reader
        reader.at_end = not chunk
        try:
            reader.parser.Parse(chunk, not chunk)
        except expat.ExpatError as exc:
            raise reader.error(exc, declared) from None
        except LookupError:  # pyexpat asks Python for encodings it lacks
            raise _unknown_encoding(declared) from None
        for element in reader.ready:
            if element.tag == "wp:wxr_version":
                self.version = element.text
                _check_version(self.version, element)
            elif element.tag in ("item", "wp:author") and not self.started:
                self.started = True
                # As WordPress's importer: no version, no export.
                if self.version is None:
                    _check_version(None, element)
            if element.tag == "item":
                self.active = False  # the head is checked; the rest is fast
        reader.ready.clear()


def _unknown_encoding(declared: str | None) -> WXRError:
    return WXRError(
        f"unknown encoding {declared!r}: expected UTF-8 or another encoding "
        "Python knows",
        1,
        1,
    )


def _short_clark(tag: str) -> str:
    """'{http://wordpress.org/export/1.2/}post_id' -> 'wp:post_id'."""
    if tag[:1] != "{":
        return tag
    uri, _sep, name = tag[1:].partition("}")
    return _short(f"{uri} {name}")


class Node:
    """An element of the file as ElementTree parsed it, seen with WXR's short
    tag names ("wp:post_id"); the same interface as Element. Its descendants
    are wrapped only when asked for: most of an item (its comments' fields) is
    read once through get(), so no object is built per field."""

    __slots__ = ("tag", "attrs", "text", "_el", "_names", "_tags", "_index")
    line = 0

    def __init__(self, element: ET.Element, names: dict[str, str]) -> None:
        tag = names.get(element.tag)
        if tag is None:
            tag = names[element.tag] = _short_clark(element.tag)
        self.tag = tag
        self.attrs = element.attrib
        self.text = "" if len(element) else (element.text or "")
        self._el = element
        self._names = names
        self._tags: list[str] | None = None
        self._index: dict[str, ET.Element] | None = None

    def _child_tags(self) -> list[str]:
        """The children's short tags, in order (worked out once)."""
        if self._tags is None:
            names = self._names
            tags = [names.get(child.tag) for child in self._el]
            for i, tag in enumerate(tags):
                if tag is None:
                    clark = self._el[i].tag
                    tags[i] = names[clark] = _short_clark(clark)
            self._tags = cast(list[str], tags)  # no None left
        return self._tags

    @property
    def children(self) -> list[Node]:
        return [Node(child, self._names) for child in self._el]

    def _child(self, tag: str) -> ET.Element | None:
        index = self._index
        if index is None:  # built once: items are read many times
            # Reversed, so that the first of repeated tags wins.
            names = self._names
            try:  # the common case: every tag seen before
                index = {names[child.tag]: child for child in reversed(self._el)}
            except KeyError:
                index = dict(
                    zip(reversed(self._child_tags()), reversed(self._el), strict=True)
                )
            self._index = index
        return index.get(tag)

    def find(self, tag: str) -> Node | None:
        child = self._child(tag)
        return Node(child, self._names) if child is not None else None

    def findall(self, tag: str) -> list[Node]:
        names = self._names
        return [
            Node(child, names)
            for short, child in zip(self._child_tags(), self._el, strict=True)
            if short == tag
        ]

    def get(self, tag: str, default: str = "") -> str:
        child = self._child(tag)
        if child is None:
            return default
        return "" if len(child) else (child.text or "")

    def texts(self) -> dict[str, str]:
        """What get() gives for each child's tag, in one go (the first of
        repeated tags)."""
        names = self._names
        try:  # the common case: every tag seen before
            return {
                names[child.tag]: "" if len(child) else (child.text or "")
                for child in reversed(self._el)
            }
        except KeyError:
            return {
                tag: "" if len(child) else (child.text or "")
                for tag, child in zip(
                    reversed(self._child_tags()), reversed(self._el), strict=True
                )
            }


def _parse_error(
    exc: ET.ParseError, stack: list[str], declared: str | None, at_end: bool
) -> WXRError:
    """The fast parser's error, in the guard's words."""
    reader = _Reader()
    reader.root_seen = True
    reader.at_end = at_end
    reader.stack = [Element(_short_clark(tag), {}, 0) for tag in stack]
    line, column = exc.position
    fake = expat.ExpatError(str(exc))
    fake.code, fake.lineno, fake.offset = exc.code, line, column
    error = reader.error(fake, declared)
    error.reason = error.reason.replace(" (opened at line 0)", "")
    out = WXRError(error.reason, error.line, error.column)
    out.recoverable = error.recoverable
    return out


def read(
    stream: IO[bytes],
    progress=None,
    *,
    recover: bool = False,
    problems: list[Problem] | None = None,
) -> Iterator[Node]:
    """Yield each child element of <channel> as soon as it is complete.

    `progress(bytes_read)` is called after each chunk. Raises WXRError on
    anything that is not a well-formed WordPress export. With `recover`, a
    file that is not well-formed is read by a recovering parser (lxml's)
    instead, which skips what it cannot read; what it skipped is appended to
    `problems` at the end.

    The file's head goes through the guard first (DTDs refused, structure and
    version checked); every byte then goes to ElementTree's C parser, whose
    elements are handed out and dropped one child of <channel> at a time.
    """
    if recover:
        yield from _read_recovering(stream, progress, problems)
        return
    guard = _Guard()
    pull: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
    stack: list[str] = []
    channel: ET.Element | None = None
    names: dict[str, str] = {}
    declared = None
    done = 0
    first = True
    while True:
        chunk = stream.read(CHUNK)
        if first:
            declared = _declared_encoding(chunk)
            first = False
        if guard.active:
            guard.feed(chunk, declared)
        ready: list[Node] = []
        try:
            if chunk:
                pull.feed(chunk)
            else:
                pull.close()
            # Parse errors come out of read_events() after the events before them.
            # Asked for "start" and "end" only: each is (event, element).
            events = cast(Iterator[tuple[str, ET.Element]], pull.read_events())
            for event, element in events:
                if event == "start":
                    stack.append(element.tag)
                    if len(stack) == 2:
                        channel = element
                    continue
                stack.pop()
                if len(stack) == 2:  # a child of <channel>: hand it out, drop it
                    cast(ET.Element, channel).remove(element)  # set at its start
                    out = Node(element, names)
                    out.text = out.text.strip()
                    ready.append(out)
        except ET.ParseError as exc:
            raise _parse_error(exc, stack, declared, not chunk) from None
        except LookupError:
            raise _unknown_encoding(declared) from None
        done += len(chunk)
        yield from ready
        if progress:
            progress(done)
        if not chunk:
            break
    if guard.version is None and not guard.started:
        raise WXRError(
            "no WordPress export found: expected <wp:wxr_version> inside <channel>"
        )


@dataclass(slots=True)
class Problem:
    """What a recovering read (read(recover=True)) could not read as written."""

    line: int
    column: int
    message: str
    near: str = ""  # the element of <channel> it lies in or after

    def __str__(self) -> str:
        where = f" (in or after {self.near})" if self.near else ""
        return f"line {self.line}, column {self.column}: {self.message}{where}"


_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")
_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)


def _label(node: Node, line: int) -> str:
    if node.tag == "item":
        title = node.get("title")[:60]
        return f"item {node.get('wp:post_id') or '?'} {title!r}"
    return f"<{node.tag}> at line {line}"


def _read_recovering(
    stream: IO[bytes], progress, problems: list[Problem] | None
) -> Iterator[Node]:
    """read() with libxml2's recovering parser (lxml): a stray '&' or '<', bad
    bytes, an undeclared prefix or a truncated end are skipped or repaired
    rather than fatal; each such place becomes a Problem at the end. Safety
    is the same: a document type declaration is refused before parsing,
    entities are never resolved and nothing is fetched."""
    from lxml import etree  # type: ignore[import-untyped]  # only --recover

    head = stream.read(CHUNK)
    first = _FIRST_ELEMENT.search(head)
    declared = _DECLARATION.search(head[: first.start() if first else None])
    if declared:
        line = head[: declared.start()].count(b"\n") + 1
        raise WXRError(
            "a document type declaration (<!DOCTYPE>) is not allowed in a WordPress "
            "export: expected <rss> (refused to protect against entity attacks)",
            line,
            declared.start() - head.rfind(b"\n", 0, declared.start()),
        )
    pull = etree.XMLPullParser(
        events=("start", "end"), recover=True, resolve_entities=False,
        no_network=True, load_dtd=False, remove_comments=True, remove_pis=True,
    )  # fmt: skip
    stack: list[str] = []
    channel: Any = None
    names: dict[str, str] = {}
    starts: list[tuple[int, str]] = []  # (line, label) of each element handed out
    version: str | None = None
    started = False
    done = 0
    chunk = head
    while True:
        ready: list[Node] = []
        try:
            if chunk:
                pull.feed(chunk)
            else:
                pull.close()
        except etree.XMLSyntaxError as exc:  # nothing at all could be read
            raise WXRError(f"no XML could be read ({exc.msg})", 1, 1) from None
        for event, element in pull.read_events():
            if event == "start":
                stack.append(element.tag)
                if len(stack) == 1 and _short_clark(element.tag) != "rss":
                    raise WXRError(
                        "expected <rss> (a WordPress export), found "
                        f"<{_short_clark(element.tag)}>",
                        element.sourceline or 1,
                        1,
                    )
                if len(stack) == 2:
                    channel = element
                continue
            stack.pop()
            if len(stack) != 2:
                continue
            channel.remove(element)
            out = Node(element, names)
            out.text = out.text.strip()
            line = element.sourceline or 0
            if out.tag == "wp:wxr_version":
                version = out.text
                _check_version(version, Element(out.tag, {}, line))
            elif out.tag in ("item", "wp:author") and not started:
                started = True
                if version is None:
                    _check_version(None, Element(out.tag, {}, line))
            starts.append((line, _label(out, line)))
            ready.append(out)
        done += len(chunk)
        yield from ready
        if progress:
            progress(done)
        if not chunk:
            break
        chunk = stream.read(CHUNK)
    if version is None and not started:
        raise WXRError(
            "no WordPress export found: expected <wp:wxr_version> inside <channel>"
        )
    if problems is not None:
        lines = [line for line, _label in starts]
        for entry in pull.feed_error_log:
            at = bisect.bisect_right(lines, entry.line) - 1
            near = starts[at][1] if at >= 0 else ""
            problems.append(Problem(entry.line, entry.column, entry.message, near))


def _check_version(version: str | None, element: Element) -> None:
    if version is None:
        raise WXRError(
            f"this is not a WordPress export: expected <wp:wxr_version> before "
            f"<{element.tag}>",
            element.line,
            1,
        )
    if version not in VERSIONS:
        raise WXRError(
            f"unsupported WXR version {version!r}: expected one of "
            + ", ".join(VERSIONS),
            element.line,
            1,
        )


# ----------------------------------------------------------------- in a process
def regular_file(stream: IO[bytes]) -> tuple[str, int] | None:
    """The path and size of the regular file `stream` reads (a Django File's
    own file too), or None for anything else (memory, pipes, remote storage)."""
    for candidate in (stream, getattr(stream, "file", None)):
        name = getattr(candidate, "name", None)
        try:
            if not isinstance(name, str) or candidate is None:
                continue
            opened = os.fstat(candidate.fileno())
            if stat.S_ISREG(opened.st_mode) and os.path.samestat(opened, os.stat(name)):
                return os.path.abspath(name), opened.st_size
        except (OSError, AttributeError, ValueError):
            continue
    return None


def read_prepared(
    stream: IO[bytes],
    progress: Callable[[int], None] | None = None,
    *,
    prepare: Callable[[Any], Any],
    process: bool = False,
    recover: bool = False,
    problems: list[Problem] | None = None,
) -> Generator[Any]:
    """What read() yields, each passed through `prepare` (a module-level
    function without side effects).

    With `process`, reading and preparing run in a second Python process while
    the caller works on what it has already received: the file (a regular
    file, see regular_file) is read there from the stream's position, and
    prepared elements come back SEND_ITEMS at a time through a pipe; the
    reader is at most AHEAD messages (and the pipe's buffer) ahead, so memory
    stays flat. Its errors arrive as the same WXRError; anything else that
    goes wrong there, or its death, as ReaderFailed. Close the iterator
    (contextlib.closing) to stop the process early; it is stopped, too, when
    the caller is interrupted or fails.
    """
    if not process or recover:
        for element in read(stream, progress, recover=recover, problems=problems):
            yield prepare(element)
        return
    found = regular_file(stream)
    if found is None:
        raise ValueError("a reading process needs a regular file")
    # A plain subprocess rather than multiprocessing: its "spawn" would run the
    # caller's main script again, and "fork" is unsafe in a threaded server.
    receive_fd, send_fd = os.pipe()
    if hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux: the reader writes ahead
        with contextlib.suppress(OSError):
            fcntl.fcntl(send_fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    try:
        worker = subprocess.Popen(
            [sys.executable, "-c", _READER_MAIN, _ROOT, str(send_fd), found[0],
             str(stream.tell()), f"{prepare.__module__}:{prepare.__qualname__}"],
            pass_fds=[send_fd],
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    finally:
        os.close(send_fd)
    receive = Connection(receive_fd, writable=False)
    inbox: queue.Queue[bytes | None] = queue.Queue(maxsize=AHEAD)
    stopping = threading.Event()
    listener = threading.Thread(
        target=_listen, args=(receive, inbox, stopping), name="wxr-reader", daemon=True
    )
    listener.start()
    try:
        while True:
            message = inbox.get()
            if message is None:
                raise ReaderFailed(
                    "the reading process stopped unexpectedly (exit code "
                    f"{_wait(worker)})"
                )
            kind, payload, done = pickle.loads(message)
            if kind == "error":
                raise WXRError(*payload)
            if kind == "failed":
                raise ReaderFailed(f"the reading process failed:\n{payload}")
            yield from payload
            if progress:
                progress(done)
            if kind == "end":
                _wait(worker)  # it has nothing left to do but exit
                return
    finally:
        stopping.set()
        if worker.poll() is None:  # stopped early: by an error, here or there
            worker.terminate()
        if _wait(worker) is None:
            worker.kill()
            worker.wait()
        listener.join()  # its end of the pipe is closed now: it stops
        receive.close()


#: Elements the reading process sends at a time. Each message needs this
#: process's listener thread to get the GIL from the busy importer (Python
#: hands it over every 5 ms): a message per 64 KiB chunk of the file was too
#: many, and the reader waited for it.
SEND_ITEMS = 64

#: Messages the reading process may be ahead of the importer (besides what
#: the pipe holds): a few batches of posts, so that neither waits for the
#: other while the importer writes a batch; memory stays bounded.
AHEAD = 16

#: The pipe's buffer where the system allows it (Linux: up to 1 MiB without
#: privileges; the default is 64 KiB).
PIPE_BYTES = 1 << 20


def _listen(receive: Connection, inbox: queue.Queue, stopping: threading.Event):
    """Move the reading process's messages from the pipe into `inbox` (a
    thread: it waits for the pipe while the importer works; the messages are
    unpickled by the importer). None at the end of the pipe."""
    message: bytes | None = b""
    while message is not None:
        try:
            message = receive.recv_bytes()
        except (EOFError, OSError):
            message = None
        while not stopping.is_set():
            try:
                inbox.put(message, timeout=0.1)
                break
            except queue.Full:
                continue
        else:
            return


_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_READER_MAIN = "import sys; sys.path.insert(0, sys.argv[1]); " + (
    "from importers.wxr import _read_elsewhere; _read_elsewhere(*sys.argv[2:])"
)


def _wait(worker: subprocess.Popen) -> int | None:
    try:
        return worker.wait(5)
    except subprocess.TimeoutExpired:
        return None


def _read_elsewhere(fd: str, path: str, offset: str, prepare_name: str) -> None:
    """The reading process (see read_prepared): read `path` from `offset`,
    send what `prepare_name` ("module:function") makes of each element."""
    # Ctrl-C reaches the whole process group: the caller decides what stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = Connection(int(fd), readable=False)
    ready: list = []
    read_so_far = [0]

    def hand_over(done: int) -> None:  # after each chunk of the file
        read_so_far[0] = done
        if len(ready) >= SEND_ITEMS:
            out.send(("items", ready, done))
            ready.clear()

    try:
        module, _sep, name = prepare_name.partition(":")
        prepare = getattr(importlib.import_module(module), name)
        with open(path, "rb") as stream:
            stream.seek(int(offset))
            for element in read(stream, hand_over):
                ready.append(prepare(element))
        out.send(("end", ready, read_so_far[0]))
    except WXRError as exc:
        out.send(("error", (exc.reason, exc.line, exc.column), 0))
    except BrokenPipeError:
        pass  # the caller stopped listening: it has stopped the import
    except BaseException:  # noqa: BLE001 - reported to the caller, which raises
        out.send(("failed", traceback.format_exc(), 0))
    finally:
        out.close()
