"""WordPress migration: import a WXR export, keep its old links, export WXR.

The import runs in ONE database transaction: a file that turns out to be broken
half-way (truncated, malformed) leaves nothing behind, and media files copied
before the failure are removed again. Posts and their comments are written in
batches with bulk queries (a few queries per batch, not per row), which is what
makes 10,000 posts take seconds. Every object is keyed by (site, kind, WordPress
ID) in ImportedItem, so running the same import again updates in place.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import re
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Author, Category, Tag
from articles.services import NAV_CACHE_KEY, schedule_publication
from comments.models import Comment
from comments.services import recount as recount_comments
from core.models import SiteSettings
from core.tasks import analyze_database
from importers import wpcontent, wxr
from importers.models import ImportedItem, OldLink, WordPressSite
from importers.wpcontent import old_path
from importers.wpcontent import to_int as _int
from lib import pagecache
from lib.html import plain_text
from media.models import Image
from media.services import image_from_storage
from search.tasks import reindex_articles

if TYPE_CHECKING:  # imported when downloading: Pillow, ssl and http.client
    from importers import download

BATCH = 250
INDEX_CHUNK = 500
MAX_LISTED = 200
ZERO_DATE = "0000-00-00 00:00:00"
Kind = ImportedItem.Kind

POST_STATUS = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.SCHEDULED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.PENDING,
    "private": Article.Status.DRAFT,  # kept out of public view; WP status in extra
}
COMMENT_STATUS = {
    "1": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.TRASH,
    "post-trashed": Comment.Status.TRASH,
}
#: An uploaded file's address: host, path before the uploads folder, path
#: inside it. WordPress.com serves uploads from <site>.files.wordpress.com/
#: without the wp-content/uploads part.
_UPLOAD_URL = re.compile(
    r"(?:https?:)?//([^/\s\"'<>]+)([^\s\"'<>]*?)"
    r"(?:/wp-content/uploads/|(?<=\.files\.wordpress\.com)/)"
    r"([^\s\"'<>?#]+)"
)
#: Post types that are not content but plugins' or themes' bookkeeping.
_NOT_CONTENT = {
    "revision", "customize_changeset", "oembed_cache", "user_request",
    "wp_global_styles", "custom_css", "wp_font_family", "wp_font_face",
}  # fmt: skip


@dataclass
class Report:
    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    skipped_items: list[str] = field(default_factory=list)
    missing_media: list[str] = field(default_factory=list)
    missing_total: int = 0
    notes: list[str] = field(default_factory=list)
    problems: list[wxr.Problem] = field(default_factory=list)
    failed_downloads: list[str] = field(default_factory=list)
    seconds: float = 0.0
    site: str = ""

    def skip(self, what: str, reason: str) -> None:
        self.skipped[reason] += 1
        if len(self.skipped_items) < MAX_LISTED:
            self.skipped_items.append(f"{what}: {reason}")

    def missing(self, path: str) -> None:
        self.missing_total += 1
        if len(self.missing_media) < MAX_LISTED:
            self.missing_media.append(path)

    def note(self, text: str) -> None:
        """Something kept differently from the old site, worth knowing."""
        self.counts["notes"] += 1
        if len(self.notes) < MAX_LISTED:
            self.notes.append(text)

    def text(self) -> str:
        lines = [
            ("DRY RUN, nothing kept. " if self.dry_run else "")
            + f"Imported {self.site} in {self.seconds:.1f}s."
        ]
        lines += [f"  {key}: {n:,}" for key, n in sorted(self.counts.items())]
        if self.skipped:
            lines.append("Skipped:")
            lines += [f"  {why}: {n:,}" for why, n in sorted(self.skipped.items())]
            lines += [f"    - {item}" for item in self.skipped_items]
        if self.notes:
            lines.append("Notes:")
            lines += [f"  - {text}" for text in self.notes]
        if self.problems:
            lines.append(
                f"Could not be read as written ({len(self.problems):,}; the "
                "recovering parser skipped or repaired it):"
            )
            lines += [f"  - {p}" for p in self.problems[:MAX_LISTED]]
        if self.failed_downloads:
            lines.append(f"Downloads that failed ({len(self.failed_downloads):,}):")
            lines += [f"  - {text}" for text in self.failed_downloads[:MAX_LISTED]]
        if self.missing_total:
            lines.append(f"Media files not found ({self.missing_total:,}):")
            lines += [f"  - {path}" for path in self.missing_media]
        return "\n".join(lines)


@dataclass(slots=True)
class _Post:
    el: wpcontent.PostData
    wp_id: int
    article_pk: int | None = None  # set by Importer._write (then never None)
    item_id: int | None = None  # set by Importer._items (then never None)
    comment_pks: dict[int, int] = field(default_factory=dict)
    categories: list[str] = field(default_factory=list)
    more: list[int] = field(default_factory=list)
    bylines: list[tuple[str, str]] = field(default_factory=list)  # nicename, name


#: Batches of posts between the cycle collector's runs during an import.
COLLECT_EVERY = 4


@contextlib.contextmanager
def _fewer_collections():
    """Run the cycle collector once per batch during an import.

    An import allocates millions of short-lived objects while it holds a batch
    of parsed items, and Python's collector would re-scan everything alive (the
    batch, and the ~85,000 objects of Django itself in its oldest generation)
    thousands of times: a sixth of the import's CPU time. What exists when the
    import starts is frozen (left out of collections, gc.freeze), automatic
    collections are off, and Importer.flush collects after every
    COLLECT_EVERY batches (ten milliseconds or so: little else is alive then);
    all is undone at the end. Cyclic garbage lives at most that many batches,
    so memory stays flat."""
    enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


#: SQLite's page cache during an import, in KiB (its default is 2,000).
SQLITE_CACHE_KIB = 32_768


@contextlib.contextmanager
def _larger_page_cache():
    """Give SQLite a bounded, larger page cache while an import writes.

    One transaction writes the whole export: with the default 2 MB cache,
    SQLite spills dirty index pages to the WAL and reads them back again and
    again (the comment table has nine indexes), several hundred MB of reads
    and writes for a 100 MB export. 32 MiB cut that by a third and the
    import's CPU time by about a tenth; memory stays bounded (the cache never
    grows past it, however large the file). Durability is untouched: this is
    only how much of the database stays in memory. Restored afterwards (the
    connection is reused)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        before = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _reader_process(stream: IO[bytes]) -> bool:
    """Whether to read and convert the export in a second process while this
    one writes (WXR_PARALLEL_MIN_MB): for regular files of that size, with a
    second CPU to run it on."""
    minimum = settings.WXR_PARALLEL_MIN_MB
    if minimum < 0:
        return False
    found = wxr.regular_file(stream)
    if found is None or found[1] < minimum * 2**20:
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return cpus > 1


