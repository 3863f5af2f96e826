from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"

    def ready(self) -> None:
        from comments.models import DiscussionSettings
        from core.middleware import PREFETCHED

        # Read with the site's settings (lib.singleton.request_scope): every
        # article page asks for it, a round trip to Redis of its own before.
        if DiscussionSettings.cache_key not in PREFETCHED:
            PREFETCHED.append(DiscussionSettings.cache_key)
