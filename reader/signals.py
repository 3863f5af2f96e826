"""Which cached pages a change of content makes outdated (lib/pagecache).

The reader pages are tagged with what they show (reader/views.py,
articles/feeds.py, articles/sitemaps.py): an article's page with
("article", slug) and ("comments", slug); a section's, tag's, author's or
date's list with ("section", slug) ...; the home page and site feeds with
FRONT; /page/N/ and the sitemaps with LATEST. Here, after each change
commits, the tags of the pages that show the article, or list it, before or
after the change, are bumped; no other page is touched. Names every page
prints (a section, an author, the site's settings) bump SITE. A comment that
becomes public (or stops being) changes its article's count on the cards of
the lists that show it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from articles.models import Article, Author, Category, Correction, Tag
from articles.services import CORRECTIONS
from articles.signals import article_published
from comments.models import Comment, DiscussionSettings
from core.models import SiteSettings
from lib import pagecache
from lib.pagecache import FRONT, LATEST, tag
from lib.singleton import SingletonModel
from media.signals import image_changed
from reader.blocks import LATEST_COUNT, SECTION_COUNT

#: An edited story is on the home page and the site's feeds (FRONT) when it
#: is among this many newest live stories, or of its main section, or sticky.
#: More than the home page shows (LATEST_COUNT + 1, and the feeds' 20): the
#: check is made once per save, and a few extra rebuilds cost little.
FRONT_DEPTH = 50
SECTION_DEPTH = LATEST_COUNT + SECTION_COUNT + 1

_BEFORE = "_page_cache_before"


def _site_day(moment: dt.datetime | None) -> dt.date | None:
    if moment is None:
        return None
    return timezone.localtime(moment, SiteSettings.load().tzinfo).date()


def _memberships(
    *, category_id: int | None, author_id: int | None, published_at: Any
) -> set[str]:
    """Tags of the lists an article with these values is in, when live."""
    tags = {LATEST}
    sections = Category.objects.filter(pk__in=Category.ancestor_ids(category_id))
    tags |= {tag("section", slug) for slug in sections.values_list("slug", flat=True)}
    if author_id is not None:
        author = Author.objects.filter(pk=author_id).values_list("slug", flat=True)
        tags |= {tag("author", slug) for slug in author}
    day = _site_day(published_at)
    if day is not None:
        tags |= {
            tag("date", f"{day:%Y}"),
            tag("date", f"{day:%Y-%m}"),
            tag("date", f"{day:%Y-%m-%d}"),
        }
    return tags


def _article_lists(article: Article) -> set[str]:
    """Every list the article is in now (sections, authors, tags, dates)."""
    tags = _memberships(
        category_id=article.category_id,
        author_id=article.author_id,
        published_at=article.published_at,
    )
    if article.pk:
        tags |= {tag("tag", s) for s in article.tags.values_list("slug", flat=True)}
        coauthors = article.coauthors.values_list("slug", flat=True)
        tags |= {tag("author", slug) for slug in coauthors}
    return tags


def _on_front(article: Article) -> bool:
    """Whether the home page or the site's feeds may show this live story."""
    if article.sticky:
        return True
    live = Article.objects.published()
    newest = live.newest_first().values_list("pk", flat=True)
    if article.pk in list(newest[:FRONT_DEPTH]):
        return True
    main = Category.ancestor_ids(article.category_id)[-1:]
    if not main:
        return False
    section = Category.objects.get(pk=main[0])
    in_section = live.in_category(section).newest_first().values_list("pk", flat=True)
    return article.pk in list(in_section[:SECTION_DEPTH])


def remember_before(sender: type[Article], instance: Article, **kwargs: Any) -> None:
    """pre_save: what the article's pages showed before this save."""
    if instance.pk is None:
        return
    before = (
        Article.objects.filter(pk=instance.pk)
        .values("slug", "status", "published_at", "category_id", "author_id", "sticky")
        .first()
    )
    setattr(instance, _BEFORE, before)


def article_saved(sender: type[Article], instance: Article, **kwargs: Any) -> None:
    before = getattr(instance, _BEFORE, None)
    tags = {tag("article", instance.slug)}
    was_live = before is not None and _was_live(before)
    if before and before["slug"] != instance.slug:
        tags.add(tag("article", before["slug"]))
    if instance.is_live or was_live:
        tags |= _article_lists(instance)
        moved = not before or not was_live or not instance.is_live
        if before:
            tags |= _memberships(
                category_id=before["category_id"],
                author_id=before["author_id"],
                published_at=before["published_at"],
            )
            moved = moved or any(
                before[field] != getattr(instance, field)
                for field in ("category_id", "author_id", "published_at", "sticky")
            )
        if moved or _on_front(instance):
            tags.add(FRONT)
    if instance.pk and Correction.objects.filter(article_id=instance.pk).exists():
        tags.add(CORRECTIONS)  # it lists the story's headline and link
    pagecache.invalidate_on_commit(*tags)


def _was_live(before: dict[str, Any]) -> bool:
    published_at = before["published_at"]
    return (
        before["status"] == Article.Status.PUBLISHED
        and published_at is not None
        and published_at <= timezone.now()
    )


def article_deleted(sender: type[Article], instance: Article, **kwargs: Any) -> None:
    tags = {tag("article", instance.slug), FRONT}
    tags |= _memberships(
        category_id=instance.category_id,
        author_id=instance.author_id,
        published_at=instance.published_at,
    )
    pagecache.invalidate_on_commit(*tags)


