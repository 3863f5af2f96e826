from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def announce_to_subscribers(*, article_id: int, **kwargs: Any) -> None:
    """An article went live: queue the email to everyone who wants every post."""
    from subscriptions.tasks import fan_out

    fan_out.enqueue(article_id)


class SubscriptionsConfig(AppConfig):
    name = "subscriptions"

    def ready(self) -> None:
        from articles.signals import article_published

        article_published.connect(
            announce_to_subscribers, dispatch_uid="subscriptions-fan-out"
        )
