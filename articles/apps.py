from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self) -> None:
        from articles.services import NAV_CACHE_KEY, connect_cache_purges
        from core.middleware import PREFETCHED

        connect_cache_purges()
        if NAV_CACHE_KEY not in PREFETCHED:  # read with the site's settings
            PREFETCHED.append(NAV_CACHE_KEY)