def article_went_live(*, article_id: int, **kwargs: Any) -> None:
    """A scheduled story was published (no save signal: a conditional UPDATE)."""
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        pagecache.invalidate_on_commit(
            *{tag("article", article.slug), FRONT, *_article_lists(article)}
        )


def article_relations_changed(
    sender: type[Model],
    instance: Model,
    action: str,
    reverse: bool,
    model: type[Model],
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    """Tags or co-authors added to or removed from an article."""
    if not action.startswith("post_") or reverse or not isinstance(instance, Article):
        return
    tags = {tag("article", instance.slug)}
    if instance.is_live:
        kind = "tag" if model is Tag else "author"
        changed = model._default_manager.filter(pk__in=pk_set or ())
        tags |= {tag(kind, slug) for slug in changed.values_list("slug", flat=True)}
        if action == "post_clear":
            tags |= _article_lists(instance)
    pagecache.invalidate_on_commit(*tags)


def correction_changed(
    sender: type[Correction], instance: Correction, **kwargs: Any
) -> None:
    """A note saved or deleted: the corrections page, and the pages and
    feeds that show its story (its page, the feeds of its lists; the note
    also moved the story's `updated_at`, which its fragments are kept by)."""
    tags = {CORRECTIONS}
    article = Article.objects.filter(pk=instance.article_id).first()
    if article is not None:
        tags.add(tag("article", article.slug))
        if article.is_live:
            tags |= _article_lists(article)
            if _on_front(article):
                tags.add(FRONT)
    pagecache.invalidate_on_commit(*tags)


_WAS_PUBLIC = "_page_cache_was_public"


def remember_comment(sender: type[Comment], instance: Comment, **kwargs: Any) -> None:
    """pre_save: whether the comment was public before this save."""
    status = None
    if instance.pk is not None:
        stored = Comment.objects.filter(pk=instance.pk).values_list("status", flat=True)
        status = stored.first()
    setattr(instance, _WAS_PUBLIC, status == Comment.Status.APPROVED)


def comment_saved(sender: type[Comment], instance: Comment, **kwargs: Any) -> None:
    """A comment became public or stopped being: the cards that show its
    article's comment count (its lists, the home page if it is there) are
    outdated too. Its own page and feed: comments.services, tag comments:<slug>."""
    if instance.is_public == getattr(instance, _WAS_PUBLIC, False):
        return
    article = instance.article
    if article.is_live:
        tags = _article_lists(article)
        if _on_front(article):
            tags.add(FRONT)
        pagecache.invalidate_on_commit(*tags)


def everything_changed(sender: type[Model], **kwargs: Any) -> None:
    """A name every page may print changed (site settings, a section, tag or
    author): every page is rebuilt at its next request. The settings' row
    made on first use holds the defaults pages were already made with."""
    if kwargs.get("created") and issubclass(sender, SingletonModel):
        return
    pagecache.invalidate_on_commit(pagecache.SITE)


def image_shown_changed(*, image_id: int, **kwargs: Any) -> None:
    """media.signals.image_changed (after the commit): its renditions were
    made, or its words or focal point changed. The stories that show it are
    touched (`updated_at`: their cards' and fragments' keys) and their pages
    and lists outdated, as for an edit; an author's photo is printed on every
    page of theirs and in every article's author box: SITE, as for a rename."""
    showing = Article.objects.showing_image(image_id)
    articles = list(showing.only("pk", "slug", "status", "published_at",
                                 "category_id", "author_id", "sticky"))  # fmt: skip
    tags: set[str] = set()
    if articles:
        showing.update(updated_at=timezone.now())
        for article in articles:
            tags.add(tag("article", article.slug))
            if article.is_live:
                tags |= _article_lists(article)
                if _on_front(article):
                    tags.add(FRONT)
    if Author.objects.filter(photo_id=image_id).exists():
        tags.add(pagecache.SITE)
    pagecache.invalidate_on_commit(*tags)


def connect() -> None:
    """Called by ReaderConfig.ready()."""
    pre_save.connect(remember_before, sender=Article, dispatch_uid="pc-before")
    post_save.connect(article_saved, sender=Article, dispatch_uid="pc-article")
    post_delete.connect(article_deleted, sender=Article, dispatch_uid="pc-article-del")
    article_published.connect(article_went_live, dispatch_uid="pc-article-live")
    image_changed.connect(image_shown_changed, dispatch_uid="pc-image")
    post_save.connect(correction_changed, sender=Correction, dispatch_uid="pc-note")
    post_delete.connect(
        correction_changed, sender=Correction, dispatch_uid="pc-note-del"
    )
    pre_save.connect(remember_comment, sender=Comment, dispatch_uid="pc-comment-before")
    post_save.connect(comment_saved, sender=Comment, dispatch_uid="pc-comment")
    for through in (Article.tags.through, Article.coauthors.through):
        m2m_changed.connect(
            article_relations_changed, sender=through, dispatch_uid=f"pc-{through}"
        )
    for model in (Author, Category, Tag, SiteSettings, DiscussionSettings):
        post_save.connect(everything_changed, sender=model, dispatch_uid=f"pc-{model}")
        post_delete.connect(
            everything_changed, sender=model, dispatch_uid=f"pc-del-{model}"
        )
