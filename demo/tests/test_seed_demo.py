"""seed_demo: generated demo content, grouped in story clusters."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Category, Tag
from core.models import SiteSettings
from demo import content as demo
from lib.html import clean_html

N = 60
ROOT = Path(__file__).resolve().parents[2]
SENTENCE_END = re.compile(r"[.!?][”’]?(?:\s|$)")
WORD = re.compile(r"[a-zà-ÿ][a-zà-ÿ-]{3,}")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "seed-media"
    return settings.MEDIA_ROOT


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **{"articles": N, **options})
    return out.getvalue()


@pytest.fixture
def seeded() -> str:
    return seed()


def _tag_slugs_by_article() -> dict[str, set[str]]:
    links = Article.tags.through.objects.values_list("article__slug", "tag__slug")
    tags: dict[str, set[str]] = defaultdict(set)
    for article, tag in links:
        tags[article].add(tag)
    return tags


# -- Sections, tags, authors -------------------------------------------------


def test_it_creates_at_least_eight_main_sections_and_a_few_subsections(seeded):
    assert Category.objects.filter(parent__isnull=True).count() >= 8
    children = Category.objects.filter(parent__isnull=False).select_related("parent")
    assert children.count() >= 2
    assert all(child.parent.parent_id is None for child in children)
    assert Category.objects.get(slug="submarines").path == "naval-affairs/submarines"


def test_it_creates_at_least_forty_tags(seeded):
    assert Tag.objects.count() >= 40


def test_it_creates_twelve_authors_with_bios_role_lines_and_portraits(seeded):
    authors = list(Author.objects.all())
    assert len(authors) == 12
    for author in authors:
        assert author.role_line and author.location
        assert 3 <= len(SENTENCE_END.findall(author.bio)) <= 4, author.bio
        assert author.photo is not None
        assert (author.photo.width, author.photo.height) == (400, 400)
        assert author.photo.alt == f"Portrait of {author.display_name}"
        with author.photo.file.open("rb") as photo, Image.open(photo) as image:
            image.verify()
            assert image.size == (400, 400)


# -- Story clusters ------------------------------------------------------------


def test_it_creates_the_requested_number_of_articles(seeded):
    assert Article.objects.count() == N
    assert f"Created {N} articles" in seeded


def test_it_groups_articles_into_story_clusters(seeded):
    plan = demo.cluster_plan(demo.DEFAULT_SEED, N)
    slugs = [assignment.slug for assignment in plan]
    assert len(slugs) == len(set(slugs)) == N
    assert set(slugs) == set(Article.objects.values_list("slug", flat=True))
    sizes = Counter(assignment.cluster_key for assignment in plan)
    assert len(sizes) >= 6
    assert sum(size >= 3 for size in sizes.values()) >= 0.8 * len(sizes)


def test_articles_of_one_story_share_its_story_tag_and_no_other_article_has_it(
    seeded,
):
    tags = _tag_slugs_by_article()
    keys = {a.cluster_key for a in demo.cluster_plan(demo.DEFAULT_SEED, N)}
    for assignment in demo.cluster_plan(demo.DEFAULT_SEED, N):
        assert assignment.cluster_key in tags[assignment.slug]
        assert tags[assignment.slug] & keys == {assignment.cluster_key}


def test_general_tags_are_shared_across_stories(seeded):
    story_of = {a.slug: a.cluster_key for a in demo.cluster_plan(demo.DEFAULT_SEED, N)}
    stories_per_tag: dict[str, set[str]] = defaultdict(set)
    for article, tags in _tag_slugs_by_article().items():
        assert 2 <= len(tags) <= 6
        for tag in tags:
            stories_per_tag[tag].add(story_of[article])
    assert sum(len(stories) >= 2 for stories in stories_per_tag.values()) >= 3


def test_articles_of_one_story_share_subject_words_but_not_headlines(seeded):
    words: dict[str, list[set[str]]] = defaultdict(list)
    headlines: dict[str, list[str]] = defaultdict(list)
    story_of = {a.slug: a.cluster_key for a in demo.cluster_plan(demo.DEFAULT_SEED, N)}
    everywhere = Counter()
    for slug, headline, standfirst, body in Article.objects.values_list(
        "slug", "headline", "standfirst", "body"
    ):
        text = f"{headline} {standfirst} {body}".lower()
        found = set(WORD.findall(text))
        words[story_of[slug]].append(found)
        headlines[story_of[slug]].append(headline)
        everywhere.update(found)
    for story, sets in words.items():
        shared = set.intersection(*sets)
        distinctive = {w for w in shared if everywhere[w] <= len(sets) + N // 4}
        assert distinctive, story
        assert len(set(headlines[story])) == len(headlines[story])


def test_the_plan_reaches_many_distinct_stories_at_scale():
    plan = demo.cluster_plan(demo.DEFAULT_SEED, 3000)
    stories = {a.cluster_key: a.story for a in plan}
    assert len(stories) > 400
    assert len(set(stories.values())) == len(stories)
    assert len({a.slug for a in plan}) == 3000


# -- Determinism -------------------------------------------------------------


def test_the_same_seed_gives_the_same_headlines(seeded):
    planned = {s.slug: s.headline for s in demo.plan_articles(demo.DEFAULT_SEED, N)}
    assert dict(Article.objects.values_list("slug", "headline")) == planned
    again = [demo.write_article(s) for s in demo.plan_articles(demo.DEFAULT_SEED, N)]
    stored = dict(Article.objects.values_list("slug", "body"))
    assert [body for _, body in again] == [
        stored[s.slug] for s in demo.plan_articles(demo.DEFAULT_SEED, N)
    ]


def test_another_seed_gives_other_headlines():
    first = [s.headline for s in demo.plan_articles(1, N)]
    second = [s.headline for s in demo.plan_articles(2, N)]
    assert first != second


def test_the_plan_does_not_depend_on_python_hash_randomisation():
    script = (
        "import hashlib; from demo import content as demo; "
        "specs = demo.plan_articles(2026, 120); "
        "text = '|'.join(s.slug + s.cluster.key + ''.join(demo.write_article(s)) "
        "for s in specs); print(hashlib.sha256(text.encode()).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(result.stdout.strip())
    specs = demo.plan_articles(2026, 120)
    text = "|".join(
        s.slug + s.cluster.key + "".join(demo.write_article(s)) for s in specs
    )
    digests.add(hashlib.sha256(text.encode()).hexdigest())
    assert len(digests) == 1


# -- Text --------------------------------------------------------------------


def test_bodies_are_already_clean_html_of_five_to_nine_paragraphs(seeded):
    for standfirst, body in Article.objects.values_list("standfirst", "body"):
        assert "<script" not in body
        assert clean_html(body) == body
        assert set(re.findall(r"</?([a-z0-9]+)", body)) <= {"p", "h2", "blockquote"}
        assert 5 <= body.count("<p>") <= 9
        assert 1 <= len(SENTENCE_END.findall(standfirst)) <= 2, standfirst


def test_every_story_template_renders_without_leftover_placeholders():
    # 3,000 articles use every template, every variant and later variations.
    specs = demo.plan_articles(demo.DEFAULT_SEED, 3000)
    assert {s.cluster.template.key for s in specs} == set(demo.TEMPLATE_BY_KEY)
    for spec in specs:
        standfirst, body = demo.write_article(spec)
        for text in (spec.headline, standfirst, body, demo.image_caption(spec)):
            assert "{" not in text and "}" not in text, text
        assert clean_html(body) == body


# -- Dates, statuses, images -------------------------------------------------


def test_published_dates_are_aware_and_never_in_the_future(seeded):
    now = timezone.now()
    statuses = Counter()
    for status, published_at in Article.objects.values_list("status", "published_at"):
        statuses[status] += 1
        if status == Article.Status.PUBLISHED:
            assert timezone.is_aware(published_at)
            assert published_at <= now
            assert published_at >= now - dt.timedelta(days=120)
        elif status == Article.Status.SCHEDULED:
            assert published_at > now
        else:
            assert published_at is None
    assert statuses[Article.Status.SCHEDULED] == 2
    assert statuses[Article.Status.DRAFT] + statuses[Article.Status.PENDING] >= 1


def test_published_articles_are_dated_when_they_were_published(seeded):
    published = Article.objects.filter(status=Article.Status.PUBLISHED)
    for article in published:
        assert article.created_at == article.published_at
        assert article.updated_at >= article.published_at


def test_some_articles_were_published_in_the_last_seven_days(seeded):
    week_ago = timezone.now() - dt.timedelta(days=7)
    assert Article.objects.published().since(week_ago).count() >= 5


def test_three_hundred_articles_give_a_busy_week_and_a_few_drafts():
    specs = demo.plan_articles(demo.DEFAULT_SEED, 300)
    this_week = [s for s in specs if s.status == "published" and s.age * 120 < 7]
    assert len(this_week) >= 15
    unpublished = sum(s.status in ("draft", "pending") for s in specs)
    assert 6 <= unpublished <= 12
    assert sum(s.status == "scheduled" for s in specs) == 2
    assert sum(s.sticky for s in specs) == 2
    assert 30 <= len({s.cluster.key for s in specs}) <= 60


def test_days_spread_the_dates_without_changing_the_content():
    call_command("seed_demo", articles=20, days=30, stdout=io.StringIO())
    oldest = Article.objects.exclude(published_at=None).order_by("published_at")[0]
    assert oldest.published_at >= timezone.now() - dt.timedelta(days=30)
    planned = {s.slug: s.headline for s in demo.plan_articles(demo.DEFAULT_SEED, 20)}
    assert dict(Article.objects.values_list("slug", "headline")) == planned


def test_articles_share_a_small_pool_of_generated_illustrations(seeded, media):
    with_image = Article.objects.exclude(featured_image=None)
    names = set(with_image.values_list("featured_image__file", flat=True))
    assert 1 < len(names) <= len(demo.POOL) < with_image.count() * 2
    for name in names:
        with Image.open(Path(media) / name) as image:
            assert image.size == demo.IMAGE_SIZE
    for article in with_image.select_related("featured_image"):
        picture = article.featured_image
        assert (picture.width, picture.height) == demo.IMAGE_SIZE
        assert picture.alt.startswith("Abstract illustration of ")
        assert picture.credit == "Newshub illustration"
        assert picture.caption.startswith("An abstract illustration in ")


def test_most_articles_are_open_for_comments_and_at_most_two_are_sticky(seeded):
    assert Article.objects.filter(comments_open=True).count() >= N * 0.8
    assert 1 <= Article.objects.filter(sticky=True).count() <= 2


# -- Running it again, options ---------------------------------------------


def test_running_twice_adds_articles_without_slug_collisions():
    seed()
    out = seed()
    assert Article.objects.count() == 2 * N
    assert "'-r2'" in out
    assert Author.objects.count() == 12
    assert Category.objects.count() == len(demo.CATEGORIES)
    again = {a.slug for a in demo.cluster_plan(demo.DEFAULT_SEED, N, slug_suffix="-r2")}
    assert again <= set(Article.objects.values_list("slug", flat=True))


def test_it_writes_threaded_demo_comments_when_asked(client, site_settings):
    from comments.models import Comment

    assert "comments" not in seed(articles=30).lower()
    assert Comment.objects.count() == 0
    assert "Created 120 comments." in seed(articles=30, comments=120)
    assert Comment.objects.count() == 120
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Comment.objects.approved().count() > 90
    busiest = Article.objects.order_by("-comment_count").first()
    assert busiest.comment_count == Comment.objects.approved().filter(
        article=busiest).count()  # fmt: skip
    html = client.get(busiest.get_absolute_url()).content.decode()
    first = Comment.objects.approved().filter(article=busiest).first()
    assert first.body in html


def test_it_sets_the_tagline_only_when_it_is_empty():
    site = SiteSettings.load()
    site.tagline = ""
    site.save()
    seed(articles=3)
    assert SiteSettings.objects.get().tagline == demo.TAGLINE
    site = SiteSettings.objects.get()
    site.tagline = "Our own words"
    site.save()
    seed(articles=3)
    assert SiteSettings.objects.get().tagline == "Our own words"


def test_it_refuses_negative_counts():
    with pytest.raises(CommandError):
        seed(articles=-1)
