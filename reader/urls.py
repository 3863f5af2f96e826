"""WordPress-compatible permalinks, so a migrated site keeps its links.

The namespace is the content's: `articles:detail` is an article's address
wherever it is reversed (Article.get_absolute_url, feeds, sitemaps, mail);
this app serves those addresses, and the content's feeds beside them.
"""

from django.urls import path, re_path

from articles import feeds
from lib.urls import DAY, MONTH, PAGE, SLUG, YEAR
from reader import views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    # Feeds come before the archives: /category/a/b/feed/ would otherwise be
    # read as a category "feed" under a/b.
    path("feed/", feeds.site_feed, name="feed"),
    path("feed/atom/", feeds.site_atom_feed, name="feed_atom"),
    re_path(
        r"^category/(?P<path>[-\w]+(?:/[-\w]+)*?)/feed/$",
        feeds.category_feed,
        name="category_feed",
    ),
    re_path(rf"^tag/{SLUG}/feed/$", feeds.tag_feed, name="tag_feed"),
    re_path(rf"^author/{SLUG}/feed/$", feeds.author_feed, name="author_feed"),
    re_path(r"^page/(?P<page>[1-9]\d{0,5})/$", views.latest_archive, name="latest"),
    re_path(rf"^{YEAR}/{MONTH}/{DAY}/{SLUG}/$", views.article_detail, name="detail"),
    path("preview/<int:pk>/", views.article_preview, name="preview"),
    re_path(rf"^corrections/{PAGE}$", views.corrections, name="corrections"),
    re_path(rf"^{YEAR}/{MONTH}/{DAY}/{PAGE}$", views.date_archive, name="day"),
    re_path(rf"^{YEAR}/{MONTH}/{PAGE}$", views.date_archive, name="month"),
    re_path(rf"^{YEAR}/{PAGE}$", views.date_archive, name="year"),
    re_path(
        rf"^category/(?P<path>[-\w]+(?:/[-\w]+)*?)/{PAGE}$",
        views.category_archive,
        name="category",
    ),
    re_path(rf"^tag/{SLUG}/{PAGE}$", views.tag_archive, name="tag"),
    re_path(rf"^author/{SLUG}/{PAGE}$", views.author_archive, name="author"),
]
