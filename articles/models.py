from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from lib.html import clean_bio, clean_html, plain_text
from lib.urls import cached_reverse
from media.models import Image
from media.services import body_image_ids

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser, AnonymousUser

    Account = AbstractUser | AnonymousUser


class Category(models.Model):
    name = models.CharField(
        _("name"), max_length=100, help_text=_("e.g. Naval Affairs")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Leave empty for a main section shown on the home page"),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Order in the menu, e.g. 10")
    )

    # Set by the sections' sitemap (articles.sitemaps) on the rows it lists.
    lastmod: dt.datetime | None
    sitemap_path: str

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:category", path=self.path)

    @property
    def path(self) -> str:
        """WordPress-style nested path: parent-slug/child-slug."""
        slugs: list[str] = []
        node: Category | None = self
        seen: set[int] = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            slugs.append(node.slug)
            node = node.parent
        return "/".join(reversed(slugs))

    def descendant_ids(
        self, tree: dict[int | None, list[int]] | None = None
    ) -> list[int]:
        """This category and every category below it (one query, or none when
        a tree from Category.tree() is passed)."""
        tree = Category.tree() if tree is None else tree
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = [c for p in frontier for c in tree.get(p, []) if c not in ids]
            ids.extend(frontier)
        return ids

    @staticmethod
    def ancestor_ids(
        category_id: int | None, parents: dict[int, int | None] | None = None
    ) -> list[int]:
        """This category and every category above it (one query, or none when
        a map from Category.parents() is passed)."""
        parents = Category.parents() if parents is None else parents
        ids: list[int] = []
        while category_id is not None and category_id not in ids:
            ids.append(category_id)
            category_id = parents.get(category_id)
        return ids

    @staticmethod
    def parents() -> dict[int, int | None]:
        """Map each category id to its parent's id."""
        return dict(Category.objects.values_list("pk", "parent_id"))

    @staticmethod
    def tree() -> dict[int | None, list[int]]:
        """Map each category id (None for the top) to its children's ids."""
        tree: dict[int | None, list[int]] = {}
        for pk, parent_id in Category.objects.values_list("pk", "parent_id"):
            tree.setdefault(parent_id, []).append(pk)
        return tree


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:tag", slug=self.slug)


