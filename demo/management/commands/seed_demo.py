"""Fill the database with generated demo content: sections, tags, authors with
portraits, and articles grouped in story clusters. The vocabulary, the plan and
the images live in demo/content.py."""

from __future__ import annotations

import datetime as dt
import io
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Author, Category, Tag
from articles.services import schedule_publication
from audience.related import rebuild as rebuild_related
from audience.services import refresh_rankings
from core.models import SiteSettings
from core.tasks import refresh_planner_statistics
from demo import content as demo
from demo.comments import seed_comments
from lib import pagecache
from media.services import add_image, check_upload
from search.services import index_articles

#: How much later than its publication a "revised" article was last updated.
REVISION_DELAY = dt.timedelta(hours=3, minutes=20)


class Command(BaseCommand):
    help = (
        "Create demo content for a defence and security newsroom: categories, "
        "tags, 12 authors with generated portraits, and N articles grouped in "
        "story clusters, with generated text and illustrations. The same --seed "
        "and --articles always give the same content; --days only moves dates. "
        "Running it again ADDS N more articles: categories, tags and authors are "
        "reused by slug, and when any planned article slug already exists every "
        "slug of the new run gets a suffix (-r2, -r3, ...), which is printed. "
        "Which article belongs to which story is given by "
        "demo.content.cluster_plan(seed, n_articles, slug_suffix=...)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=demo.DEFAULT_ARTICLES,
            metavar="N",
            help=f"How many articles to add (default {demo.DEFAULT_ARTICLES}).",
        )
        parser.add_argument(
            "--comments",
            type=int,
            default=0,
            metavar="M",
            help="Generated reader comments on recent articles (threaded).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            metavar="S",
            help=f"Random seed (default {demo.DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=120,
            metavar="D",
            help="Spread publication dates over the last D days (default 120).",
        )
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the site has articles already (make run).",
        )

    def handle(self, *args, **options):
        n_articles, seed, days = options["articles"], options["seed"], options["days"]
        batch_size = options["batch_size"]
        if n_articles < 0 or options["comments"] < 0:
            raise CommandError("--articles and --comments cannot be negative.")
        if days < 1 or batch_size < 1:
            raise CommandError("--days and --batch-size must be at least 1.")
        self.verbosity = options["verbosity"]
        if options["if_empty"] and Article.objects.exists():
            return
        if options["if_empty"]:
            self.stdout.write(f"Loading {n_articles} demo articles…")
        started = time.monotonic()

        specs = demo.plan_articles(seed, n_articles)
        suffix = self._slug_suffix([s.slug for s in specs])
        for spec in specs:
            spec.slug += suffix
        images = self._image_pool()
        last_pk = Article.objects.order_by("-pk").values_list("pk", flat=True).first()
        with transaction.atomic():
            self._site_settings()
            categories = self._categories()
            tags = self._tags(specs)
            authors = self._authors()
            self._articles(specs, categories, tags, authors, images, days, batch_size)
            for article in Article.objects.filter(
                status=Article.Status.SCHEDULED, slug__in=[s.slug for s in specs]
            ):
                schedule_publication(article)
        pagecache.invalidate_site()  # bulk inserts send no signals
        index_articles(
            Article.objects.filter(pk__gt=last_pk or 0).values_list("pk", flat=True)
        )
        rebuild_related()  # bulk inserts send no signals
        refresh_rankings()
        refresh_planner_statistics()

        stories = len({s.cluster.key for s in specs})
        note = f", slugs suffixed with {suffix!r}" if suffix else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {_count(len(specs), 'article')} in "
                f"{_count(stories, 'story cluster')} "
                f"(seed {seed}{note}) in {time.monotonic() - started:.1f}s."
            )
        )
        if self.verbosity >= 2:
            arguments = f"{seed}, {n_articles}" + (
                f", slug_suffix={suffix!r}" if suffix else ""
            )
            self.stdout.write(f"Story clusters: demo.content.cluster_plan({arguments})")
        if options["comments"] > 0:
            made = seed_comments(options["comments"], seed=seed)
            self.stdout.write(f"Created {made:,} comments.")

    # -- Steps ---------------------------------------------------------------

    def _slug_suffix(self, slugs: list[str]) -> str:
        """'' when none of the slugs exist yet, else the first free -rN."""
        if not slugs or not Article.objects.exists():
            return ""
        run = 1
        while True:
            suffix = f"-r{run}" if run > 1 else ""
            candidates = [slug + suffix for slug in slugs]
            if not any(
                Article.objects.filter(slug__in=candidates[i : i + 2000]).exists()
                for i in range(0, len(candidates), 2000)
            ):
                return suffix
            run += 1

    def _image_pool(self) -> list[int]:
        """Add the shared illustrations to the media library once (the same
        file again is the same image); return their ids."""
        pool = []
        for index in range(len(demo.POOL)):
            content = demo.render_pool_image(index)
            image, _created = add_image(
                check_upload(io.BytesIO(content), size=len(content)),
                name=demo.pool_image_name(index),
                alt=demo.pool_image_alt(index),
                caption=demo.pool_image_caption(index),
                credit=demo.IMAGE_CREDIT,
            )
            pool.append(image.pk)
        return pool

    def _site_settings(self) -> None:
        site = SiteSettings.load()
        if not site.tagline:
            site.tagline = demo.TAGLINE
            site.save()

    def _categories(self) -> dict[str, int]:
        ids: dict[str, int] = {}
        positions: dict[str | None, int] = {}
        for seed in demo.CATEGORIES:
            positions[seed.parent] = positions.get(seed.parent, 0) + 10
            category, _ = Category.objects.get_or_create(
                slug=seed.slug,
                defaults={
                    "name": seed.name,
                    "description": seed.description,
                    "parent_id": (
                        None if seed.parent is None else ids.get(seed.parent)
                    ),
                    "position": positions[seed.parent],
                },
            )
            ids[seed.slug] = category.pk
        return ids

    def _tags(self, specs: list[demo.ArticleSpec]) -> dict[str, int]:
        """Get or create the general tags and every story tag by slug (in bulk:
        a large run has thousands of stories). Returns name -> id."""
        names = dict.fromkeys(demo.GENERAL_TAGS)
        names.update(dict.fromkeys(s.cluster.story for s in specs))
        wanted = {slugify(name): name for name in names}
        ids = self._existing_tags(wanted)
        missing = [
            Tag(name=name, slug=slug)
            for slug, name in wanted.items()
            if slug not in ids and name not in ids
        ]
        Tag.objects.bulk_create(missing, batch_size=1000)
        ids.update(self._existing_tags({t.slug: t.name for t in missing}))
        return {name: ids.get(slug) or ids[name] for slug, name in wanted.items()}

    @staticmethod
    def _existing_tags(wanted: dict[str, str]) -> dict[str, int]:
        """Ids of existing tags, keyed by slug and by name."""
        ids: dict[str, int] = {}
        slugs, names = list(wanted), list(wanted.values())
        for i in range(0, len(slugs), 500):
            query = Q(slug__in=slugs[i : i + 500]) | Q(name__in=names[i : i + 500])
            for pk, slug, name in Tag.objects.filter(query).values_list(
                "pk", "slug", "name"
            ):
                ids[slug] = ids[name] = pk
        return ids

    def _authors(self) -> dict[str, int]:
        ids = {}
        for index, seed in enumerate(demo.AUTHORS):
            author, _ = Author.objects.get_or_create(
                slug=seed.slug,
                defaults={
                    "display_name": seed.display_name,
                    "role_line": seed.role_line,
                    "location": seed.location,
                    "bio": seed.bio,
                },
            )
            if not author.photo_id:
                portrait = demo.render_portrait(seed.display_name, index)
                author.photo, _new = add_image(
                    check_upload(io.BytesIO(portrait), size=len(portrait)),
                    name=f"{seed.slug}.png",
                    alt=f"Portrait of {seed.display_name}",
                    credit=demo.IMAGE_CREDIT,
                )
                author.save()
            ids[seed.slug] = author.pk
        return ids

    def _articles(
        self,
        specs: list[demo.ArticleSpec],
        categories: dict[str, int],
        tags: dict[str, int],
        authors: dict[str, int],
        images: list[int],
        days: int,
        batch_size: int,
    ) -> None:
        """bulk_create bypasses Article.save(), so the plan supplies slugs and
        dates and demo.write_article() writes bodies that are already clean."""
        now = timezone.now().replace(microsecond=0)
        window = days * 86400
        TagLink = Article.tags.through
        CoauthorLink = Article.coauthors.through
        total = len(specs)
        for start in range(0, total, batch_size):
            chunk = specs[start : start + batch_size]
            articles = [
                self._article(spec, categories, authors, images, now, window)
                for spec in chunk
            ]
            Article.objects.bulk_create(articles)
            if any(article.pk is None for article in articles):  # older backends
                pks = dict(
                    Article.objects.filter(
                        slug__in=[a.slug for a in articles]
                    ).values_list("slug", "pk")
                )
                for article in articles:
                    article.pk = pks[article.slug]
            TagLink.objects.bulk_create(
                [
                    TagLink(article_id=article.pk, tag_id=tags[name])
                    for article, spec in zip(articles, chunk, strict=True)
                    for name in spec.tags
                ],
                batch_size=5000,
            )
            CoauthorLink.objects.bulk_create(
                [
                    CoauthorLink(
                        article_id=article.pk, author_id=authors[spec.coauthor]
                    )
                    for article, spec in zip(articles, chunk, strict=True)
                    if spec.coauthor
                ]
            )
            # bulk_create stamped created_at/updated_at with the current time;
            # date them from publication, a few as revised hours later.
            published = [
                a.pk
                for a, s in zip(articles, chunk, strict=True)
                if s.status == "published"
            ]
            Article.objects.filter(pk__in=published).update(
                created_at=F("published_at"), updated_at=F("published_at")
            )
            revised = [
                a.pk
                for a, s in zip(articles, chunk, strict=True)
                if s.revised
                and s.status == "published"
                and s.age is not None  # published: always set
                and s.age * days > 0.5
            ]
            Article.objects.filter(pk__in=revised).update(
                updated_at=F("published_at") + REVISION_DELAY,
                substantive_update_at=F("published_at") + REVISION_DELAY,
            )
            done = start + len(chunk)
            if total >= 5000 and self.verbosity >= 1:
                if done == total or (done // batch_size) % 5 == 0:
                    self.stdout.write(f"  {done:,}/{total:,} articles")

    @staticmethod
    def _article(
        spec: demo.ArticleSpec,
        categories: dict[str, int],
        authors: dict[str, int],
        images: list[int],
        now: dt.datetime,
        window: int,
    ) -> Article:
        if spec.age is None:
            published_at = None
        elif spec.age < 0:
            published_at = now + dt.timedelta(
                seconds=max(3600, round(-spec.age * window))
            )
        else:
            published_at = now - dt.timedelta(seconds=max(60, round(spec.age * window)))
        standfirst, body = demo.write_article(spec)
        image_fields = {}
        if spec.image is not None:
            image_fields = {"featured_image_id": images[spec.image]}
        return Article(
            headline=spec.headline,
            slug=spec.slug,
            standfirst=standfirst,
            body=body,
            status=spec.status,
            published_at=published_at,
            category_id=categories[spec.category],
            author_id=authors[spec.author],
            comments_open=spec.comments_open,
            sticky=spec.sticky,
            **image_fields,
        )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")
