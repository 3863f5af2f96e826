"""What editors see: reads per article, the stats page and its chart."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from audience.models import DailyReads, RelatedArticle

pytestmark = pytest.mark.django_db


@pytest.fixture
def read_article(published_article):
    today = timezone.localdate()
    for days_ago, count in ((0, 3), (2, 10), (20, 100), (200, 1000)):
        DailyReads.objects.create(
            article=published_article,
            day=today - dt.timedelta(days=days_ago),
            count=count,
        )
    return published_article


def test_the_article_list_shows_reads_of_7_days_and_all_time(
    admin_client, read_article
):
    ArticleFactory.create_batch(3)
    html = admin_client.get("/admin/articles/article/").content.decode()
    assert "reads 7 days" in html.lower() and "reads all time" in html.lower()
    row = re.search(rf"{re.escape(read_article.headline)}.*?</tr>", html, re.S)
    assert ">13<" in row.group(0) and ">1113<" in row.group(0)


def test_the_article_form_shows_reads_and_the_related_posts(admin_client, read_article):
    other = ArticleFactory(headline="Frigate sea trials begin")
    RelatedArticle.objects.create(
        article=read_article, related=other, score=0.4, rank=1
    )
    html = admin_client.get(
        f"/admin/articles/article/{read_article.pk}/change/"
    ).content.decode()
    assert "Today 3 · 7 days 13 · 30 days 113 · all time 1113" in html
    assert "Frigate sea trials begin" in html
    assert "pin or exclude one" in html


def test_the_stats_page_draws_a_chart_of_daily_reads(admin_client, read_article):
    response = admin_client.get("/admin/audience/dailyreads/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'role="img"' in html
    assert len(re.findall(r"<rect ", html)) == 30  # one bar per day
    assert "<title>" in html and ": 10 reads</title>" in html
    assert read_article.headline in html  # most read of the window
    assert "<strong>113</strong>" in html
    yearly = admin_client.get("/admin/audience/dailyreads/?days=365").content.decode()
    assert len(re.findall(r"<rect ", yearly)) == 365
    assert "<strong>1,113</strong>" in yearly


def test_the_stats_page_of_one_article(admin_client, read_article):
    other = ArticleFactory()
    DailyReads.objects.create(article=other, day=timezone.localdate(), count=7)
    html = admin_client.get(
        f"/admin/audience/dailyreads/?article={read_article.pk}&days=90"
    ).content.decode()
    assert read_article.headline in html
    assert "<strong>113</strong>" in html
    assert len(re.findall(r"<rect ", html)) == 90


@pytest.mark.parametrize(
    "query",
    ["?days=abc", "?days=-5", "?days=100000", "?article=abc", "?article=" + "9" * 40],
)
def test_bad_stats_parameters_fall_back_to_the_defaults(admin_client, query):
    response = admin_client.get(f"/admin/audience/dailyreads/{query}")
    assert response.status_code == 200


def test_an_unknown_article_is_a_404(admin_client):
    assert (
        admin_client.get("/admin/audience/dailyreads/?article=424242").status_code
        == 404
    )


def test_readers_cannot_see_the_stats(client):
    response = client.get("/admin/audience/dailyreads/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_related_settings_open_as_one_form(admin_client):
    response = admin_client.get("/admin/audience/relatedsettings/", follow=True)
    assert response.status_code == 200
    assert "maximum age (days)" in response.content.decode().lower()


def test_editors_pin_a_related_post_in_the_admin(
    admin_client, published_article, django_capture_on_commit_callbacks
):
    other = ArticleFactory(headline="Shipyard strike ends")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/audience/relatedchoice/add/",
            {"article": published_article.pk, "other": other.pk, "kind": "pin"},
        )
    assert response.status_code == 302
    from reader import blocks

    assert blocks.related_articles(published_article) == [other]
    same = admin_client.post(
        "/admin/audience/relatedchoice/add/",
        {"article": other.pk, "other": other.pk, "kind": "pin"},
    )
    assert same.status_code == 200  # an article cannot be related to itself
    assert not published_article.related_choices.filter(other=published_article)