class Author(models.Model):
    display_name = models.CharField(
        _("display name"), max_length=120, help_text=_("e.g. Amina Rauf")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    role_line = models.CharField(
        _("role line"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Special Correspondent"),
    )
    location = models.CharField(
        _("location"), max_length=120, blank=True, help_text=_("e.g. Lahore")
    )
    bio = models.TextField(
        _("biography"), blank=True, help_text=_("A few sentences; links allowed")
    )
    # PROTECT: a photo in use cannot be deleted from the library (the admin
    # lists who uses it); SET_NULL would empty author boxes without a word.
    photo = models.ForeignKey(
        "media.Image",
        verbose_name=_("photo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="author_photos",
        help_text=_("From the media library; cropped square around its focal point"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
    )

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        self.bio = clean_bio(self.bio)
        if not self.slug:
            self.slug = slugify(self.display_name)[:120]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:author", slug=self.slug)

    @property
    def role_with_location(self) -> str:
        if self.role_line and self.location:
            return f"{self.role_line} in {self.location}"
        return self.role_line or self.location


def _walk_reads_less(wanted: int, links: int, stories: int) -> bool:
    """For a tag's newest stories: the walk reads about wanted * stories /
    links rows, the join the tag's links."""
    return links > 0 and wanted * stories <= links * links


@dataclasses.dataclass(frozen=True)
class _Columns:
    """Columns of the Article table for a statement written out, with what
    the ORM would do to them: their select list, attribute names, and each
    one's converters (the engine's and the field's: SQLite's datetimes are
    text; PostgreSQL's driver gives the model's own types, so none there).

    `get_col`, `ops.get_db_converters` and `get_db_converters` are how
    Django's own compiler and raw() convert a row; they are not documented.
    articles/tests/test_models.py compares the answers with the ORM's, on
    SQLite and on PostgreSQL."""

    select: str
    names: list[str]
    converters: list[tuple[int, Any, list[Any]]]

    def convert(self, row: tuple[Any, ...]) -> list[Any]:
        values = list(row)
        for position, column, converters in self.converters:
            for convert in converters:
                values[position] = convert(values[position], column, connection)
        return values


@functools.cache
def _columns(vendor: str, names: tuple[str, ...] | None = None) -> _Columns:
    """The columns of these fields (all of them if None), for this engine."""
    every = [field for field in Article._meta.concrete_fields if field.column]
    fields = (
        every
        if names is None
        else [
            Article._meta.pk if name == "pk" else Article._meta.get_field(name)
            for name in names
        ]
    )
    table = Article._meta.db_table
    columns = [field.get_col(table) for field in fields]  # type: ignore[union-attr]
    converters = [
        (
            position,
            column,
            connection.ops.get_db_converters(column)
            + column.get_db_converters(connection),
        )
        for position, column in enumerate(columns)
    ]
    return _Columns(
        select=", ".join(
            connection.ops.quote_name(str(field.column))  # type: ignore[union-attr]
            for field in fields
        ),
        names=[field.attname for field in fields],  # type: ignore[union-attr]
        converters=[entry for entry in converters if entry[2]],
    )


class ArticleQuerySet(models.QuerySet["Article"]):
    def published(self) -> ArticleQuerySet:
        """Articles a reader may see now. A scheduled article joins them when the
        task `publish_due_articles` flips its status at its publication time."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def published_at_slug(self, slug: str) -> Article | None:
        """The published article at this slug (the article page's query), or
        None: `published().filter(slug=slug)`, written out. The ORM's compiling
        of it cost twice its running: 0.49 ms of CPU a page against 0.15 for
        this one (PostgreSQL, the WordPress import; 0.25 through raw()); the
        test compares the two over every status and time."""
        columns = _columns(connection.vendor)
        table = connection.ops.quote_name(Article._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns.select} FROM {table}"
                " WHERE slug = %s AND status = %s AND published_at <= %s",
                [slug, Article.Status.PUBLISHED.value, now],
            )
            row = cursor.fetchone()
        if row is None:
            return None
        return Article.from_db(connection.alias, columns.names, columns.convert(row))

    def values_by_id(self, ids: list[int], *names: str) -> list[tuple[Any, ...]]:
        """`filter(pk__in=ids).values_list(*names)` of all articles, in no
        order, written out (for lists that found their ids first): the ORM's
        compiling of it cost twice its running (0.34 ms of CPU against 0.12,
        PostgreSQL)."""
        if not ids:
            return []
        columns = _columns(connection.vendor, names)
        table = connection.ops.quote_name(Article._meta.db_table)
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns.select} FROM {table} WHERE id IN ({marks})", ids
            )
            rows = cursor.fetchall()
        if not columns.converters:
            return rows
        return [tuple(columns.convert(row)) for row in rows]

    def due(self) -> ArticleQuerySet:
        """Scheduled articles whose publication time has come."""
        return self.filter(
            status=Article.Status.SCHEDULED, published_at__lte=timezone.now()
        )

    def for_listing(self) -> ArticleQuerySet:
        """What a teaser needs: headline, link, date, category, author, image."""
        return self.select_related(
            "category__parent", "author", "featured_image"
        ).defer("body")

    def for_page(self) -> ArticleQuerySet:
        return self.select_related(
            "category__parent", "author__photo", "featured_image"
        ).prefetch_related("tags", "coauthors__photo")

    def showing_image(self, image_id: int) -> ArticleQuerySet:
        """Articles whose lead image or body (a library figure) is this image."""
        return self.filter(
            Q(featured_image_id=image_id)
            | Q(body__contains=f'data-image-id="{int(image_id)}"')
        )

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-published_at", "-pk")

    def in_category(
        self, category: Category, tree: dict[int | None, list[int]] | None = None
    ) -> ArticleQuerySet:
        """Articles filed in `category` or any of its subcategories."""
        return self.filter(category_id__in=category.descendant_ids(tree))

    def tagged(self, tag: Tag) -> ArticleQuerySet:
        return self.filter(tags=tag)

    # A tag's archive, newest first. A tag's table holds no date, so the join
    # of `published().tagged(tag)` reads every story of the tag and sorts
    # them: 19 ms for the tag on a fifth of 100,000 stories (SQLite), 1.3 ms
    # at 10,000. Walking the live stories newest first (article_live_idx) and
    # keeping the tag's reads as many stories as the page needs divided by the
    # tag's share: the same at any size for the same share, and 0.02 ms for
    # that page; it is the worse way for a rare tag, which the join reads
    # quickly. So each call takes the way that reads fewer rows.

    def tag_live_count(self, tag: Tag) -> int:
        """How many live stories (`published()`) carry `tag`: the tag's links
        less its stories that are not live, found from the status index (a
        few drafts and scheduled ones) rather than by reading every story of
        the tag: 13 ms -> 1.7 ms at 100,000 stories (SQLite)."""
        through = Article.tags.through._meta.db_table
        table = Article._meta.db_table
        others = [s for s in Article.Status.values if s != Article.Status.PUBLISHED]
        marks = ", ".join(["%s"] * len(others))
        has_tag = (
            f"EXISTS (SELECT 1 FROM {through} t"
            " WHERE t.article_id = a.id AND t.tag_id = %s)"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        published = Article.Status.PUBLISHED.value
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT count(*) FROM {through} WHERE tag_id = %s)"
                f" - (SELECT count(*) FROM {table} a"
                f" WHERE a.status IN ({marks}) AND {has_tag})"
                f" - (SELECT count(*) FROM {table} a"
                f" WHERE a.status = %s AND a.published_at > %s AND {has_tag})"
                f" - (SELECT count(*) FROM {table} a"
                f" WHERE a.status = %s AND a.published_at IS NULL AND {has_tag})",
                [tag.pk, *others, tag.pk, published, now, tag.pk, published, tag.pk],
            )
            (count,) = cursor.fetchone()
        return int(count)

    def tag_newest_ids(self, tag: Tag, offset: int, limit: int) -> list[int]:
        """The ids of `published().tagged(tag).newest_first()[offset:offset +
        limit]`, by whichever way reads fewer rows (see above)."""
        through = Article.tags.through._meta.db_table
        table = Article._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT count(*) FROM {through} WHERE tag_id = %s),"
                f" (SELECT max(id) FROM {table})",
                [tag.pk],
            )
            links, highest = cursor.fetchone()
        if not _walk_reads_less(offset + limit, links or 0, highest or 0):
            newest = self.published().tagged(tag).newest_first()
            return list(newest.values_list("pk", flat=True)[offset : offset + limit])
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {table} a WHERE status = %s AND published_at <= %s"
                f" AND EXISTS (SELECT 1 FROM {through} t"
                " WHERE t.article_id = a.id AND t.tag_id = %s)"
                " ORDER BY published_at DESC, id DESC LIMIT %s OFFSET %s",
                [Article.Status.PUBLISHED.value, now, tag.pk, limit, offset],
            )
            return [pk for (pk,) in cursor.fetchall()]

    def by_author(self, author: Author | OuterRef) -> ArticleQuerySet:
        """Written by `author` (or an outer query's author), alone or with
        others. EXISTS, not a join: the join needed DISTINCT, and the
        paginator's count of DISTINCT rows of every column took 24 ms at
        10,000 articles."""
        author_id: int | OuterRef
        inner_author_id: int | OuterRef
        if isinstance(author, Author):
            author_id, inner_author_id = author.pk, author.pk
        else:  # one query level further out from inside the EXISTS
            author_id, inner_author_id = author, OuterRef(author)
        coauthored = Article.coauthors.through.objects.filter(
            article_id=OuterRef("pk"), author_id=inner_author_id
        )
        return self.filter(Q(author_id=author_id) | Q(Exists(coauthored)))

    def count_by_author(self, author: Author) -> int:
        """How many of these `author` wrote, alone or with others: their own
        and their co-authored ones counted apart, each from an index. One
        count with the OR of `by_author` checks every article (5 ms at
        10,000)."""
        own = self.filter(author_id=author.pk).count()
        shared = self.filter(coauthors=author).exclude(author_id=author.pk)
        return own + shared.count()

    def on_date(
        self, year: int, month: int | None = None, day: int | None = None
    ) -> ArticleQuerySet:
        """Articles published in a year, month or day of the current time zone."""
        qs = self.filter(published_at__year=year)
        if month is not None:
            qs = qs.filter(published_at__month=month)
        if day is not None:
            qs = qs.filter(published_at__day=day)
        return qs

    def since(self, moment: dt.datetime) -> ArticleQuerySet:
        return self.filter(published_at__gte=moment)

    def drafts(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.DRAFT)

    def awaiting_review(self) -> ArticleQuerySet:
        return self.filter(status=Article.Status.PENDING)

    def scheduled(self) -> ArticleQuerySet:
        """Scheduled articles, the next to go live first."""
        return self.filter(status=Article.Status.SCHEDULED).order_by(
            "published_at", "pk"
        )

    def owned_by(self, user: Account) -> ArticleQuerySet:
        """Articles whose byline is the account's author profile."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(author__user=user)

    def open_to(self, user: Account) -> ArticleQuerySet:
        """What the account may open in the back office: everything with
        the permission to edit other people's stories, else its own."""
        if user.has_perm("articles.edit_others_article"):
            return self
        return self.owned_by(user)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PENDING = "pending", _("Pending review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")

    headline = models.CharField(_("headline"), max_length=250)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The last part of the permalink, e.g. navy-orders-new-frigates"),
    )
    standfirst = models.TextField(
        _("standfirst"),
        blank=True,
        help_text=_("One or two sentences under the headline; used as the excerpt"),
    )
    body = models.TextField(_("body"), blank=True, help_text=_("HTML; sanitised"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Set in the future with status Scheduled to publish later"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    substantive_update_at = models.DateTimeField(
        _("updated for readers at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "The last change of substance to the published story (an edit not "
            'marked minor, a correction or update note): the "Updated" time'
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("primary category"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("tags"), blank=True, related_name="articles"
    )
    author = models.ForeignKey(
        Author,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    coauthors = models.ManyToManyField(
        Author, verbose_name=_("co-authors"), blank=True, related_name="coauthored"
    )
    # PROTECT, as the author's photo: deleting an image a story shows is
    # refused with the list of stories, rather than emptying their pages.
    featured_image = models.ForeignKey(
        "media.Image",
        verbose_name=_("featured image"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="featured_in",
        help_text=_(
            "From the media library; its alt text, caption and credit are the "
            "image's (needs alt text to publish)"
        ),
    )
    comments_open = models.BooleanField(_("comments open"), default=True)
    comment_count = models.PositiveIntegerField(
        _("approved comments"), default=0, editable=False
    )
    sticky = models.BooleanField(
        _("sticky"),
        default=False,
        help_text=_("Keep as the lead story on the home page"),
    )
    seo_title = models.CharField(
        _("SEO title"),
        max_length=300,
        blank=True,
        help_text=_(
            "The page title for search engines and shares, if not the headline, "
            "e.g. Navy orders frigates - Frontline Desk"
        ),
    )
    seo_description = models.CharField(
        _("SEO description"),
        max_length=500,
        blank=True,
        help_text=_("For search results and shares, if not the standfirst"),
    )

    objects = ArticleQuerySet.as_manager()

    #: The statuses an account without `publish_article` may give its story.
    WRITER_STATUSES = (Status.DRAFT, Status.PENDING)
    #: What readers read: a change to one of these in a published story,
    #: unless marked minor, shows it as updated (`note_update`).
    SUBSTANCE_FIELDS = frozenset({"headline", "standfirst", "body", "featured_image"})

    # Set by the feeds (articles.feeds) on the items they list: the body or
    # the excerpt.
    feed_description: str

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        # The roles (newsroom app) are made of these and the model permissions:
        # without the first, only drafts and stories sent for review; without
        # the second, only one's own stories (article.editable_by).
        permissions = [
            ("publish_article", _("Can publish, schedule and unpublish articles")),
            ("edit_others_article", _("Can edit and delete other people's articles")),
        ]
        indexes = [
            # published().newest_first(): home page, latest archive, feeds.
            models.Index(
                fields=["status", "-published_at", "-id"], name="article_live_idx"
            ),
            # published().in_category(c).newest_first(): sections and archives.
            models.Index(
                fields=["category", "status", "-published_at", "-id"],
                name="article_live_cat_idx",
            ),
            # published().by_author(a).newest_first(): author archives.
            models.Index(
                fields=["author", "status", "-published_at", "-id"],
                name="article_live_author_idx",
            ),
            # The home page's lead story: the newest sticky article.
            models.Index(
                fields=["-published_at"],
                name="article_sticky_idx",
                condition=Q(sticky=True),
            ),
            # Search: each full-text match is checked against the filters here
            # (covering: id first, then what they read), not in the wide row.
            models.Index(
                fields=["id", "status", "published_at", "category", "author"],
                name="article_search_filter_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args, **kwargs) -> None:
        self.body = clean_html(self.body)
        if not self.slug:
            self.slug = slugify(self.headline)[:200] or "article"
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        # is_live implies a publication time; the second test tells mypy so.
        if not self.is_live or self.published_at is None:
            return reverse("articles:preview", kwargs={"pk": self.pk})
        return Article.permalink(self.published_at, self.slug)

    @staticmethod
    def permalink(published_at: dt.datetime, slug: str) -> str:
        """The address of a live article: its day (the site's time zone) and slug."""
        local = timezone.localtime(published_at)
        return cached_reverse(
            "articles:detail",
            year=f"{local.year:04d}",
            month=f"{local.month:02d}",
            day=f"{local.day:02d}",
            slug=slug,
        )

    @property
    def is_live(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def editable_by(self, user: Account) -> bool:
        """Whether the account may change (or delete) this article: any with
        `edit_others_article`; its own with `publish_article`; its own while
        a draft or in review otherwise (a contributor's)."""
        if not user.has_perm("articles.change_article"):
            return False
        if user.has_perm("articles.edit_others_article"):
            return True
        if self.author_id is None or self.author.user_id != user.pk:
            return False
        return user.has_perm("articles.publish_article") or self.status in (
            self.WRITER_STATUSES
        )

    def publish_if_due(self) -> bool:
        """Flip a due scheduled article to published. The conditional UPDATE makes
        sure only one worker does it; returns True for that worker."""
        claimed = (
            Article.objects.due()
            .filter(pk=self.pk)
            .update(status=Article.Status.PUBLISHED, updated_at=timezone.now())
        )
        if claimed:
            self.status = Article.Status.PUBLISHED
        return bool(claimed)

    @property
    def excerpt(self) -> str:
        if self.standfirst:
            return self.standfirst
        words = plain_text(self.body).split()
        return " ".join(words[:40]) + ("…" if len(words) > 40 else "")

    def note_update(self, at: dt.datetime | None = None) -> None:
        """Record a change of substance at `at` (now), not saved: the time
        readers see as "Updated" moves forward, never back."""
        at = at or timezone.now()
        if self.substantive_update_at is None or at > self.substantive_update_at:
            self.substantive_update_at = at

    @property
    def was_updated(self) -> bool:
        """True when the published story changed in substance since."""
        return bool(
            self.published_at
            and self.substantive_update_at
            and self.substantive_update_at > self.published_at
        )

    @property
    def modified_at(self) -> dt.datetime | None:
        """When the story last changed for its readers (feeds' and
        structured data's modified date): its last change of substance, else
        its publication (a draft's: its last save)."""
        if self.was_updated:
            return self.substantive_update_at
        return self.published_at or self.updated_at

    def all_authors(self) -> list[Author]:
        return [self.author, *self.coauthors.all()]

    def images_without_alt(self) -> list[str]:
        """The images the story shows that have no alt text (it may not be
        published so): the lead image and the library figures of the body."""
        missing = []
        image = self.featured_image
        if image is not None and not image.alt:
            missing.append(str(_("the featured image")))
        ids = body_image_ids(self.body)
        if ids:
            blank = Image.objects.filter(pk__in=ids, alt="").order_by("pk")
            missing += [
                str(
                    _("the body's image “%(title)s” (%(id)s)")
                    % {"title": i, "id": i.pk}
                )
                for i in blank
            ]
        return missing


class CorrectionQuerySet(models.QuerySet["Correction"]):
    def public(self) -> CorrectionQuerySet:
        """The notes of the stories readers may see now."""
        return self.filter(article__in=Article.objects.published())

    def newest_first(self) -> CorrectionQuerySet:
        return self.order_by("-published_at", "-pk")

    def in_order(self) -> CorrectionQuerySet:
        """As they happened, the first one first (an article's own list)."""
        return self.order_by("published_at", "pk")

    def for_listing(self) -> CorrectionQuerySet:
        """What the corrections page shows: the note and its story's link."""
        return self.select_related("article").defer("article__body")


class Correction(models.Model):
    """A correction or an update note an editor adds to a published story:
    shown under it, on the corrections page, in the feeds and in its
    structured data."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        UPDATE = "update", _("Update")

    #: Longest note: a correction says what was wrong and what is right.
    MAX_LENGTH = 2000

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="corrections",
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=Kind.choices,
        default=Kind.CORRECTION,
        help_text=_(
            "Correction: something the story got wrong. Update: news that "
            "came after publication."
        ),
    )
    text = models.TextField(
        _("note"),
        max_length=MAX_LENGTH,
        help_text=_(
            "Plain text, e.g. An earlier version of this story gave the wrong "
            "number of frigates on order; it is four, not six."
        ),
    )
    published_at = models.DateTimeField(
        _("date"), default=timezone.now, help_text=_("When the note was made")
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("correction or update")
        verbose_name_plural = _("corrections and updates")
        indexes = [
            # newest_first(): the corrections page.
            models.Index(fields=["-published_at", "-id"], name="correction_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.article}"

    def save(self, *args, **kwargs) -> None:
        """The note is a change of substance to its story: the story shows as
        updated at the note's date, and its `updated_at` (which every cached
        fragment of it is keyed by) moves on."""
        self.text = self.text.strip()
        # One transaction: the cached pages are outdated after both writes.
        with transaction.atomic():
            super().save(*args, **kwargs)
            article = Article.objects.only("published_at", "substantive_update_at").get(
                pk=self.article_id
            )
            article.note_update(self.published_at)
            Article.objects.filter(pk=self.article_id).update(
                substantive_update_at=article.substantive_update_at,
                updated_at=timezone.now(),
            )

    def delete(self, *args, **kwargs):
        """A note taken down: its story's fragments no longer show it."""
        with transaction.atomic():
            deleted = super().delete(*args, **kwargs)
            Article.objects.filter(pk=self.article_id).update(updated_at=timezone.now())
        return deleted

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#correction-{self.pk}"

    def clean(self) -> None:
        # A few minutes of leeway for the clocks of the editor and the server.
        if self.published_at and self.published_at > timezone.now() + dt.timedelta(
            minutes=5
        ):
            raise ValidationError(
                {"published_at": _("A note cannot be dated in the future.")}
            )