class Importer:
    def __init__(
        self,
        *,
        media_dir: Path | None = None,
        dry_run: bool = False,
        progress: Callable[[int, Counter], None] | None = None,
        category_base: str = "category",
        tag_base: str = "tag",
        recover: bool = False,
    ):
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.recover = recover
        self.dry_run = dry_run
        self.progress = progress
        self.category_base = category_base.strip("/") or "category"
        self.tag_base = tag_base.strip("/") or "tag"
        self.report = Report(dry_run=dry_run)
        self.channel: dict[str, str] = {}
        self.site: WordPressSite | None = None
        self.hosts: set[str] = set()
        self.authors: dict[str, int] = {}  # login -> Author pk
        self.users: dict[str, int] = {}  # WordPress user id -> User pk
        self.logins_by_id: dict[str, str] = {}  # WordPress user id -> login
        self.categories: dict[str, int] = {}  # nicename -> Category pk
        self.cat_paths: dict[str, str] = {}  # nicename -> old path "parent/child"
        self.tags: dict[str, int] = {}  # slug -> Tag pk
        # id -> (stored name, alt, caption, parent post, credit)
        self.attachments: dict[int, tuple[str, str, str, int, str]] = {}
        # Attachment ids by the post they belong to, in file order (galleries).
        self.attached: dict[int, dict[int, None]] = defaultdict(dict)
        self.media: dict[str, str | None] = {}  # uploads path -> stored name
        self.library: dict[str, Image | None] = {}  # stored name -> its Image
        self.refused_media: dict[str, str] = {}  # stored name -> why not
        self.copied: list[str] = []
        self.posts: list[_Post] = []
        self.touched: list[int] = []
        self.thumbs: list[tuple[int, int]] = []
        self.galleries: list[tuple[int, int, str]] = []
        self.scheduled: list[tuple[int, dt.datetime]] = []
        self.offset: dt.timedelta | None = None
        self.batches = 0
        self.seen_posts: set[int] = set()
        self.term_ids: dict[str, str] = {}  # category term_id -> nicename
        self.author_terms: dict[str, tuple[str, str, dict[str, str]]] = {}
        self.guests: dict[str, dict[str, str]] = {}  # Co-Authors Plus guests
        self.coauthored: list[tuple[int, list[tuple[str, str]]]] = []
        self.menus: dict[str, str] = {}  # nav menu slug -> name
        self.menu_items: dict[str, list[tuple[int, str, str, str, str]]] = defaultdict(
            list
        )

    # ------------------------------------------------------------- driver
    def run(self, stream: IO[bytes]) -> Report:
        started = time.monotonic()
        try:
            with _fewer_collections(), _larger_page_cache(), transaction.atomic():
                elements = wxr.read_prepared(
                    stream,
                    self._progress,
                    prepare=wpcontent.prepare,
                    process=_reader_process(stream) and not self.recover,
                    recover=self.recover,
                    problems=self.report.problems,
                )
                with contextlib.closing(elements):
                    for element in elements:
                        self.handle(element)
                if self.site is None:
                    self._site()  # an export of a site without content
                self.flush()
                self.finish()
                if self.dry_run:
                    transaction.set_rollback(True)
                else:
                    transaction.on_commit(self.after_commit)
        except BaseException:
            for name in self.copied:
                default_storage.delete(name)
            raise
        self.report.seconds = time.monotonic() - started
        return self.report

    def _progress(self, done: int) -> None:
        if self.progress:
            self.progress(done, self.report.counts)

    def handle(self, el: wxr.Node) -> None:
        try:
            self._handle(el)
        except wxr.WXRError:
            raise
        except ITEM_ERRORS as exc:  # this element only: the rest goes on
            label = f"<{el.tag}> {el.get('wp:post_id') or el.get('title')[:60]}"
            self.report.skip(label.strip(), _unusable(exc))

    def _handle(self, el: wxr.Node) -> None:
        if el.tag == "item":
            if not self.site:
                self._site()
            self.item(el)
        elif el.tag == "wp:author":
            if not self.site:
                self._site()
            self.author(el)
        elif el.tag == "wp:category":
            if not self.site:
                self._site()
            self.category(el)
        elif el.tag == "wp:tag":
            if not self.site:
                self._site()
            self.tag(el)
        elif el.tag == "wp:term" and el.get("wp:term_taxonomy") == "author":
            self.author_terms[el.get("wp:term_slug")] = (
                el.get("wp:term_name"),
                el.get("wp:term_description"),
                {
                    m.get("wp:meta_key"): m.get("wp:meta_value")
                    for m in el.findall("wp:termmeta")
                },
            )
        elif el.tag == "wp:term" and el.get("wp:term_taxonomy") == "category":
            if not self.site:
                self._site()
            self._category(
                el.get("wp:term_slug"),
                name=el.get("wp:term_name"),
                parent=el.get("wp:term_parent"),
                description=el.get("wp:term_description"),
                term_id=el.get("wp:term_id"),
            )
            self.term_ids[el.get("wp:term_id").strip()] = el.get("wp:term_slug")
        elif el.tag == "wp:term" and el.get("wp:term_taxonomy") == "post_tag":
            if not self.site:
                self._site()
            self._tag(
                el.get("wp:term_slug"),
                name=el.get("wp:term_name"),
                description=el.get("wp:term_description"),
                term_id=el.get("wp:term_id"),
            )
        elif el.tag == "wp:term" and el.get("wp:term_taxonomy") == "nav_menu":
            self.menus[el.get("wp:term_slug")] = el.get("wp:term_name")
        elif el.tag == "wp:term" and el.get("wp:term_taxonomy") not in (
            "category",
            "post_tag",
        ):
            self.report.skip(
                f"term {el.get('wp:term_slug')}",
                f"taxonomy {el.get('wp:term_taxonomy')} is not imported",
            )
        elif el.tag != "wp:term" and not el.children:
            self.channel[el.tag] = el.text

    # ------------------------------------------------------------- site
    @property
    def _known_site(self) -> WordPressSite:
        """The export's site: handle() reads it before the first author, term
        or item, which is what needs it."""
        return cast(WordPressSite, self.site)

    def _site(self) -> None:
        url = (
            self.channel.get("wp:base_blog_url")
            or self.channel.get("link")
            or self.channel.get("wp:base_site_url")
            or ""
        ).rstrip("/")
        if not url.startswith(("http://", "https://")):
            # WordPress reads such exports too (links stay relative): the
            # site is known by its title instead.
            title = slugify(self.channel.get("title", "")) or "site"
            self.report.note(
                "the export names no site address (<wp:base_blog_url>, <link>): "
                f"kept apart from other sites as {title!r}; relative links stay "
                "relative"
            )
            url = f"wxr:{title}"[:300]
        for value in (url, self.channel.get("wp:base_site_url", "")):
            if value.startswith(("http://", "https://")):
                self.hosts.add(urlsplit(value).netloc.lower())
        site = WordPressSite.objects.filter(url=url).first()
        if site is None:
            where = url.split("//", 1)[-1].removeprefix("wxr:")
            key = base = slugify(re.sub(r"[.:/]+", "-", where))[:50] or "site"
            n = 1
            while WordPressSite.objects.filter(key=key).exists():
                n += 1
                key = f"{base}-{n}"
            site = WordPressSite(url=url, key=key or "site")
        site.title = self.channel.get("title", "")[:300]
        site.save()
        self.site = site
        self.report.site = url
        for kind, target in (
            (Kind.AUTHOR, self.authors),
            (Kind.CATEGORY, self.categories),
            (Kind.TAG, self.tags),
        ):
            column = kind.value
            for item in ImportedItem.objects.filter(site=site, kind=kind).values(
                "extra", column
            ):
                target[item["extra"].get("slug", "")] = item[column]
        for item in ImportedItem.objects.filter(site=site, kind=Kind.AUTHOR).values(
            "extra", "author__user_id"
        ):
            if item["extra"].get("user_id") and item["author__user_id"]:
                self.users[item["extra"]["user_id"]] = item["author__user_id"]

    def _item(self, kind: str, wp_id: str | int, **values: Any) -> ImportedItem:
        item, _created = ImportedItem.objects.update_or_create(
            site=self.site, kind=kind, wp_id=str(wp_id), defaults=values
        )
        return item

    def _links(self, item_id: int, urls: list[str]) -> None:
        paths = {p for p in map(old_path, urls) if p}
        self._save_links(dict.fromkeys(paths, item_id))

    def _save_links(self, wanted: dict[str, int]) -> None:
        if not wanted:
            return
        existing = {
            path: (pk, item_id, site_id)
            for path, pk, item_id, site_id in OldLink.objects.filter(
                path__in=list(wanted)
            ).values_list("path", "pk", "item_id", "item__site_id")
        }
        new, changed = [], []
        for path, item_id in wanted.items():
            if path not in existing:
                new.append({"path": path, "item": item_id})
                continue
            pk, current, site_id = existing[path]
            if site_id != self._known_site.pk:
                self.report.skip(f"old link {path}", "already used by another site")
            elif current != item_id:
                changed.append((item_id, pk))
        _insert(OldLink, new)
        _update(OldLink, changed, ["item"])
        self.report.counts["old links"] += len(new) + len(changed)

    # ------------------------------------------------------------- people
    def author(self, el: wxr.Node) -> None:
        login = el.get("wp:author_login")
        if not login:
            self.report.skip("author", "no login")
            return
        self._author(
            login,
            display=el.get("wp:author_display_name") or login,
            email=el.get("wp:author_email"),
            first=el.get("wp:author_first_name"),
            last=el.get("wp:author_last_name"),
            user_id=el.get("wp:author_id"),
        )

    def _author(self, login: str, *, display="", email="", first="", last="",
                user_id="") -> int:  # fmt: skip
        item = (
            ImportedItem.objects.filter(site=self.site, kind=Kind.AUTHOR, wp_id=login)
            .select_related("author__user")
            .first()
        )
        # An author's item always has its author (deleting one deletes both).
        author = cast(Author, item.author) if item else Author()
        author.display_name = (display or login)[:120]
        if not author.pk:
            author.slug = self._free_slug(Author, slugify(login) or "author", 120)
        author.save()
        user = author.user or self._new_user(login)
        user.email = (email or "")[:254]
        user.first_name, user.last_name = (first or "")[:150], (last or "")[:150]
        user.save()
        if author.user_id != user.pk:
            author.user = user
            author.save(update_fields=["user"])
        extra = {"slug": login, "user_id": user_id, "email": email}
        item = self._item(Kind.AUTHOR, login, author=author, extra=extra)
        # WordPress's author base uses the nicename, which is the login unless
        # it had characters a URL cannot hold.
        links = [f"/author/{slugify(login)}/"]
        if user_id:
            links.append(f"?author={user_id}")
        self._links(item.pk, links)
        self.authors[login] = author.pk
        if user_id:
            self.users[user_id] = user.pk
            self.logins_by_id[user_id.strip()] = login
        self.report.counts["authors"] += 1
        return author.pk

    def _new_user(self, login: str):
        User = get_user_model()
        base = (slugify(login) or "author")[:140]
        name, n = base, 1
        while User.objects.filter(username=name).exists():
            n += 1
            name = f"{base}-{n}"
        user = User(username=name)
        user.set_unusable_password()
        return user

    def _free_slug(self, model, slug: str, length: int, own: int | None = None) -> str:
        slug = slug[:length] or "item"
        candidate, n = slug, 1
        while model.objects.filter(slug=candidate).exclude(pk=own).exists():
            n += 1
            candidate = f"{slug[: length - 8]}-{n}"
        return candidate

    # ------------------------------------------------------------- terms
    def category(self, el: wxr.Node) -> None:
        if el.get("wp:term_id"):
            nicename = el.get("wp:category_nicename") or slugify(el.get("wp:cat_name"))
            self.term_ids[el.get("wp:term_id").strip()] = nicename or "category"
        self._category(
            el.get("wp:category_nicename"),
            name=el.get("wp:cat_name"),
            parent=el.get("wp:category_parent"),
            description=el.get("wp:category_description"),
            term_id=el.get("wp:term_id"),
        )

    def _category(self, nicename: str, *, name: str = "", parent: str = "",
                  description: str = "", term_id: str = "") -> int:  # fmt: skip
        nicename = nicename or slugify(name) or "category"
        key = term_id or f"slug:{nicename}"
        item = ImportedItem.objects.filter(
            site=self.site, kind=Kind.CATEGORY, extra__slug=nicename
        ).first()
        category = (
            Category.objects.get(pk=cast(int, item.category_id))
            if item
            else Category(slug=self._free_slug(Category, slugify(nicename), 100))
        )
        category.name = (name or nicename)[:100]
        category.description = description
        parent_pk = self.categories.get(parent) if parent else None
        if parent and parent_pk is None:
            parent_pk = self._category(parent)
        category.parent_id = parent_pk if parent_pk != category.pk else None
        category.save()
        if item is None:
            item = self._item(
                Kind.CATEGORY,
                key,
                category=category,
                extra={"slug": nicename},
            )
        elif item.wp_id != key and term_id:
            item.wp_id = key
            item.save(update_fields=["wp_id"])
        self.categories[nicename] = category.pk
        links = [f"?cat={term_id}"] if term_id else []
        path = (
            f"{self.cat_paths.get(parent, parent)}/{nicename}" if parent else nicename
        )
        self.cat_paths[nicename] = path
        links.append(f"/{self.category_base}/{path}/")
        self._links(item.pk, links)
        self.report.counts["categories"] += 1
        return category.pk

    def tag(self, el: wxr.Node) -> None:
        self._tag(
            el.get("wp:tag_slug"),
            name=el.get("wp:tag_name"),
            description=el.get("wp:tag_description"),
            term_id=el.get("wp:term_id"),
        )

    def _tag(self, slug: str, *, name: str = "", description: str = "",
             term_id: str = "") -> int:  # fmt: skip
        slug = slug or slugify(name) or "tag"
        name = (name or slug)[:100]
        item = ImportedItem.objects.filter(
            site=self.site, kind=Kind.TAG, extra__slug=slug
        ).first()
        if item:
            tag = Tag.objects.get(pk=cast(int, item.tag_id))
        else:
            # Tags are shared vocabulary: a second site's "Elections" is ours.
            tag = Tag.objects.filter(name=name).first() or Tag(
                name=name, slug=self._free_slug(Tag, slugify(slug), 100)
            )
        if tag.name != name and not Tag.objects.filter(name=name).exists():
            tag.name = name
        tag.save()
        extra = {"slug": slug, "description": description}
        if item is None:
            item = self._item(Kind.TAG, term_id or f"slug:{slug}", tag=tag, extra=extra)
        self.tags[slug] = tag.pk
        links = [f"?tag={slug}", f"/{self.tag_base}/{slug}/"]
        self._links(item.pk, links)
        self.report.counts["tags"] += 1
        return tag.pk

    # ------------------------------------------------------------- items
    def item(self, el: wxr.Node) -> None:
        # WordPress's own defaults for what an item leaves out (wp_insert_post).
        post_type = el.get("wp:post_type").strip() or "post"
        status = _status(el)
        wp_id = _int(el.get("wp:post_id"), -1)
        what = f"{post_type} {wp_id} {el.get('title')[:60]!r}"
        if wp_id < 0:
            self.report.skip(what, "no wp:post_id")
        elif post_type == "attachment":
            self.attachment(el, wp_id)
        elif post_type == "nav_menu_item":
            self.menu_item(el, wp_id)
        elif post_type == "guest-author":  # Co-Authors Plus
            self.guest(el)
        elif post_type in _NOT_CONTENT:
            self.report.skip(what, f"post type {post_type!r} (not content)")
        elif post_type not in ("post", "page"):
            self.report.counts[f"custom post type {post_type!r} (not imported)"] += 1
            self.report.skip(what, f"custom post type {post_type!r} is not imported")
        elif status in ("auto-draft", "trash", "inherit"):
            self.report.skip(what, f"status {status!r} (not content)")
        elif status not in POST_STATUS:
            self.report.skip(what, f"unknown status {status!r}")
        elif post_type == "page":
            self.page(el, wp_id)
        elif wp_id in self.seen_posts:  # WordPress keeps the first copy too
            self.report.skip(what, "listed again in the export: the first is kept")
        else:
            self.seen_posts.add(wp_id)
            if not el.get("wp:status").strip():
                self.report.note(f"{what}: no wp:status, imported as a draft")
            # wpcontent.prepare() made every post a PostData (read_prepared).
            self.posts.append(_Post(cast(wpcontent.PostData, el), wp_id))
            if len(self.posts) >= BATCH:
                self.flush()

    def menu_item(self, el: wxr.Node, wp_id: int) -> None:
        meta = self._meta(el)
        menus = [n or "" for d, n in ((c.attrs.get("domain"), c.attrs.get("nicename"))
                 for c in el.findall("category")) if d == "nav_menu"]  # fmt: skip
        for menu in menus[:1]:
            self.menu_items[menu].append(
                (
                    _int(el.get("wp:menu_order")),
                    str(wp_id),
                    meta.get("_menu_item_menu_item_parent", "0").strip() or "0",
                    meta.get("_menu_item_object", ""),
                    meta.get("_menu_item_object_id", "").strip(),
                )
            )
        self.report.counts["menu items"] += 1

    def guest(self, el: wxr.Node) -> None:
        meta = self._meta(el)
        login = meta.get("cap-user_login") or el.get("wp:post_name")
        if login:
            self.guests[login] = meta | {"title": el.get("title")}
        self.report.counts["guest authors"] += 1

    def _date(self, local: str, gmt: str) -> dt.datetime | None:
        """The GMT date as an aware datetime; from the local date and the site's
        offset (learnt from dated items) when WordPress left GMT empty."""
        try:
            if gmt and gmt != ZERO_DATE:
                moment = dt.datetime.fromisoformat(gmt).replace(tzinfo=dt.UTC)
                if local and local != ZERO_DATE and self.offset is None:
                    self.offset = (
                        dt.datetime.fromisoformat(local).replace(tzinfo=dt.UTC) - moment
                    )
                return moment
            if local and local != ZERO_DATE:
                naive = dt.datetime.fromisoformat(local)
                if self.offset is not None:
                    return naive.replace(tzinfo=dt.UTC) - self.offset
                return timezone.make_aware(naive, SiteSettings.load().tzinfo)
        except ValueError:
            return None
        return None

    def _body(self, el: wxr.Node | wpcontent.PostData, wp_id: int) -> str:
        return wpcontent.to_html(
            el.get("content:encoded"),
            images=self._image,
            attached=self._attached(wp_id),
            rewrite_url=self._rewrite_media,
        )

    def _extra(self, el: wxr.Node | wpcontent.PostData) -> dict:
        return {
            "status": el.get("wp:status"),
            "date": el.get("wp:post_date"),
            "date_gmt": el.get("wp:post_date_gmt"),
            "parent": el.get("wp:post_parent", "0"),
            "menu_order": el.get("wp:menu_order", "0"),
            "slug": el.get("wp:post_name"),
        }

    def page(self, el: wxr.Node, wp_id: int) -> None:
        item = (
            ImportedItem.objects.filter(site=self.site, kind=Kind.PAGE, wp_id=wp_id)
            .select_related("page")
            .first()
        )
        # A page's item always has its page (deleting one deletes both).
        page = cast(FlatPage, item.page) if item else FlatPage()
        link = old_path(el.get("link"))
        url = link if link and not link.startswith("?") else None
        url = url or f"/{el.get('wp:post_name') or slugify(el.get('title'))}/"
        url = url[:100]
        if not page.pk:
            base, n = url, 1
            while FlatPage.objects.filter(url=url).exists():
                n += 1
                url = f"{base.rstrip('/')}-{n}/"[:100]
            page.url = url
        page.title = el.get("title")[:200] or url
        page.content = self._body(el, wp_id)
        status = _status(el)
        page.registration_required = status != "publish" or bool(
            el.get("wp:post_password")
        )
        page.save()
        page.sites.add(Site.objects.get_current())
        extra = self._extra(el) | {"author": el.get("dc:creator")}
        item = self._item(
            Kind.PAGE,
            wp_id,
            page=page,
            permalink=el.get("link")[:500],
            guid=el.get("guid")[:500],
            extra=extra,
        )
        links = [f"?page_id={wp_id}", el.get("guid")]
        if link != page.url:
            links.append(el.get("link"))
        self._links(item.pk, links)
        self.report.counts[f"pages: {status}"] += 1
        comments = el.findall("wp:comment")
        for _comment in comments:
            self.report.skip(f"comment on page {wp_id}", "pages take no comments")

    def attachment(self, el: wxr.Node, wp_id: int) -> None:
        url = el.get("wp:attachment_url") or el.get("guid")
        meta = self._meta(el)
        rel = meta.get("_wp_attached_file") or self._uploads_path(url)
        name = self._copy(rel) if rel else None
        if not rel:
            self.report.missing(url or f"attachment {wp_id}")
        alt = meta.get("_wp_attachment_image_alt", "")
        caption = plain_text(el.get("excerpt:encoded"))
        parent = _int(el.get("wp:post_parent"))
        before = self.attachments.get(wp_id)
        if before is not None and before[3] != parent:  # listed twice: the last counts
            self.attached[before[3]].pop(wp_id, None)
        credit = wpcontent.image_credit(meta)[:150]
        self.attachments[wp_id] = (name or "", alt, caption, parent, credit)
        self.attached[parent].setdefault(wp_id, None)
        extra = self._extra(el) | {
            "url": url,
            "alt": alt,
            "caption": caption,
            "credit": credit,
            "title": el.get("title"),
            "author": el.get("dc:creator"),
        }
        item = self._item(
            Kind.ATTACHMENT,
            wp_id,
            file=name or "",
            permalink=el.get("link")[:500],
            guid=el.get("guid")[:500],
            extra=extra,
        )
        self._links(item.pk, [f"?attachment_id={wp_id}", el.get("link")])
        self.report.counts["attachments"] += 1

    @staticmethod
    def _meta(el: wxr.Node) -> dict[str, str]:
        return {
            m.get("wp:meta_key"): m.get("wp:meta_value")
            for m in el.findall("wp:postmeta")
        }

    def _uploads_path(self, url: str) -> str | None:
        match = _UPLOAD_URL.search(url or "")
        return unquote(match[3]) if match else None

    # ------------------------------------------------------------- media
    def _copy(self, rel: str) -> str | None:
        """Copy one file from --media-dir into media storage (once)."""
        if rel in self.media:
            return self.media[rel]
        name = None
        source = self._source(rel)
        if source is None:
            self.report.missing(rel)
        else:
            name = f"wordpress/{self._known_site.key}/{rel}"
            if not self.dry_run and not default_storage.exists(name):
                with source.open("rb") as handle:
                    name = default_storage.save(name, File(handle))
                self.copied.append(name)
        self.media[rel] = name
        return name

    def _library_image(
        self, name: str, alt: str, caption: str, credit: str
    ) -> Image | None:
        """The media library's image of a copied file, made once per content
        (a second import of the same address finds it), after the library's
        checks: None, noted, for a file that fails them."""
        if name in self.library:
            return self.library[name]
        try:
            image = image_from_storage(name, alt=alt, caption=caption, credit=credit)
        except ValidationError as exc:
            self.refused_media[name] = " ".join(exc.messages)[:200]
            image = None
        self.library[name] = image
        return image

    def _source(self, rel: str) -> Path | None:
        if self.media_dir is None or not rel or "\x00" in rel:
            return None
        source = (self.media_dir / rel.lstrip("/")).resolve()
        if not source.is_relative_to(self.media_dir) or not source.is_file():
            return None  # ../ tricks and links out of the folder count as missing
        return source

    def _rewrite_media(self, content: str) -> str:
        if "/wp-content/uploads/" not in content and ".files.wordpress.com/" not in (
            content
        ):
            return content

        def swap(match: re.Match) -> str:
            host = match[1].lower()
            if host not in self.hosts and not host.endswith(".files.wordpress.com"):
                return match[0]
            name = self._copy(unquote(match[3]))
            return default_storage.url(name) if name else match[0]

        return _UPLOAD_URL.sub(swap, content)

    def _image(self, wp_id: int) -> wpcontent.Image | None:
        found = self.attachments.get(wp_id)
        if not found or not found[0]:
            return None
        name, alt, caption, _parent, _credit = found
        return wpcontent.Image(default_storage.url(name), alt, caption)

    def _attached(self, wp_id: int) -> list[int]:
        """The post's attachments in file order (a gallery without ids shows
        them); looked up, not searched for: every post asks."""
        return list(self.attached.get(wp_id, ()))

    # ------------------------------------------------------------- posts
    def flush(self) -> None:
        """Write the buffered posts with their terms, comments and old links:
        a handful of multi-row INSERTs per batch (see _insert)."""
        batch, self.posts = self.posts, []
        if batch:
            self._write(batch)
            del batch
            self.batches += 1
            if self.batches % COLLECT_EVERY == 0:
                gc.collect()  # see _fewer_collections

    def _write(self, batch: list[_Post]) -> None:
        known: dict[int, tuple[int | None, int | None, dict[str, Any]]] = {
            int(wp_id): (pk, article_id, extra)
            for wp_id, pk, article_id, extra in ImportedItem.objects.filter(
                site=self.site, kind=Kind.POST, wp_id__in=[str(p.wp_id) for p in batch]
            ).values_list("wp_id", "pk", "article_id", "extra")
        }
        existing = set(
            Article.objects.filter(
                pk__in=[v[1] for v in known.values() if v[1]]
            ).values_list("pk", flat=True)
        )
        slugs = self._batch_slugs(batch, known)
        now = timezone.now()
        new, old = [], []
        rows = {}
        for post in list(batch):
            try:
                rows[post.wp_id] = self._fill(post, slugs[post.wp_id])
            except ITEM_ERRORS as exc:  # this post only: the rest goes on
                self.report.skip(f"post {post.wp_id}", _unusable(exc))
                batch.remove(post)
        for post in batch:
            item_pk, article_pk, extra = known.get(post.wp_id, (None, None, {}))
            row = rows[post.wp_id]
            post.item_id = item_pk
            post.comment_pks = {int(k): v for k, v in extra.get("comments", {}).items()}
            if article_pk in existing:
                post.article_pk = article_pk
                old.append((*row, now, article_pk))
            else:
                # A new article's comments are all this import's: counted here.
                approved = sum(
                    c.approved == "1" and c.kind in ("", "comment") and c.wp_id >= 0
                    for c in post.el.comments
                )
                new.append((*row, now, now, approved))
        ids = _insert(Article, new, names=_NEW_ARTICLE_COLUMNS, returning=True)
        new_ids = iter(ids)
        for post in batch:
            post.article_pk = post.article_pk or next(new_ids)
        _update(Article, old, _ARTICLE_FIELDS + ["updated_at"])
        tag_rows: dict[tuple[int, int], None] = {}
        for post in batch:
            self.touched.append(cast(int, post.article_pk))
            post.more = self._terms(post, tag_rows)
            self._deferred(post)
        through = Article.tags.through
        if old:
            through.objects.filter(article_id__in=[r[-1] for r in old]).delete()
        _insert(through, list(tag_rows), names=["article", "tag"])
        self._comments(batch)
        self._items(batch)
        self._save_links(
            {
                path: cast(int, p.item_id)
                for p in batch
                for path in (*p.el.paths, f"?p={p.wp_id}")
                if path
            }
        )
        if old:  # articles that may have comments of their own
            recount_comments([r[-1] for r in old])

    def _items(self, batch: list[_Post]) -> None:
        """The mapping rows (site, post, WordPress ID) of a batch."""
        items_new, items_old = [], []
        site, kind = self._known_site.pk, Kind.POST.value
        for post in batch:
            el = post.el
            permalink, guid = el.get("link")[:500], el.get("guid")[:500]
            extra = self._extra(el) | {
                "more_categories": post.more,
                "comments": post.comment_pks,
            }
            if post.item_id:
                items_old.append((permalink, guid, extra, post.item_id))
            else:
                items_new.append(
                    (
                        site,
                        kind,
                        str(post.wp_id),
                        post.article_pk,
                        "",
                        permalink,
                        guid,
                        extra,
                    )  # fmt: skip
                )
        _update(ImportedItem, items_old, ["permalink", "guid", "extra"])
        new_ids = iter(
            _insert(
                ImportedItem,
                items_new,
                names=[
                    "site",
                    "kind",
                    "wp_id",
                    "article",
                    "file",
                    "permalink",
                    "guid",
                    "extra",
                ],  # fmt: skip
                returning=True,
            )
        )
        for post in batch:
            post.item_id = post.item_id or next(new_ids)

    def _batch_slugs(self, batch: list[_Post], known: dict) -> dict[int, str]:
        wanted = {post.wp_id: post.el.slug for post in batch}
        owners = dict(
            Article.objects.filter(slug__in=list(wanted.values())).values_list(
                "slug", "pk"
            )
        )
        result, taken = {}, set()
        for post in batch:
            slug, own = wanted[post.wp_id], known.get(post.wp_id, (None, None))[1]
            if owners.get(slug, own) != own or slug in taken:
                slug = self._free_slug(Article, f"{slug[:180]}-{post.wp_id}", 200, own)
            taken.add(slug)
            result[post.wp_id] = slug
        return result

    def _fill(self, post: _Post, slug: str) -> tuple:
        """The article's values, in the order of _ARTICLE_FIELDS."""
        el = post.el
        status = _status(el)
        headline = el.get("title")[:250] or f"(untitled {post.wp_id})"
        body = el.body if el.body is not None else self._body(el, post.wp_id)
        article_status = POST_STATUS[status]
        if el.get("wp:post_password"):
            article_status = Article.Status.DRAFT
            self.report.counts["password-protected posts (kept as drafts)"] += 1
            self.report.note(
                f"post {post.wp_id} {headline[:60]!r} was password-protected: "
                "kept as a draft (Newshub has no passwords on articles)"
            )
        gmt = el.get("wp:post_date_gmt")
        published = self._date(el.get("wp:post_date"), gmt)
        if status in ("draft", "pending") and gmt in ("", ZERO_DATE):
            published = None  # WordPress's floating date: set when published
        if published is None and article_status in (
            Article.Status.PUBLISHED,
            Article.Status.SCHEDULED,
        ):
            published = timezone.now()
        # A scheduled post has a date by now: the test only tells mypy so.
        if article_status == Article.Status.SCHEDULED and published is not None:
            self.scheduled.append((post.wp_id, published))
        sticky = el.get("wp:is_sticky") == "1"
        comments_open = el.get("wp:comment_status", "open") == "open"
        login = el.get("dc:creator") or "unknown"
        author_pk = self.authors.get(login) or self._author(login)
        cats = [
            nicename or slugify(text)
            for domain, nicename, text in el.categories
            if domain == "category"
        ]
        meta = el.meta
        primary = self.term_ids.get(
            (
                meta.get("_yoast_wpseo_primary_category")
                or meta.get("rank_math_primary_category")
                or ""
            ).strip()
        )
        if primary in cats:  # the section Yoast or Rank Math marked as primary
            cats.remove(primary)
            cats.insert(0, primary)
        post.categories = cats
        post.bylines = [
            (nicename or "", text)
            for domain, nicename, text in el.categories
            if domain == "author"
        ]
        first = cats[0] if cats else "uncategorized"
        category_pk = self._category_pk(first, el)
        seo_title, seo_description = self._seo(el, headline, cats)
        self.report.counts[f"posts: {status}"] += 1
        return (headline, slug, el.standfirst, body, article_status.value, published,
                sticky, comments_open, author_pk, category_pk, seo_title,
                seo_description)  # fmt: skip

    def _seo(self, el: wpcontent.PostData, headline: str, cats: list[str]):
        """Yoast SEO's or Rank Math's title and description, their variables
        filled in as the plugin would show them."""
        meta = el.meta
        title = meta.get("_yoast_wpseo_title") or meta.get("rank_math_title") or ""
        description = (
            meta.get("_yoast_wpseo_metadesc") or meta.get("rank_math_description") or ""
        )
        if not (title or description):
            return "", ""
        names = {nicename: text for d, nicename, text in el.categories if d}
        values = {
            "title": headline,
            "sitename": self.channel.get("title", ""),
            "sitedesc": self.channel.get("description", ""),
            "excerpt": el.standfirst,
            "category": names.get(cats[0], "") if cats else "Uncategorized",
            "date": el.get("wp:post_date")[:10],
        }
        return (
            wpcontent.seo_text(title, values)[:300],
            wpcontent.seo_text(description, values)[:500],
        )

    def _category_pk(self, nicename: str, el: wpcontent.PostData) -> int:
        if nicename not in self.categories:
            names = {
                nice: text
                for domain, nice, text in el.categories
                if domain == "category"
            }
            self._category(nicename, name=names.get(nicename) or nicename.title())
        return self.categories[nicename]

    def _terms(self, post: _Post, tag_rows: dict) -> list[int]:
        el, article_pk = post.el, post.article_pk
        if post.bylines:  # resolved at the end: guest authors may come later
            self.coauthored.append((cast(int, article_pk), post.bylines))
        for domain, nicename, text in el.categories:
            if domain == "post_tag":
                slug = nicename or slugify(text) or "tag"
                pk = self.tags.get(slug) or self._tag(slug, name=text)
                tag_rows[article_pk, pk] = None
            elif domain not in ("category", "author", None):
                self.report.skip(
                    f"post {post.wp_id} term {text!r}", f"taxonomy {domain}"
                )
        return [self._category_pk(n, el) for n in post.categories[1:]]

    def _deferred(self, post: _Post) -> None:
        el = post.el
        thumb = _int(el.meta.get("_thumbnail_id", ""), 0)
        if thumb:
            self.thumbs.append((cast(int, post.article_pk), thumb))
        content = el.get("content:encoded")  # kept only when the body needs it
        if "[gallery" in content:
            # Its images may come later in the file: rendered again at the end.
            self.galleries.append((cast(int, post.article_pk), post.wp_id, content))

    # ------------------------------------------------------------- comments
    def _comments(self, batch: list[_Post]) -> None:
        rows = []  # (post, comment)
        skip = self.report.skip
        for post in batch:
            for c in post.el.comments:
                if c.kind not in ("", "comment"):
                    skip(f"{c.kind} {c.wp_id} on post {post.wp_id}", c.kind)
                elif c.wp_id < 0:
                    skip(f"comment on post {post.wp_id}", "no comment_id")
                else:
                    rows.append((post, c))
        parent_of = {c.wp_id: c.parent for _p, c in rows}
        for cid in sorted(_in_loops(parent_of)):
            # A reply to itself, or replies to each other in a ring: no thread
            # can hold them, so each starts one.
            parent_of[cid] = 0
            skip(f"comment {cid}", "reply in a loop of replies: kept top-level")

        def depth(cid: int) -> int:
            n, seen = 1, {cid}
            while parent_of.get(cid, 0) in parent_of and parent_of[cid] not in seen:
                cid = parent_of[cid]
                seen.add(cid)
                n += 1
            return n

        levels: dict[int, list] = defaultdict(list)
        for row in rows:
            cid = row[1].wp_id
            parent: int | None = parent_of[cid]
            if parent in parent_of:
                levels[depth(cid)].append(row)
            else:
                levels[1].append(row)
                if parent:
                    skip(f"comment {cid}", "reply to a missing comment: kept top-level")
        pk_of: dict[int, int] = {}
        thread_of: dict[int, int] = {}
        for level in sorted(levels):
            new, old = [], []
            for post, c in levels[level]:
                cid = c.wp_id
                parent = None
                thread: int | None = None
                if level > 1:
                    parent_cid = parent_of[cid]
                    parent, thread = pk_of[parent_cid], thread_of[parent_cid]
                values = self._comment(post, c, parent, thread, level)
                pk = post.comment_pks.get(cid)
                if pk:
                    old.append((*values[1:12], values[14], values[15], values[16], pk))
                    pk_of[cid] = pk
                    thread_of[cid] = thread or pk
                else:
                    new.append((post, cid, values))
            _update(Comment, old, _COMMENT_UPDATE)
            ids = _insert(
                Comment,
                [v for _p, _c, v in new],
                names=_COMMENT_COLUMNS,
                returning=True,
            )
            for (post, cid, values), pk in zip(new, ids, strict=True):
                post.comment_pks[cid] = pk_of[cid] = pk
                thread_of[cid] = values[2] or pk

    def _comment(self, post: _Post, c: wpcontent.CommentData, parent, thread,
                 depth: int) -> tuple:  # fmt: skip
        """The comment's values, in the order of _COMMENT_COLUMNS."""
        status = COMMENT_STATUS.get(c.approved, Comment.Status.PENDING)
        self.report.counts[f"comments: {status}"] += 1
        created = self._date(c.date, c.date_gmt) or timezone.now()
        return (post.article_pk, parent, thread, c.author, c.email, c.url,
                self.users.get(c.user_id), c.body, c.body_html, status.value,
                created, c.ip, "", False, Comment.hash_for(c.body), depth,
                Comment.Format.HTML.value)  # fmt: skip

    # ------------------------------------------------------------- the end
    def finish(self) -> None:
        """What needed the whole file: galleries and featured images."""
        for article_pk, wp_id, content in self.galleries:
            body = wpcontent.to_html(
                content,
                images=self._image,
                attached=self._attached(wp_id),
                rewrite_url=self._rewrite_media,
            )
            Article.objects.filter(pk=article_pk).update(body=body)
        for article_pk, thumb in self.thumbs:
            name, alt, caption, _parent, credit = self.attachments.get(
                thumb, ("", "", "", 0, "")
            )
            if not name:
                self.report.skip(
                    f"featured image {thumb} of article {article_pk}", "file not found"
                )
                continue
            if self.dry_run:
                continue
            image = self._library_image(name, alt, caption, credit)
            if image is None:
                self.report.skip(
                    f"featured image {thumb} of article {article_pk}",
                    self.refused_media.get(name, "not an image"),
                )
                continue
            Article.objects.filter(pk=article_pk).update(featured_image=image)
        self.report.counts["featured images"] += len(self.thumbs)
        self._bylines()
        self._header_menu()
        self._site_settings()

    # ------------------------------------------------------------- bylines
    def _bylines(self) -> None:
        """Every author of co-authored posts (Co-Authors Plus, PublishPress
        Authors), in the order the export lists them: the first is the
        article's author, the others its co-authors."""
        if not self.coauthored:
            return
        through = Article.coauthors.through
        found: dict[str, int] = {}
        rows: list[tuple[int, int]] = []
        changed: list[tuple[int, int]] = []
        for article_pk, bylines in self.coauthored:
            pks: list[int] = []
            for nicename, name in bylines:
                key = nicename or slugify(name)
                if key not in found:
                    found[key] = self._byline_author(nicename, name)
                if found[key] not in pks:
                    pks.append(found[key])
            changed.append((pks[0], article_pk))
            rows += [(article_pk, pk) for pk in pks[1:]]
        articles = [pk for pk, _bylines in self.coauthored]
        _update(Article, changed, ["author"])
        through.objects.filter(article_id__in=articles).delete()
        _insert(through, rows, names=["article", "author"])
        self.report.counts["co-authored posts"] += len(self.coauthored)

    def _byline_author(self, nicename: str, name: str) -> int:
        """The author a byline term names: a WordPress user of the export, a
        Co-Authors Plus guest author, a PublishPress Authors term, or else a
        new author by that name."""
        login = nicename.removeprefix("cap-")
        by_slug = {slugify(k): pk for k, pk in self.authors.items()}
        for candidate in (login, name):
            if candidate in self.authors:
                return self.authors[candidate]
            if slugify(candidate) in by_slug:
                return by_slug[slugify(candidate)]
        term_name, description, meta = self.author_terms.get(nicename, ("", "", {}))
        login_of = self.logins_by_id.get(meta.get("user_id", "").strip())
        if login_of in self.authors:  # PublishPress: a user's own term
            return self.authors[login_of]
        guest = self.guests.get(login) or next(
            (g for g in self.guests.values() if slugify(g.get("title", "")) == login),
            None,
        )
        if guest is not None:
            first = guest.get("cap-first_name", "")
            last = guest.get("cap-last_name", "")
            display = guest.get("cap-display_name") or guest.get("title") or login
            return self._guest_author(
                login, display, guest.get("cap-user_email", ""), first, last,
                guest.get("cap-description", ""),
            )  # fmt: skip
        display = term_name if meta else ""
        first, last = meta.get("first_name", ""), meta.get("last_name", "")
        display = display or " ".join(p for p in (first, last) if p) or name or login
        return self._guest_author(
            login or slugify(name), display, meta.get("user_email", ""), first, last,
            meta.get("description", "") or (description if meta else ""),
        )  # fmt: skip

    def _guest_author(self, login: str, display: str, email: str, first: str,
                      last: str, bio: str) -> int:  # fmt: skip
        """An author without a login account (a guest byline)."""
        key = f"guest:{login}"
        item = (
            ImportedItem.objects.filter(site=self.site, kind=Kind.AUTHOR, wp_id=key)
            .select_related("author")
            .first()
        )
        author = cast(Author, item.author) if item else Author()
        author.display_name = (display or login)[:120]
        author.bio = bio
        if not author.pk:
            author.slug = self._free_slug(Author, slugify(login) or "author", 120)
        author.save()
        extra = {"slug": key, "email": email, "first_name": first, "last_name": last}
        item = self._item(Kind.AUTHOR, key, author=author, extra=extra)
        self._links(item.pk, [f"/author/{slugify(login)}/"])
        self.authors[key] = author.pk
        self.report.counts["guest bylines"] += 1
        return author.pk

    # ------------------------------------------------------------- menu
    def _header_menu(self) -> None:
        """Order the header's sections as the old site's menu did, when its
        menu links to categories (the header lists top-level sections)."""
        if not self.menu_items:
            return
        preferred = ("header", "main", "primary", "top", "navigation", "menu")

        def rank(slug: str) -> tuple[int, int]:
            text = f"{slug} {self.menus.get(slug, '')}".lower()
            named = next((i for i, w in enumerate(preferred) if w in text), 99)
            cats = sum(o == "category" for _o, _i, _p, o, _t in self.menu_items[slug])
            return (named if cats else 100, -cats)

        slug = min(self.menu_items, key=rank)
        entries = sorted(self.menu_items[slug])
        wanted = [
            self.categories.get(self.term_ids.get(target, ""))
            for _order, _id, parent, kind, target in entries
            if kind == "category" and parent == "0"
        ]
        top = dict(
            Category.objects.filter(pk__in=[pk for pk in wanted if pk]).values_list(
                "pk", "parent_id"
            )
        )
        order = [pk for pk in dict.fromkeys(wanted) if pk and top.get(pk, 0) is None]
        if not order:
            return
        others = Category.objects.filter(parent__isnull=True).exclude(pk__in=order)
        others.update(position=len(order) + 1)
        for position, pk in enumerate(order, start=1):
            Category.objects.filter(pk=pk).update(position=position)
        name = self.menus.get(slug) or slug
        left = others.count()
        self.report.note(
            f"header: the sections of the menu {name!r} come first, in its order "
            f"({len(order)}){f', then {left} other sections' if left else ''}; "
            "its links to pages and other addresses are not imported"
        )

    # ------------------------------------------------------------- site
    def _site_settings(self) -> None:
        """The old site's name and tagline, if this site still has the
        defaults."""
        title = self.channel.get("title", "").strip()
        tagline = self.channel.get("description", "").strip()
        if tagline == "Just another WordPress site":  # WordPress's default
            tagline = ""
        site = SiteSettings.load()
        if not title or site.site_name != settings.SITE_NAME or site.tagline:
            return
        site.site_name, site.tagline = title[:100], tagline[:200]
        if not self.dry_run:
            site.save()
        self.report.note(f"site name set to {site.site_name!r} (was the default)")

    def after_commit(self) -> None:
        """Bulk writes send no signals: refresh caches, search and schedules."""
        pagecache.invalidate_site()
        cache.delete(NAV_CACHE_KEY)
        ids = sorted(set(self.touched))
        for start in range(0, len(ids), INDEX_CHUNK):
            reindex_articles.enqueue(ids[start : start + INDEX_CHUNK])
        for moment in sorted({m for _id, m in self.scheduled if m}):
            schedule_publication(
                Article(status=Article.Status.SCHEDULED, published_at=moment)
            )
        analyze_database.enqueue()  # the tables grew: fresh index statistics


