"""Related Posts: quality on the demo's story clusters, editors' pins and
exclusions, the maximum age, and upkeep when articles change."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article
from articles.tests.factories import ArticleFactory, CategoryFactory, TagFactory
from audience import related
from audience.models import RelatedArticle, RelatedChoice, RelatedSettings
from demo import content as demo

pytestmark = pytest.mark.django_db

SEED, N = demo.DEFAULT_SEED, 300


def precision_at_5(relevant) -> tuple[float, int]:
    """Mean share of each live article's first five related posts for which
    `relevant(article_slug, related_slug)` holds; and how many articles."""
    slugs = dict(Article.objects.values_list("pk", "slug"))
    lists: dict[int, list[int]] = {}
    for article, other in RelatedArticle.objects.order_by("rank").values_list(
        "article_id", "related_id"
    ):
        lists.setdefault(article, []).append(other)
    live = list(Article.objects.published().values_list("pk", flat=True))
    scores = [
        sum(relevant(slugs[pk], slugs[o]) for o in lists.get(pk, [])[:5]) / 5
        for pk in live
    ]
    return sum(scores) / len(scores), len(scores)


@pytest.fixture
def demo_site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", articles=N, seed=SEED, comments=0, stdout=io.StringIO())


def test_precision_at_5_on_the_demo_story_clusters_is_at_least_0_8(demo_site):
    plan = demo.plan_articles(SEED, N)
    story = {s.slug: s.cluster.key for s in plan}
    subject = {s.slug: s.cluster.template.key for s in plan}

    def same_story_or_subject(a: str, b: str) -> bool:
        return story[a] == story[b] or subject[a] == subject[b]

    precision, articles = precision_at_5(same_story_or_subject)
    strict, _ = precision_at_5(lambda a, b: story[a] == story[b])
    print(f"precision@5 story or subject {precision:.3f}, story only {strict:.3f}")  # noqa: T201
    assert articles > 250
    assert precision >= 0.8


def _article(days_ago: float, **kwargs) -> Article:
    return ArticleFactory.create(
        published_at=timezone.now() - dt.timedelta(days=days_ago), **kwargs
    )


def _story(**kwargs) -> dict:
    return {
        "headline": "Divers inspect the severed Gotland cable near Visby",
        "standfirst": "The Baltic cable operator Nordlink says repairs take weeks.",
        "body": "<p>Divers from the coast guard inspected the Gotland cable. The "
        "Nordlink operator blamed an anchor dragged by the freighter Aurora.</p>",
        **kwargs,
    }


@pytest.fixture
def newsroom():
    naval = CategoryFactory(slug="naval-affairs")
    cable = TagFactory(slug="gotland-cable-incident", name="Gotland cable incident")
    article = _article(0, category=naval, tags=[cable], **_story())
    close = _article(1, category=naval, tags=[cable], **_story(headline="Gotland "
                     "cable: Nordlink anchor inquiry widens"))  # fmt: skip
    other = _article(1, headline="Army orders new howitzers for the north",
                     body="<p>The army signed for forty howitzers.</p>")  # fmt: skip
    return article, close, other


def _related(article: Article) -> list[Article]:
    return related.related_articles(article, limit=8)


def test_the_closest_story_comes_first(newsroom):
    article, close, other = newsroom
    related.rebuild()
    assert _related(article)[0] == close
    assert _related(close)[0] == article


def test_editors_pin_and_exclude_related_posts(
    newsroom, django_capture_on_commit_callbacks
):
    article, close, other = newsroom
    related.rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        RelatedChoice.objects.create(article=article, other=other, kind="pin")
        RelatedChoice.objects.create(article=article, other=close, kind="exclude")
    shown = _related(article)
    assert shown[0] == other
    assert close not in shown


def test_old_stories_are_offered_only_when_very_close(newsroom):
    article, close, _other = newsroom
    vague_old = _article(
        800,
        category=article.category,
        headline="Baltic operator reviews subsea links",
        body="<p>An operator reviewed links in the Baltic.</p>",
    )
    twin_old = _article(900, category=article.category, tags=list(article.tags.all()),
                        **_story())  # fmt: skip
    settings = RelatedSettings.load()
    settings.max_age_days = 365
    settings.save()
    related.rebuild()
    shown = _related(article)
    assert twin_old in shown  # old, but nearly the same text
    assert vague_old not in shown
    settings.max_age_days = 2000
    settings.save()
    related.rebuild()
    assert vague_old in _related(article)


def test_a_newly_published_article_gets_its_list_and_joins_its_neighbours(
    newsroom, django_capture_on_commit_callbacks
):
    article, close, _other = newsroom
    related.rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        fresh = _article(
            0,
            category=article.category,
            tags=list(article.tags.all()),
            **_story(headline="Gotland cable back in service"),
        )
    assert set(_related(fresh)[:2]) == {article, close}
    assert fresh in _related(article)


def test_unpublished_articles_are_never_shown(newsroom):
    article, close, _other = newsroom
    related.rebuild()
    Article.objects.filter(pk=close.pk).update(status=Article.Status.DRAFT)
    assert close not in _related(article)


def test_the_rebuild_command_shows_progress_and_a_summary(newsroom):
    out = io.StringIO()
    call_command("rebuild_related", stdout=out)
    text = out.getvalue()
    assert "3/3 related" in text and "[##############################]" in text
    assert "Related Posts rebuilt for 3 articles" in text
    assert RelatedArticle.objects.filter(article=newsroom[0]).exists()
