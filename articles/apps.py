from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self) -> None:
        from articles.services import (
            NAV_CACHE_KEY,
            connect_cache_purges,
            images_used_in,
        )
        from core.middleware import PREFETCHED
        from media import usage

        connect_cache_purges()
        if images_used_in not in usage.FINDERS:  # the media admin's "used in"
            usage.FINDERS.append(images_used_in)
        if NAV_CACHE_KEY not in PREFETCHED:  # read with the site's settings
            PREFETCHED.append(NAV_CACHE_KEY)