_ARTICLE_FIELDS = ["headline", "slug", "standfirst", "body", "status",
                   "published_at", "sticky", "comments_open", "author",
                   "category", "seo_title", "seo_description"]  # fmt: skip
_NEW_ARTICLE_COLUMNS = _ARTICLE_FIELDS + [
    "created_at", "updated_at", "comment_count"]  # fmt: skip


#: What reading one odd item may raise; database errors stop the import.
ITEM_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError,
               OverflowError, UnicodeError)  # fmt: skip


def _unusable(exc: Exception) -> str:
    return f"could not be imported ({exc.__class__.__name__}: {exc})"[:300]


def _status(el: wxr.Node | wpcontent.PostData) -> str:
    """The item's WordPress status; a draft when it has none, as in WordPress."""
    return el.get("wp:status").strip() or "draft"


def _in_loops(parent_of: dict[int, int]) -> set[int]:
    """The comments whose chain of parents comes back to itself."""
    done: set[int] = set()
    looped: set[int] = set()
    for start in parent_of:
        path: list[int] = []
        on_path: set[int] = set()
        cid = start
        while cid in parent_of and cid not in done and cid not in on_path:
            path.append(cid)
            on_path.add(cid)
            cid = parent_of[cid]
        if cid in on_path:
            looped.update(path[path.index(cid) :])
        done.update(path)
    return looped


