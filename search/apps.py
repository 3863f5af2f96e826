from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"

    def ready(self) -> None:
        from core.middleware import PREFETCHED
        from search import checks, signals  # noqa: F401
        from search.forms import CHOICES_KEY

        if CHOICES_KEY not in PREFETCHED:  # read with the site's settings
            PREFETCHED.append(CHOICES_KEY)
