"""The back office's landing page and the newsroom bar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import Article
from audience.models import DailyReads
from comments.models import Comment
from comments.tests.factories import CommentFactory
from newsroom.models import Role

pytestmark = pytest.mark.django_db


def _panel(html: str, panel_id: str) -> str:
    start = html.index(f'id="{panel_id}"')
    return html[start : html.index("</div>", start)]


def test_the_landing_page_lists_what_an_editor_needs_first(
    client, make_account, colleague, story_of, django_assert_max_num_queries
):
    editor = make_account(Role.EDITOR)
    story_of(editor, headline="My unfinished draft")
    story_of(colleague, headline="Colleague's draft")
    story_of(colleague, Article.Status.PENDING, headline="Sent for review")
    soon = timezone.now() + dt.timedelta(hours=2)
    later = timezone.now() + dt.timedelta(days=2)
    story_of(colleague, Article.Status.SCHEDULED, published_at=later, headline="Later")
    story_of(colleague, Article.Status.SCHEDULED, published_at=soon, headline="Soon")
    live = story_of(
        colleague,
        Article.Status.PUBLISHED,
        published_at=timezone.now() - dt.timedelta(hours=1),
        headline="Most read story",
    )
    DailyReads.objects.create(article=live, day=timezone.localdate(), count=42)
    CommentFactory(article=live, status=Comment.Status.PENDING, body="Held remark")
    client.force_login(editor)
    with django_assert_max_num_queries(30):
        html = client.get("/admin/").content.decode()
    drafts = _panel(html, "my-drafts")
    assert "My unfinished draft" in drafts and "Colleague's draft" not in drafts
    assert "Sent for review" in _panel(html, "waiting-review")
    scheduled = _panel(html, "scheduled-next")
    assert scheduled.index("Soon") < scheduled.index("Later")
    assert "Held remark" in _panel(html, "held-comments")
    most_read = _panel(html, "most-read-today")
    assert "Most read story" in most_read and "42 reads" in most_read


def test_a_contributor_sees_their_own_work_and_no_comment_queue(
    client, make_account, colleague, story_of
):
    writer = make_account(Role.CONTRIBUTOR)
    story_of(writer, Article.Status.PENDING, headline="My story in review")
    story_of(colleague, Article.Status.PENDING, headline="Their story in review")
    client.force_login(writer)
    html = client.get("/admin/").content.decode()
    waiting = _panel(html, "waiting-review")
    assert "My story in review" in waiting and "Their story" not in waiting
    assert 'id="held-comments"' not in html
    bar = html[html.index('class="newsroom-bar"') :]
    bar = bar[: bar.index("</nav>")]
    assert "Write" in bar and "Subscribers" not in bar and "Accounts" not in bar


def test_the_back_office_carries_the_site_name(client, make_account, site_settings):
    client.force_login(make_account(Role.EDITOR))
    html = client.get("/admin/").content.decode()
    assert "Frontline Test Desk" in html
    assert "Django administration" not in html
    assert "Django site admin" not in html


def test_editors_reach_their_desks_from_the_bar(client, make_account):
    client.force_login(make_account(Role.EDITOR))
    html = client.get("/admin/articles/article/").content.decode()
    bar = html[html.index('class="newsroom-bar"') :]
    bar = bar[: bar.index("</nav>")]
    for label in ("Write", "For review", "Comments", "Sections", "Tags",
                  "Subscribers", "Reads"):  # fmt: skip
        assert f">{label}<" in bar, label
    assert ">Accounts<" not in bar and ">Settings<" not in bar
