"""Snapshots of an article, its revisions, word-level diffs, restores and
autosaves."""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Article, Author, Category, Tag
from lib.html import clean_html
from media.models import Image
from revisions.models import Revision

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

    Account = User | AnonymousUser

Snapshot = dict[str, Any]

#: What an autosave keeps: the form's text fields, as typed.
AUTOSAVE_FIELDS = (
    "headline", "standfirst", "body", "seo_title", "seo_description",
)  # fmt: skip
#: Most characters an autosave may hold, all fields together (a long
#: feature's HTML is about 100,000).
AUTOSAVE_MAX_CHARS = 1_000_000
#: What a restore writes back: the story's content and filing. Its status,
#: publication time, slug, byline and sticky flag stay as they are, as in
#: WordPress: publishing is a separate decision, with its own permission.
RESTORED_FIELDS = AUTOSAVE_FIELDS
RESTORED_RELATIONS = ("category", "tags", "coauthors")

#: The fields a diff shows, in the form's order, with their labels.
DIFF_FIELDS = {
    "headline": gettext_lazy("Headline"),
    "slug": gettext_lazy("Slug"),
    "standfirst": gettext_lazy("Standfirst"),
    "body": gettext_lazy("Body"),
    "status": gettext_lazy("Status"),
    "published_at": gettext_lazy("Published at"),
    "sticky": gettext_lazy("Sticky"),
    "comments_open": gettext_lazy("Comments open"),
    "category": gettext_lazy("Primary category"),
    "tags": gettext_lazy("Tags"),
    "author": gettext_lazy("Author"),
    "coauthors": gettext_lazy("Co-authors"),
    "featured_image": gettext_lazy("Featured image"),
    "seo_title": gettext_lazy("SEO title"),
    "seo_description": gettext_lazy("SEO description"),
}


# -- Snapshots ----------------------------------------------------------------


def _ref(
    obj: Category | Author | Tag | Image | None, name: str
) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": name}


def _image_ref(image: Image | None) -> dict[str, Any] | None:
    return _ref(image, str(image)) if image is not None else None


def snapshot(article: Article) -> Snapshot:
    """The article's fields as they are in memory (its relations read from
    the database), as JSON."""
    text = {name: getattr(article, name) for name in AUTOSAVE_FIELDS}
    return text | {
        "slug": article.slug,
        "status": article.status,
        "published_at": (
            article.published_at.isoformat() if article.published_at else None
        ),
        "sticky": article.sticky,
        "comments_open": article.comments_open,
        "category": _ref(article.category, article.category.name),
        "tags": [_ref(t, t.name) for t in article.tags.order_by("pk")],
        "author": _ref(article.author, article.author.display_name),
        "coauthors": [
            _ref(a, a.display_name) for a in article.coauthors.order_by("pk")
        ],
        "featured_image": _image_ref(article.featured_image),
    }


def fingerprint(snap: Snapshot) -> str:
    """A short digest of what a snapshot says (related objects by id, so a
    renamed tag changes nothing): the version an edit form was opened from."""

    def ids(value: Any) -> Any:
        if isinstance(value, dict):
            return value["id"]
        if isinstance(value, list):
            return [ids(v) for v in value]
        return value

    plain = {key: ids(value) for key, value in snap.items()}
    encoded = json.dumps(plain, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def current_version(article_id: int, *, lock: bool = False) -> tuple[Article, str]:
    """The article as stored now and its fingerprint (its row locked for
    the rest of the transaction when asked, on databases that can)."""
    articles = Article.objects.select_related("category", "author")
    if lock and transaction.get_connection().in_atomic_block:
        articles = articles.select_for_update(of=("self",))
    article = articles.get(pk=article_id)
    return article, fingerprint(snapshot(article))


def as_submitted(current: Snapshot, data: dict[str, Any]) -> Snapshot:
    """What a form's cleaned data would make of the stored snapshot."""
    snap = dict(current)
    for name in (*AUTOSAVE_FIELDS, "slug", "status", "sticky", "comments_open"):
        if name in data:
            snap[name] = data[name]
    if "published_at" in data:
        when = data["published_at"]
        snap["published_at"] = when.isoformat() if when else None
    if data.get("category") is not None:
        snap["category"] = _ref(data["category"], data["category"].name)
    if data.get("author") is not None:
        snap["author"] = _ref(data["author"], data["author"].display_name)
    if "featured_image" in data:
        snap["featured_image"] = _image_ref(data["featured_image"])
    if "tags" in data:
        snap["tags"] = [_ref(t, t.name) for t in data["tags"]]
    if "coauthors" in data:
        snap["coauthors"] = [_ref(a, a.display_name) for a in data["coauthors"]]
    return snap


# -- Revisions ------------------------------------------------------------------


def latest(article: Article) -> Revision | None:
    return article.revisions.saved().select_related("user").first()


def record(
    *, article: Article, user: Account | None, note: str = "", force: bool = False
) -> Revision | None:
    """Keep the article as it is now as its next revision; none when nothing
    changed since the last one (as WordPress does), unless forced."""
    snap = snapshot(article)
    last = latest(article)
    if last is not None and not force and last.snapshot == snap:
        return None
    number = (
        article.revisions.saved().aggregate(n=Max("number"))["n"] or 0
    ) + 1  # the unique constraint refuses a second writer's same number
    return Revision.objects.create(
        article=article,
        number=number,
        user_id=user.pk if user is not None and user.is_authenticated else None,
        snapshot=snap,
        note=note,
    )


def record_baseline(article_id: int) -> None:
    """Before the first recorded edit of an article that has no revision
    (written before revisions were kept, or imported), keep it as it was."""
    if Revision.objects.filter(article_id=article_id, is_autosave=False).exists():
        return
    stored = Article.objects.select_related("category", "author").get(pk=article_id)
    record(article=stored, user=None, note=_("As it was before revisions were kept"))


def restore(*, revision: Revision, user: Account) -> Revision:
    """Write the revision's content back into its article and keep that as
    a new revision. Categories, tags and co-authors deleted since are left
    out. Status, publication time, slug and byline are not touched."""
    article = revision.article
    snap = revision.snapshot
    for name in RESTORED_FIELDS:
        if name in snap:
            setattr(article, name, snap[name])
    image = snap.get("featured_image")
    # Revisions from before the media library kept a file name: left alone.
    if image is None or isinstance(image, dict):
        image_id = image["id"] if image else None
        if image_id is None or Image.objects.filter(pk=image_id).exists():
            article.featured_image_id = image_id
    category_id = (snap.get("category") or {}).get("id")
    if category_id is not None and Category.objects.filter(pk=category_id).exists():
        article.category_id = category_id
    article.save()
    tag_ids = [t["id"] for t in snap.get("tags", [])]
    article.tags.set(Tag.objects.filter(pk__in=tag_ids))
    author_ids = [a["id"] for a in snap.get("coauthors", [])]
    article.coauthors.set(Author.objects.filter(pk__in=author_ids))
    who = _name(user)
    note = _("Restored from revision %(number)s by %(user)s") % {
        "number": revision.number,
        "user": who,
    }
    restored = record(article=article, user=user, note=note, force=True)
    assert restored is not None  # forced
    return restored


def _name(user: Account) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())


