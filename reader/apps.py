from django.apps import AppConfig


class ReaderConfig(AppConfig):
    """The reader pages (home, article, archives, the header): assembled here
    from the content (articles) and the capabilities built on it."""

    name = "reader"

    def ready(self) -> None:
        from reader import signals

        signals.connect()
