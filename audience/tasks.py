"""Background work of the audience app: the periodic flush and rankings, and
Related Posts when an article changes."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from audience import related, services
from audience.models import TaskSchedule

log = logging.getLogger(__name__)


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
    """Flush buffered reads; refresh the rankings when they are due; run again
    in AUDIENCE_FLUSH_SECONDS. Only one chain runs however often it is started."""
    every = settings.AUDIENCE_FLUSH_SECONDS
    if not _claim("audience.flush", every):
        return {"skipped": True}
    done: dict = {}
    try:
        done["flush"] = vars(services.flush_reads())
        if _claim("audience.rankings", settings.AUDIENCE_RANKINGS_SECONDS):
            done["rankings_changed"] = services.refresh_rankings()
    finally:
        schedule_next(every)
    return done


def schedule_next(seconds: int) -> None:
    backend = tick.get_backend()
    if backend.supports_defer:
        run_after = timezone.now() + dt.timedelta(seconds=seconds)
        tick.using(run_after=run_after).enqueue()
    else:
        log.info("The task backend cannot defer: audience.tasks.tick runs once.")


def start() -> None:
    """Start the periodic chain (called by `manage.py serve`)."""
    if tick.get_backend().supports_defer:
        tick.enqueue()


@task
def update_related(article_id: int) -> int:
    """Recompute the Related Posts of one article (published or changed) and of
    its closest neighbours; returns how many lists were written."""
    return related.update_article(article_id)