# -- Autosaves ------------------------------------------------------------------


class AutosaveTooLarge(ValueError):
    pass


def autosave(
    *, article: Article, user: Account, fields: dict[str, str], base_version: str
) -> Revision:
    """Keep the editor's unsaved text (one autosave per editor and story,
    overwritten each time)."""
    text = {name: fields[name] for name in AUTOSAVE_FIELDS if name in fields}
    if sum(len(value) for value in text.values()) > AUTOSAVE_MAX_CHARS:
        raise AutosaveTooLarge
    snap = {**text, "base_version": base_version[:64]}
    user_id = cast(int, user.pk)  # staff only: signed in
    values = {"snapshot": snap, "created_at": timezone.now(), "number": None}
    try:
        with transaction.atomic():
            saved, _created = Revision.objects.update_or_create(
                article=article, user_id=user_id, is_autosave=True, defaults=values
            )
    except IntegrityError:  # the same editor's other tab made it meanwhile
        saved, _created = Revision.objects.update_or_create(
            article=article, user_id=user_id, is_autosave=True, defaults=values
        )
    return saved


def pending_autosave(article: Article, user: Account) -> Revision | None:
    """The editor's autosave of this story, when its text differs from the
    story's (the body compared once sanitised, as a save would store it)."""
    if not user.is_authenticated:
        return None
    mine = Revision.objects.autosaves().filter(article=article, user_id=user.pk)
    found = mine.first()
    if found is None:
        return None
    for name in AUTOSAVE_FIELDS:
        if name not in found.snapshot:
            continue
        value = found.snapshot[name]
        if name == "body":
            value = clean_html(value)
        if value != getattr(article, name):
            return found
    return None


def apply_autosave(article: Article, saved: Revision) -> None:
    """Put an autosave's text into the article in memory (the edit form
    then shows it; nothing is stored until the editor saves)."""
    for name in AUTOSAVE_FIELDS:
        if isinstance(saved.snapshot.get(name), str):
            setattr(article, name, saved.snapshot[name])


def discard_autosave(article: Article, user: Account) -> None:
    if user.is_authenticated:
        mine = Revision.objects.autosaves().filter(article=article, user_id=user.pk)
        mine.delete()


# -- Diffs ------------------------------------------------------------------------

#: An HTML tag, a word, a run of punctuation, or a run of white space.
_TOKENS = re.compile(r"<[^<>]*>|\w+|[^\w\s<]+|<|\s+")


def word_diff(old: str, new: str) -> SafeString:
    """`old` against `new`, word by word, as escaped HTML: removed words in
    <del>, added ones in <ins>. Markup is compared and shown as text."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    # Past ~20,000 tokens, difflib's heuristic for frequent words keeps the
    # comparison fast; below, every word may anchor a match.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > 40_000)
    parts: list[str] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(parts))  # every piece escaped above


def display(name: str, value: Any) -> str:
    """A snapshot's value as the diff shows it."""
    if value is None:
        return ""
    if name == "status":
        return str(Article.Status(value).label) if value in Article.Status else value
    if name == "published_at":
        when = parse_datetime(value)
        return timezone.localtime(when).strftime("%Y-%m-%d %H:%M") if when else value
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return str(value.get("name", ""))
    if isinstance(value, list):
        return ", ".join(str(v.get("name", "")) for v in value)
    return str(value)


@dataclass
class FieldDiff:
    name: str
    label: str
    html: SafeString


def compare(old: Snapshot, new: Snapshot) -> list[FieldDiff]:
    """The fields that differ between two snapshots, each as a word diff."""
    changes = []
    for name, label in DIFF_FIELDS.items():
        before, after = display(name, old.get(name)), display(name, new.get(name))
        if before != after:
            changes.append(FieldDiff(name, str(label), word_diff(before, after)))
    return changes
