"""The comments feed of one article, at WordPress's address: the article's
permalink followed by feed/ (/YYYY/MM/DD/slug/feed/). Approved comments only,
newest first. Cached like the article page, and purged when a comment on the
article is approved or withdrawn."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from articles.feeds import SiteFeed, absolute, article_guid, feed_size
from articles.models import Article
from articles.services import article_page_tags
from comments.models import Comment
from lib import pagecache

FEED_SUFFIX = "feed/"


class ArticleCommentsFeed(SiteFeed):
    """Reuses the site feed's time-zone handling; everything else is its own."""

    def get_object(self, request: HttpRequest, article: Article) -> Article:
        return article

    def title(self, obj: Article) -> str:
        return f"Comments on: {obj.headline}"

    def description(self, obj: Article) -> str:
        return obj.standfirst or f"Comments on {obj.headline}"

    def link(self, obj: Article) -> str:
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj: Article) -> str:
        return absolute(obj.get_absolute_url() + FEED_SUFFIX)

    def items(self, obj: Article) -> list[Comment]:
        comments = list(
            Comment.objects.approved()
            .on(obj)
            .only("pk", "article_id", "author_name", "body_html", "created_at")
            .order_by("-created_at", "-pk")[: feed_size()]
        )
        page = absolute(obj.get_absolute_url())
        for comment in comments:
            comment.article = obj  # no query per comment
            comment.feed_link = f"{page}#comment-{comment.pk}"
        return comments

    def item_title(self, item: Comment) -> str:
        return f"By: {item.author_name}"

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return item.feed_link

    def item_guid(self, item: Comment) -> str:
        return f"{article_guid(item.article)}#comment-{item.pk}"

    def item_comments(self, item: Comment) -> None:
        return None

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_updateddate(self, item: Comment):
        return item.created_at

    def item_author_name(self, item: Comment) -> str:
        return item.author_name

    def item_author_link(self, item: Comment) -> None:
        return None

    def item_categories(self, item: Comment) -> list[str]:
        return []


_comments_feed = ArticleCommentsFeed()


@require_safe
@pagecache.cached_page(article_page_tags)
def article_comments_feed(
    request: HttpRequest, year: str, month: str, day: str, slug: str
) -> HttpResponse:
    article = get_object_or_404(
        Article.objects.published().only(
            "pk", "slug", "headline", "standfirst", "status", "published_at"
        ),
        slug=slug,
    )
    url = article.get_absolute_url() + FEED_SUFFIX
    if request.path != url:
        return redirect(url, permanent=True)
    return _comments_feed(request, article=article)
