"""Background work of the audience app: the periodic flush and rankings, and
Related Posts when an article changes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from audience import related, services
from audience.models import TaskSchedule


def _claim(name: str, every: int) -> bool:
    """True for the one caller that may run `name` now. A chain's own run comes
    at its due time; a stray start (another `serve`) finds it not yet due, with
    half an interval of slack for late or early wake-ups."""
    now = timezone.now()
    TaskSchedule.objects.get_or_create(name=name, defaults={"next_run_at": now})
    slack = dt.timedelta(seconds=every / 2)
    return bool(
        TaskSchedule.objects.filter(name=name, next_run_at__lte=now + slack).update(
            next_run_at=now + dt.timedelta(seconds=every)
        )
    )


@task
def tick() -> dict:
    """Flush buffered reads, and refresh the rankings when they are due.
    `manage.py clock` enqueues it every AUDIENCE_FLUSH_SECONDS; the claim makes
    extra runs (a second clock, a manual run) skip rather than work twice."""
    if not _claim("audience.flush", settings.AUDIENCE_FLUSH_SECONDS):
        return {"skipped": True}
    done: dict = {"flush": vars(services.flush_reads())}
    if _claim("audience.rankings", settings.AUDIENCE_RANKINGS_SECONDS):
        done["rankings_changed"] = services.refresh_rankings()
    return done


@task
def update_related(article_id: int) -> int:
    """Recompute the Related Posts of one article (published or changed) and of
    its closest neighbours; returns how many lists were written."""
    return related.update_article(article_id)
