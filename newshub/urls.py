from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from articles import sitemaps
from core import views as core_views

urlpatterns = [
    # Before the admin: its login in two steps, the account's security
    # pages, the password reset form (accounts/urls.py).
    path("admin/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    re_path(
        r"^sitemap-(?P<section>[a-z]+)(?:-(?P<page>[1-9]\d{0,5}))?\.xml$",
        sitemaps.sitemap_section,
        name="sitemap_section",
    ),
    path("news-sitemap.xml", sitemaps.news_sitemap, name="news_sitemap"),
    # The reader's pages first: they are most of the requests, and Django
    # tries the patterns in order (no other app's address matches one of
    # them: reader/urls.py holds the dated, category, tag and author ones).
    path("", include("reader.urls")),
    path("", include("core.urls")),
    path("", include("media.urls")),
    path("", include("comments.urls")),
    path("", include("search.urls")),
    path("", include("subscriptions.urls")),
    path("", include("audience.urls")),
    path("", include("newsroom.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.insert(0, re_path(r"^media/(?P<path>.+)$", core_views.media))

handler404 = core_views.page_not_found
handler500 = core_views.server_error