_COMMENT_COLUMNS = ["article", "parent", "thread", "author_name", "author_email",
                    "author_url", "user", "body", "body_html", "status",
                    "created_at", "ip_address", "user_agent", "notify_replies",
                    "content_hash", "depth", "body_format"]  # fmt: skip
_COMMENT_UPDATE = ["parent", "thread", "author_name", "author_email", "author_url",
                   "user", "body", "body_html", "status", "created_at",
                   "ip_address", "content_hash", "depth", "body_format"]  # fmt: skip

#: Field types whose values the database driver cannot take as they are.
_PREPARED = {"DateTimeField", "DateField", "TimeField", "JSONField", "DecimalField",
             "GenericIPAddressField", "UUIDField", "DurationField"}  # fmt: skip


def _preparer(field) -> Callable | None:
    """What turns a value of `field` into what the driver takes (None: as it
    is). On SQLite an aware datetime becomes the naive text in the connection's
    time zone directly: what DateTimeField.get_db_prep_save and the backend's
    adapt_datetimefield_value produce, without their checks on every value
    (a third of an import's preparing time; naive values still take that way)."""
    kind = field.get_internal_type()
    if kind not in _PREPARED:
        return None
    prep = field.get_db_prep_save
    if kind == "DateTimeField" and connection.vendor == "sqlite" and settings.USE_TZ:
        zone = connection.timezone

        def naive_text(value, connection):
            if value is None or value.tzinfo is None:
                return prep(value, connection)
            if value.tzinfo is not zone:
                value = value.astimezone(zone)
            return str(value.replace(tzinfo=None))

        return naive_text
    if kind == "GenericIPAddressField" and connection.vendor == "sqlite":

        def address(value, connection):
            # An IPv4 address (or nothing) is stored as it is: Django's own way
            # only changes IPv6 addresses (GenericIPAddressField.get_prep_value,
            # and SQLite's adapt_ipaddressfield_value: value or None).
            if not value or ":" not in value:
                return value or None
            return prep(value, connection)

        return address
    return prep


