from django.urls import path

from newsroom import views

app_name = "newsroom"

urlpatterns = [
    # Under /preview/: outside the page cache (lib/pagecache.SKIP_PREFIXES),
    # the proxy's cache (deploy/nginx.conf) and robots.txt.
    path("preview/link/<str:token>/", views.preview, name="preview"),
]
