from __future__ import annotations

import pytest

from comments import services
from comments.models import Comment
from comments.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db
POST = "/comments/post/"


@pytest.fixture(autouse=True)
def _setup(site_settings, discussion):
    discussion.hold_first_comment = False
    discussion.save()
    return discussion


def test_replies_nest_under_their_parent(client, published_article, comment_data):
    root = CommentFactory(article=published_article, body="Root remark")
    response = client.post(POST, comment_data(parent=root.pk, body="A reply to it"))
    assert response.status_code == 302
    reply = Comment.objects.get(body="A reply to it")
    assert (reply.parent, reply.thread, reply.depth) == (root, root, 2)
    html = client.get(published_article.get_absolute_url()).content.decode()
    root_at = html.index(f'id="comment-{root.pk}"')
    children_at = html.index('class="comment-children"', root_at)
    assert children_at < html.index(f'id="comment-{reply.pk}"')


def test_replies_stop_at_the_maximum_depth(
    client, published_article, comment_data, discussion
):
    discussion.thread_depth = 2
    discussion.save()
    root = CommentFactory(article=published_article)
    child = CommentFactory(article=published_article, parent=root)
    assert child.depth == 2
    response = client.post(POST, comment_data(parent=child.pk, body="Too deep"))
    assert response.status_code == 400
    assert "Replies cannot go deeper" in response.content.decode()
    html = client.get(published_article.get_absolute_url()).content.decode()
    assert f'data-reply-to="{root.pk}"' in html
    assert f'data-reply-to="{child.pk}"' not in html


def test_long_discussions_are_paginated_by_thread(
    client, published_article, discussion
):
    discussion.per_page = 5
    discussion.save()
    roots = [
        CommentFactory(article=published_article, body=f"Root {i:02d}")
        for i in range(12)
    ]
    CommentFactory(article=published_article, parent=roots[6], body="Reply on page 2")
    services.recount([published_article.pk])
    url = published_article.get_absolute_url()
    first = client.get(url).content.decode()
    assert "Root 00" in first and "Root 05" not in first
    assert "Comments page 1 of 3" in first
    second = client.get(url + "?cpage=2").content.decode()
    assert "Root 05" in second and "Reply on page 2" in second
    assert "Root 00" not in second
    assert "13 comments" in second


def test_newest_threads_first_when_configured(client, published_article, discussion):
    discussion.newest_first = True
    discussion.save()
    CommentFactory(article=published_article, body="Older one")
    CommentFactory(article=published_article, body="Newer one")
    html = client.get(published_article.get_absolute_url()).content.decode()
    assert html.index("Newer one") < html.index("Older one")


def test_a_thousand_comments_render_with_a_bounded_number_of_queries(
    client, published_article, discussion, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    discussion.per_page = 50
    discussion.thread_depth = 10
    discussion.save()
    root = CommentFactory(article=published_article, body="The root of a long thread")
    parent = root
    rows = []
    for i in range(999):
        rows.append(
            Comment(
                article=published_article,
                parent=parent if i % 3 else root,
                thread=root,
                depth=2,
                author_name=f"Reader {i}",
                author_email=f"r{i}@example.test",
                body=f"Reply {i}",
                status=Comment.Status.APPROVED,
                content_hash=str(i),
            )
        )
    Comment.objects.bulk_create(rows)
    url = published_article.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    html = response.content.decode()
    assert "Reply 998" in html
    assert html.count('<li class="comment" id="comment-') == 1000


def test_comment_text_is_plain_text_with_safe_links(client, published_article):
    CommentFactory(
        article=published_article,
        body="First line\nsecond line\n\nSee https://example.test/report <b>bold</b>",
    )
    html = client.get(published_article.get_absolute_url()).content.decode()
    assert "<p>First line<br>second line</p>" in html
    assert 'rel="nofollow ugc noopener"' in html
    assert '<a href="https://example.test/report"' in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_discussion_reads_its_own_article_s_comments_by_index(
    published_article, discussion, django_assert_max_num_queries
):
    """With the planner's statistics fresh (core.tasks, hourly), a page
    of threads is read through the article's index, not by walking every
    approved comment of the site in date order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.tests.factories import ArticleFactory
    from core.tasks import refresh_planner_statistics

    others = ArticleFactory.create_batch(5)
    Comment.objects.bulk_create(
        Comment(
            article=others[i % 5], author_name="R", author_email=f"r{i}@example.test",
            body=f"Remark {i}", status=Comment.Status.APPROVED,
        )
        for i in range(1500)
    )  # fmt: skip
    roots = CommentFactory.create_batch(3, article=published_article)
    CommentFactory(article=published_article, parent=roots[0], body="Reply")
    refresh_planner_statistics()
    with CaptureQueriesContext(connection) as queries:
        page = services.discussion_page(published_article, discussion=discussion)
    assert sorted(len(n.children) for n in page.nodes) == [0, 0, 1]
    thread_sql = queries.captured_queries[-1]["sql"]
    with connection.cursor() as cursor:
        explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(explain + thread_sql)
        plan = " ".join(str(row) for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        assert "comment_thread_page_idx" in plan
    assert "comment_queue_idx" not in plan