def _prepared_params(fields: list, rows: list) -> list:
    """The rows' values, flat, each through its field's preparer (_preparer)."""
    preparers = [(i, p) for i, p in enumerate(map(_preparer, fields)) if p]
    if not preparers:
        return [value for row in rows for value in row]
    params: list = []
    for row in rows:
        values = list(row)
        for i, prep in preparers:
            values[i] = prep(values[i], connection)
        params += values
    return params


def _insert(
    model, rows: list, *, names: list[str] | None = None, returning: bool = False
) -> list[int]:
    """Multi-row INSERTs without building model instances (the ORM's per-row
    work is most of an import's time). `rows` are dicts, or tuples of the
    values of `names` in that order. Values go through each field's
    get_db_prep_save, as the ORM would (see _preparer); with `returning`, the
    new primary keys in row order (what bulk_create relies on too, on SQLite
    and PostgreSQL)."""
    if not rows:
        return []
    if names is None:
        names = list(rows[0])
        rows = [[row[name] for name in names] for row in rows]
    opts = model._meta
    fields = [opts.get_field(name) for name in names]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(f.column) for f in fields)
    # SQLite's own placeholders: Django would rewrite each "%s" of a statement
    # with thousands of them, chunk after chunk. (When queries are logged or
    # watched through execute wrappers, the ordinary way.)
    raw = (
        connection.vendor == "sqlite"
        and not connection.execute_wrappers
        and not connection.queries_logged
    )
    one = "(" + ", ".join(["?" if raw else "%s"] * len(fields)) + ")"
    limit = connection.features.max_query_params or 30000
    per = max(1, min(500, limit // len(fields)))
    tail = f" RETURNING {qn(opts.pk.column)}" if returning else ""
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            params = _prepared_params(fields, chunk)
            sql = f"INSERT INTO {qn(opts.db_table)} ({columns}) VALUES "
            sql += ", ".join([one] * len(chunk)) + tail
            if raw:
                with connection.wrap_database_errors:
                    rows_out = sqlite3.Cursor.execute(cursor.cursor, sql, params)
                    if returning:
                        ids.extend(row[0] for row in rows_out.fetchall())
                continue
            cursor.execute(sql, params)
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _update(model, rows: list[tuple], names: list[str]) -> None:
    """UPDATE the `names` columns of each row, given as (*values, pk), as one
    executemany (bulk_update's CASE expressions are slow on large batches)."""
    if not rows:
        return
    opts = model._meta
    fields = [opts.get_field(name) for name in names]
    qn = connection.ops.quote_name
    sets = ", ".join(f"{qn(f.column)} = %s" for f in fields)
    sql = f"UPDATE {qn(opts.db_table)} SET {sets} WHERE {qn(opts.pk.column)} = %s"
    params = [
        [
            f.get_db_prep_save(value, connection)
            for f, value in zip(fields, row[:-1], strict=True)
        ]
        + [row[-1]]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def import_wxr(
    stream: IO[bytes],
    *,
    media_dir: Path | None = None,
    dry_run: bool = False,
    progress: Callable[[int, Counter], None] | None = None,
    category_base: str = "category",
    tag_base: str = "tag",
    recover: bool = False,
    download_media: download.Limits | None = None,
    download_progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Import one WordPress export; raises wxr.WXRError for a broken file.

    With `recover`, a file that is not well-formed XML is read by a
    recovering parser (the report lists what it could not read). With
    `download_media`, the export's attachments and in-content images are
    first fetched from the old site into `media_dir` (by default a folder
    per site under VAR_DIR/wordpress-media/), which the import then reads."""
    fetched = None
    if download_media is not None:
        from importers import download

        start = stream.tell()
        wanted, site = media_to_download(stream, recover=recover)
        stream.seek(start)
        folder = media_dir or settings.VAR_DIR / "wordpress-media" / site / "uploads"
        jobs = [(url, folder / rel) for rel, url in sorted(wanted.items())]
        fetched = download.fetch_all(jobs, download_media, download_progress)
        media_dir = folder
    importer = Importer(
        media_dir=media_dir,
        dry_run=dry_run,
        progress=progress,
        category_base=category_base,
        tag_base=tag_base,
        recover=recover,
    )
    report = importer.run(stream)
    if fetched is not None:
        report.counts["media downloaded"] = fetched.fetched
        report.counts["media already downloaded"] = fetched.present
        report.failed_downloads = fetched.failed
    return report


def media_to_download(
    stream: IO[bytes], *, recover: bool = False
) -> tuple[dict[str, str], str]:
    """What --download-media fetches: the uploads path and address of every
    attachment, and of every uploaded file the posts and pages show from the
    site itself (or its WordPress.com file host); and a folder name for the
    site."""
    channel: dict[str, str] = {}
    hosts: set[str] = set()
    wanted: dict[str, str] = {}
    base = ""
    for el in wxr.read(stream, recover=recover):
        if el.tag != "item":
            if not el.children:
                channel[el.tag] = el.text
            continue
        if not base:
            base = (
                channel.get("wp:base_blog_url")
                or channel.get("link")
                or channel.get("wp:base_site_url")
                or ""
            ).rstrip("/")
            for key in ("wp:base_blog_url", "link", "wp:base_site_url"):
                hosts.add(urlsplit(channel.get(key, "")).netloc.lower())
        if el.get("wp:post_type") == "attachment":
            url = urljoin(base + "/", el.get("wp:attachment_url") or el.get("guid"))
            meta = {
                m.get("wp:meta_key"): m.get("wp:meta_value")
                for m in el.findall("wp:postmeta")
            }
            found = _UPLOAD_URL.search(url)
            rel = meta.get("_wp_attached_file") or (unquote(found[3]) if found else "")
            if rel and url.startswith(("http://", "https://")):
                wanted.setdefault(_safe_rel(rel), url)
        for match in _UPLOAD_URL.finditer(el.get("content:encoded")):
            host = match[1].lower()
            if host in hosts or host.endswith(".files.wordpress.com"):
                url = match[0] if match[0].startswith("http") else "https:" + match[0]
                wanted.setdefault(_safe_rel(unquote(match[3])), url)
    wanted.pop("", None)
    where = urlsplit(base).netloc or slugify(channel.get("title", "")) or "site"
    return wanted, slugify(where.replace(".", "-")) or "site"


def _safe_rel(rel: str) -> str:
    """An uploads path that stays inside its folder ('' for one that would not)."""
    parts = [p for p in rel.replace("\\", "/").split("/") if p not in ("", ".")]
    if not parts or ".." in parts or "\x00" in rel:
        return ""
    return "/".join(parts)


# ----------------------------------------------------------------- export
WXR_HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- A WordPress eXtended RSS file (WXR 1.2) written by Newshub's export_wxr. -->
<!-- Import it with WordPress's Tools > Import > WordPress. -->
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:wfw="http://wellformedweb.org/CommentAPI/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
"""
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
WP_STATUS: dict[str, str] = {
    Article.Status.PUBLISHED: "publish",
    Article.Status.SCHEDULED: "future",
    Article.Status.DRAFT: "draft",
    Article.Status.PENDING: "pending",
    Article.Status.UNPUBLISHED: "draft",  # taken off the site (newsroom)
}
WP_APPROVED: dict[str, str] = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.TRASH: "trash",
}
#: Featured images become attachment items; their IDs must not meet articles'.
ATTACHMENT_ID_OFFSET = 1_000_000_000


def _cdata(value) -> str:
    text = _NOT_XML.sub("", str(value or ""))
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _esc(value) -> str:
    text = _NOT_XML.sub("", str(value or ""))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _wp_dates(moment: dt.datetime | None, tz) -> tuple[str, str]:
    if moment is None:
        return ZERO_DATE, ZERO_DATE
    fmt = "%Y-%m-%d %H:%M:%S"
    return (
        timezone.localtime(moment, tz).strftime(fmt),
        moment.astimezone(dt.UTC).strftime(fmt),
    )


class Exporter:
    def __init__(self, out, *, chunk: int = 500):
        self.out = out
        self.chunk = chunk
        self.tz = SiteSettings.load().tzinfo
        self.base = settings.SITE_URL
        self.logins: dict[int, str] = {}
        self.counts: Counter = Counter()

    def w(self, text: str) -> None:
        self.out.write(text)

    def run(self) -> Counter:
        site = SiteSettings.load()
        self.w(WXR_HEADER)
        self.w(f"\t<title>{_esc(site.site_name)}</title>\n")
        self.w(f"\t<link>{_esc(self.base)}</link>\n")
        self.w(f"\t<description>{_esc(site.tagline)}</description>\n")
        self.w(f"\t<language>{_esc(settings.LANGUAGE_CODE)}</language>\n")
        self.w("\t<wp:wxr_version>1.2</wp:wxr_version>\n")
        self.w(f"\t<wp:base_site_url>{_esc(self.base)}</wp:base_site_url>\n")
        self.w(f"\t<wp:base_blog_url>{_esc(self.base)}</wp:base_blog_url>\n")
        self.authors()
        self.categories()
        self.tags()
        self.articles()
        self.pages()
        self.w("</channel>\n</rss>\n")
        return self.counts

    def authors(self) -> None:
        imported = dict(
            ImportedItem.objects.filter(kind=Kind.AUTHOR).values_list(
                "author_id", "wp_id"
            )
        )
        for author in Author.objects.select_related("user").order_by("pk"):
            # Guest bylines are keyed "guest:<login>" (see Importer._guest_author).
            login = (imported.get(author.pk) or author.slug).removeprefix("guest:")
            self.logins[author.pk] = login
            user = author.user
            self.w(
                "\t<wp:author>"
                f"<wp:author_id>{author.pk}</wp:author_id>"
                f"<wp:author_login>{_cdata(login)}</wp:author_login>"
                f"<wp:author_email>{_cdata(user.email if user else '')}"
                "</wp:author_email>"
                f"<wp:author_display_name>{_cdata(author.display_name)}"
                "</wp:author_display_name>"
                f"<wp:author_first_name>{_cdata(user.first_name if user else '')}"
                "</wp:author_first_name>"
                f"<wp:author_last_name>{_cdata(user.last_name if user else '')}"
                "</wp:author_last_name>"
                "</wp:author>\n"
            )
            self.counts["authors"] += 1

    def categories(self) -> None:
        cats: dict[int | None, Category] = {c.pk: c for c in Category.objects.all()}
        done: set[int] = set()

        def emit(cat: Category) -> None:
            if cat.pk in done:
                return
            done.add(cat.pk)
            parent = cats.get(cat.parent_id)
            if parent:
                emit(parent)
            self.w(
                "\t<wp:category>"
                f"<wp:term_id>{cat.pk}</wp:term_id>"
                f"<wp:category_nicename>{_cdata(cat.slug)}</wp:category_nicename>"
                f"<wp:category_parent>{_cdata(parent.slug if parent else '')}"
                "</wp:category_parent>"
                f"<wp:cat_name>{_cdata(cat.name)}</wp:cat_name>"
                f"<wp:category_description>{_cdata(cat.description)}"
                "</wp:category_description>"
                "</wp:category>\n"
            )
            self.counts["categories"] += 1

        for cat in sorted(cats.values(), key=lambda c: c.pk):
            emit(cat)
        self.cats = cats

    def tags(self) -> None:
        descriptions = {
            tag_id: extra.get("description", "")
            for tag_id, extra in ImportedItem.objects.filter(kind=Kind.TAG).values_list(
                "tag_id", "extra"
            )
        }
        for tag in Tag.objects.order_by("pk"):
            self.w(
                "\t<wp:tag>"
                f"<wp:term_id>{tag.pk}</wp:term_id>"
                f"<wp:tag_slug>{_cdata(tag.slug)}</wp:tag_slug>"
                f"<wp:tag_name>{_cdata(tag.name)}</wp:tag_name>"
                f"<wp:tag_description>{_cdata(descriptions.get(tag.pk, ''))}"
                "</wp:tag_description>"
                "</wp:tag>\n"
            )
            self.counts["tags"] += 1

    def articles(self) -> None:
        qs = Article.objects.select_related("category", "featured_image")
        qs = qs.prefetch_related("tags")
        ids = list(qs.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), self.chunk):
            chunk = ids[start : start + self.chunk]
            extras = dict(
                ImportedItem.objects.filter(
                    kind=Kind.POST, article_id__in=chunk
                ).values_list("article_id", "extra")
            )
            comments = defaultdict(list)
            for comment in Comment.objects.filter(article_id__in=chunk).order_by("pk"):
                comments[comment.article_id].append(comment)
            for article in qs.filter(pk__in=chunk).order_by("pk"):
                self.article(article, extras.get(article.pk, {}), comments[article.pk])

    def article(self, article: Article, extra: dict, comments: list) -> None:
        local, gmt = _wp_dates(article.published_at, self.tz)
        if article.published_at is None:
            local = _wp_dates(article.created_at, self.tz)[0]
        status = WP_STATUS[article.status]
        if article.status == Article.Status.DRAFT and extra.get("status") == "private":
            status = "private"
        if status == "publish" and not article.is_live:
            status = "future"
        link = self.base + (
            article.get_absolute_url() if article.is_live else f"/?p={article.pk}"
        )
        terms = [article.category] + [
            self.cats[pk] for pk in extra.get("more_categories", []) if pk in self.cats
        ]
        self.w("\t<item>\n")
        self.w(f"\t\t<title>{_cdata(article.headline)}</title>\n")
        self.w(f"\t\t<link>{_esc(link)}</link>\n")
        self.w(f"\t\t<dc:creator>{_cdata(self.logins[article.author_id])}")
        self.w("</dc:creator>\n")
        self.w(f'\t\t<guid isPermaLink="false">{_esc(self.base)}/?p={article.pk}')
        self.w("</guid>\n\t\t<description></description>\n")
        # One Custom HTML block: WordPress shows stored HTML exactly as it is,
        # without its paragraph filter.
        body = f"<!-- wp:html -->\n{article.body}\n<!-- /wp:html -->"
        self.w(f"\t\t<content:encoded>{_cdata(body)}</content:encoded>\n")
        self.w(f"\t\t<excerpt:encoded>{_cdata(article.standfirst)}")
        self.w("</excerpt:encoded>\n")
        self.w(f"\t\t<wp:post_id>{article.pk}</wp:post_id>\n")
        self.w(f"\t\t<wp:post_date>{_cdata(local)}</wp:post_date>\n")
        self.w(f"\t\t<wp:post_date_gmt>{_cdata(gmt)}</wp:post_date_gmt>\n")
        state = "open" if article.comments_open else "closed"
        self.w(f"\t\t<wp:comment_status>{_cdata(state)}</wp:comment_status>\n")
        self.w(f"\t\t<wp:ping_status>{_cdata('closed')}</wp:ping_status>\n")
        self.w(f"\t\t<wp:post_name>{_cdata(article.slug)}</wp:post_name>\n")
        self.w(f"\t\t<wp:status>{_cdata(status)}</wp:status>\n")
        self.w("\t\t<wp:post_parent>0</wp:post_parent>\n")
        self.w("\t\t<wp:menu_order>0</wp:menu_order>\n")
        self.w(f"\t\t<wp:post_type>{_cdata('post')}</wp:post_type>\n")
        self.w(f"\t\t<wp:post_password>{_cdata('')}</wp:post_password>\n")
        self.w(f"\t\t<wp:is_sticky>{int(article.sticky)}</wp:is_sticky>\n")
        for cat in terms:
            self.w(f'\t\t<category domain="category" nicename="{_esc(cat.slug)}">')
            self.w(f"{_cdata(cat.name)}</category>\n")
        for tag in article.tags.all():
            self.w(f'\t\t<category domain="post_tag" nicename="{_esc(tag.slug)}">')
            self.w(f"{_cdata(tag.name)}</category>\n")
        if article.featured_image:
            self.meta("_thumbnail_id", ATTACHMENT_ID_OFFSET + article.pk)
        for comment in comments:
            self.comment(comment)
        self.w("\t</item>\n")
        self.counts[f"posts: {status}"] += 1
        if article.featured_image:
            self.attachment(article)

    def meta(self, key: str, value) -> None:
        self.w(
            f"\t\t<wp:postmeta><wp:meta_key>{_cdata(key)}</wp:meta_key>"
            f"<wp:meta_value>{_cdata(value)}</wp:meta_value></wp:postmeta>\n"
        )

    def comment(self, c: Comment) -> None:
        local, gmt = _wp_dates(c.created_at, self.tz)
        self.w(
            "\t\t<wp:comment>\n"
            f"\t\t\t<wp:comment_id>{c.pk}</wp:comment_id>\n"
            f"\t\t\t<wp:comment_author>{_cdata(c.author_name)}</wp:comment_author>\n"
            f"\t\t\t<wp:comment_author_email>{_cdata(c.author_email)}"
            "</wp:comment_author_email>\n"
            f"\t\t\t<wp:comment_author_url>{_esc(c.author_url)}"
            "</wp:comment_author_url>\n"
            f"\t\t\t<wp:comment_author_IP>{_cdata(c.ip_address or '')}"
            "</wp:comment_author_IP>\n"
            f"\t\t\t<wp:comment_date>{_cdata(local)}</wp:comment_date>\n"
            f"\t\t\t<wp:comment_date_gmt>{_cdata(gmt)}</wp:comment_date_gmt>\n"
            f"\t\t\t<wp:comment_content>{_cdata(c.body)}</wp:comment_content>\n"
            f"\t\t\t<wp:comment_approved>{_cdata(WP_APPROVED[c.status])}"
            "</wp:comment_approved>\n"
            f"\t\t\t<wp:comment_type>{_cdata('comment')}</wp:comment_type>\n"
            f"\t\t\t<wp:comment_parent>{c.parent_id or 0}</wp:comment_parent>\n"
            f"\t\t\t<wp:comment_user_id>{c.user_id or 0}</wp:comment_user_id>\n"
            "\t\t</wp:comment>\n"
        )
        self.counts[f"comments: {c.status}"] += 1

    def attachment(self, article: Article) -> None:
        # Called for articles with an image only.
        image = cast(Image, article.featured_image)
        name = cast(str, image.file.name)
        url = default_storage.url(name)
        if not url.startswith(("http://", "https://")):  # not a cloud store's
            url = self.base + url
        local, gmt = _wp_dates(article.published_at or article.created_at, self.tz)
        wp_id = ATTACHMENT_ID_OFFSET + article.pk
        self.w("\t<item>\n")
        self.w(f"\t\t<title>{_cdata(Path(name).stem)}</title>\n")
        self.w(f"\t\t<link>{_esc(url)}</link>\n")
        self.w(f"\t\t<dc:creator>{_cdata(self.logins[article.author_id])}")
        self.w("</dc:creator>\n")
        self.w(f'\t\t<guid isPermaLink="false">{_esc(url)}</guid>\n')
        self.w(f"\t\t<content:encoded>{_cdata('')}</content:encoded>\n")
        self.w(f"\t\t<excerpt:encoded>{_cdata(image.caption)}")
        self.w("</excerpt:encoded>\n")
        self.w(f"\t\t<wp:post_id>{wp_id}</wp:post_id>\n")
        self.w(f"\t\t<wp:post_date>{_cdata(local)}</wp:post_date>\n")
        self.w(f"\t\t<wp:post_date_gmt>{_cdata(gmt)}</wp:post_date_gmt>\n")
        self.w(f"\t\t<wp:post_name>{_cdata(slugify(Path(name).stem))}")
        self.w("</wp:post_name>\n")
        self.w(f"\t\t<wp:status>{_cdata('inherit')}</wp:status>\n")
        self.w(f"\t\t<wp:post_parent>{article.pk}</wp:post_parent>\n")
        self.w(f"\t\t<wp:post_type>{_cdata('attachment')}</wp:post_type>\n")
        self.w(f"\t\t<wp:attachment_url>{_cdata(url)}</wp:attachment_url>\n")
        self.meta("_wp_attached_file", name)
        self.meta("_wp_attachment_image_alt", image.alt)
        if image.credit:
            self.meta("_media_credit", image.credit)
        self.w("\t</item>\n")
        self.counts["attachments"] += 1

    def pages(self) -> None:
        extras = dict(
            ImportedItem.objects.filter(kind=Kind.PAGE).values_list("page_id", "extra")
        )
        logins = set(self.logins.values())
        for page in FlatPage.objects.order_by("pk"):
            extra = extras.get(page.pk, {})
            status = extra.get("status") or (
                "private" if page.registration_required else "publish"
            )
            author = extra.get("author") or ""
            self.w("\t<item>\n")
            self.w(f"\t\t<title>{_cdata(page.title)}</title>\n")
            self.w(f"\t\t<link>{_esc(self.base + page.url)}</link>\n")
            self.w(f"\t\t<dc:creator>{_cdata(author if author in logins else '')}")
            self.w("</dc:creator>\n")
            guid = f"{self.base}/?page_id={page.pk}"
            self.w(f'\t\t<guid isPermaLink="false">{_esc(guid)}</guid>\n')
            body = f"<!-- wp:html -->\n{page.content}\n<!-- /wp:html -->"
            self.w(f"\t\t<content:encoded>{_cdata(body)}</content:encoded>\n")
            self.w(f"\t\t<excerpt:encoded>{_cdata('')}</excerpt:encoded>\n")
            self.w(
                f"\t\t<wp:post_id>{ATTACHMENT_ID_OFFSET * 2 + page.pk}</wp:post_id>\n"
            )
            for tag in ("date", "date_gmt"):
                value = extra.get(tag) or ZERO_DATE
                self.w(f"\t\t<wp:post_{tag}>{_cdata(value)}</wp:post_{tag}>\n")
            slug = page.url.strip("/").rsplit("/", 1)[-1]
            self.w(f"\t\t<wp:post_name>{_cdata(slug)}</wp:post_name>\n")
            self.w(f"\t\t<wp:status>{_cdata(status)}</wp:status>\n")
            self.w("\t\t<wp:post_parent>0</wp:post_parent>\n")
            order = extra.get("menu_order", "0")
            self.w(f"\t\t<wp:menu_order>{_esc(order)}</wp:menu_order>\n")
            self.w(f"\t\t<wp:post_type>{_cdata('page')}</wp:post_type>\n")
            self.w("\t</item>\n")
            self.counts[f"pages: {status}"] += 1


def export_wxr(out) -> Counter:
    """Write the whole site as WXR 1.2 to the text stream `out`."""
    return Exporter(out).run()
